"""Items: made on demand (exactly once per product and location), counted, adjusted."""

from dataclasses import dataclass
from typing import Any

import asyncpg

from libs.common.clock import utcnow
from libs.common.errors import NotFound
from libs.common.eventstore import EventStore
from libs.common.identity import Identity
from libs.common.ids import new_id
from libs.common.kit import append_to
from libs.common.resources import check_version
from libs.contract.inventory import InventoryItemRead, InventoryUpdate, ManualReason
from services.inventory.domain import items
from services.inventory.domain.errors import NotEnoughOnHand, PastTheMost


@dataclass(frozen=True)
class ProductInfo:
    """What the inventory must know of a product; newer versions replace older ones."""

    id: str
    track_inventory: bool
    inventory_policy: str
    low_stock_threshold: int | None
    version: int
    deleted: bool = False


def system(*, organization_id: str, mode: str, cause: str) -> Identity:
    """The identity under which the service acts on an event rather than on a request."""
    return Identity(
        organization_id=organization_id,
        mode=mode,  # type: ignore[arg-type]
        key_id="system",
        scopes=frozenset(),
        request_id=cause,
    )


async def _append(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    who: Identity,
    kind: str,
    item: InventoryItemRead,
    expected: int,
) -> None:
    # The thresholds behind `lowStockThreshold` are not shown: the metadata keeps them.
    await append_to(
        conn,
        store=store,
        who=who,
        stream_id=item.id,
        kind=kind,
        data=item,
        expected=expected,
        metadata=item.thresholds(),
    )


async def record(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    who: Identity,
    change: InventoryUpdate,
    expected: int,
) -> InventoryItemRead:
    """Appends the change (`inventory.updated`); the item as it left it."""
    await _append(
        conn, store=store, who=who, kind=items.INVENTORY_UPDATED, item=change, expected=expected
    )
    return items.item_of(change)


async def upsert_product(conn: asyncpg.Connection, *, who: Identity, product: ProductInfo) -> bool:
    """Stores what is known of a product if it is newer; True when the threshold changed."""
    old = await conn.fetchrow(
        "SELECT version, low_stock_threshold FROM products WHERE id = $1", product.id
    )
    if old is not None and old["version"] >= product.version:
        return False
    await conn.execute(
        "INSERT INTO products (id, organization_id, mode, track_inventory, inventory_policy,"
        " low_stock_threshold, deleted, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        " ON CONFLICT (id) DO UPDATE SET track_inventory = $4, inventory_policy = $5,"
        " low_stock_threshold = $6, deleted = $7, version = $8",
        product.id,
        who.organization_id,
        who.mode,
        product.track_inventory,
        product.inventory_policy,
        product.low_stock_threshold,
        product.deleted,
        product.version,
    )
    return old is not None and old["low_stock_threshold"] != product.low_stock_threshold


async def load_item(
    conn: asyncpg.Connection, *, store: EventStore, who: Identity, item_id: str
) -> InventoryItemRead:
    """The item, locked for this transaction's write."""
    await store.lock_stream(conn, stream_id=item_id)
    event = await store.read_last(conn, stream_id=item_id)
    if event is None or event.organization_id != who.organization_id or event.mode != who.mode:
        raise NotFound(f"No inventory item {item_id}.")
    return items.fold(event.data, event.metadata)


async def ensure_item(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    who: Identity,
    product_id: str,
    location_id: str,
) -> str:
    """The item of this product at this location, made (once) if it does not exist yet."""

    async def existing() -> str | None:
        found = await conn.fetchval(
            "SELECT id FROM inventory_items WHERE organization_id = $1 AND mode = $2"
            " AND product_id = $3 AND location_id = $4",
            who.organization_id,
            who.mode,
            product_id,
            location_id,
        )
        return str(found) if found else None

    # Items are never removed, so one that exists needs no lock (every sale asks this).
    found = await existing()
    if found:
        return found
    # Serialises the creation per product and location across processes; then look again.
    await store.lock_stream(
        conn, stream_id=f"item:{who.organization_id}:{who.mode}:{product_id}:{location_id}"
    )
    found = await existing()
    if found:
        return found
    threshold = await conn.fetchval(
        "SELECT low_stock_threshold FROM products WHERE id = $1", product_id
    )
    item = items.new_item(
        item_id=new_id("inv"),
        product_id=product_id,
        location_id=location_id,
        product_threshold=threshold,
        now=utcnow(),
    )
    await _append(conn, store=store, who=who, kind=items.ITEM_CREATED, item=item, expected=0)
    return item.id


async def ensure_items_for_product(
    conn: asyncpg.Connection, *, store: EventStore, who: Identity, product_id: str
) -> None:
    tracked = await conn.fetchval(
        "SELECT track_inventory AND NOT deleted FROM products WHERE id = $1", product_id
    )
    if not tracked:
        return
    locations = await conn.fetch(
        "SELECT id FROM locations WHERE organization_id = $1 AND mode = $2 ORDER BY id",
        who.organization_id,
        who.mode,
    )
    for location in locations:
        await ensure_item(
            conn, store=store, who=who, product_id=product_id, location_id=location["id"]
        )


async def ensure_items_for_location(
    conn: asyncpg.Connection, *, store: EventStore, who: Identity, location_id: str
) -> None:
    products = await conn.fetch(
        "SELECT id FROM products WHERE organization_id = $1 AND mode = $2 AND track_inventory"
        " AND NOT deleted ORDER BY id",
        who.organization_id,
        who.mode,
    )
    for product in products:
        await ensure_item(
            conn, store=store, who=who, product_id=product["id"], location_id=location_id
        )


async def refresh_thresholds(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    who: Identity,
    product_id: str,
    threshold: int | None,
) -> None:
    """A product's new threshold reaches each of its items (those without their own)."""
    rows = await conn.fetch(
        "SELECT id FROM inventory_items WHERE product_id = $1 ORDER BY id", product_id
    )
    for row in rows:
        item = await load_item(conn, store=store, who=who, item_id=row["id"])
        if item.product_threshold != threshold:
            change = items.change(
                item,
                now=utcnow(),
                reason="threshold",
                thresholds={"product_threshold": threshold},
            )
            await record(conn, store=store, who=who, change=change, expected=item.version)


async def learn_product(
    conn: asyncpg.Connection, *, store: EventStore, who: Identity, product: ProductInfo
) -> None:
    """A product's facts as the catalog has them now: its items appear (tracked) and take
    its threshold. Called synchronously by the catalog after each product write, and with
    each product event: an older version than the one known moves nothing."""
    threshold_changed = await upsert_product(conn, who=who, product=product)
    await ensure_items_for_product(conn, store=store, who=who, product_id=product.id)
    if threshold_changed:
        await refresh_thresholds(
            conn,
            store=store,
            who=who,
            product_id=product.id,
            threshold=product.low_stock_threshold,
        )


async def adjust(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    who: Identity,
    item_id: str,
    delta: int,
    reason: ManualReason,
    expected: int | None,
) -> InventoryItemRead:
    item = await load_item(conn, store=store, who=who, item_id=item_id)
    check_version(item, expected)
    if item.on_hand + delta < 0:
        raise NotEnoughOnHand(
            f"Only {item.on_hand} on hand: this would take it below zero.", field="delta"
        )
    change = items.change(
        item, now=utcnow(), reason=reason, on_hand=delta, adjustment_id=new_id("adj")
    )
    if delta > 0 and items.out_of_bounds(change):
        raise PastTheMost(
            f"{item.on_hand} on hand: adding {delta} would pass the most an item holds"
            f" ({items.MAX_UNITS}).",
            field="delta",
        )
    return await record(conn, store=store, who=who, change=change, expected=item.version)


async def count(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    who: Identity,
    item_id: str,
    changes: dict[str, Any],
    expected: int | None,
) -> InventoryItemRead:
    """PUT: a physical count (`onHand`) and/or the item's own low-stock threshold."""
    item = await load_item(conn, store=store, who=who, item_id=item_id)
    check_version(item, expected)
    delta = changes["on_hand"] - item.on_hand if "on_hand" in changes else 0
    override = changes.get("low_stock_threshold", item.threshold_override)
    if not delta and override == item.threshold_override:
        return item
    change = items.change(
        item,
        now=utcnow(),
        reason="count" if delta else "threshold",
        on_hand=delta,
        adjustment_id=new_id("adj") if delta else None,
        thresholds={"threshold_override": override},
    )
    return await record(conn, store=store, who=who, change=change, expected=item.version)
