"""Holding stock for orders: placed synchronously when an order is placed, then moved by
the order's events. Keyed by order id throughout, so nothing ever moves twice."""

from collections import defaultdict
from dataclasses import dataclass, replace

import asyncpg

from libs.common.clock import utcnow
from libs.common.events import NewEvent
from libs.common.eventstore import EventStore
from libs.common.identity import Identity
from libs.common.ids import new_id
from services.inventory.domain import holds, items
from services.inventory.domain.errors import InvalidInput, Shortage
from services.inventory.service.lookups import existing_items, load_items, upsert_products
from services.inventory.service.stock import ProductInfo, ensure_item, record


@dataclass(frozen=True)
class Request:
    product: ProductInfo
    quantity: int


async def _append_hold(
    conn: asyncpg.Connection, store: EventStore, who: Identity, hold: holds.Hold, kind: str
) -> holds.Hold:
    await store.append(
        conn,
        stream_id=holds.stream_id(hold.order_id),
        expected_version=hold.version - 1,
        events=[
            NewEvent(
                type=kind, data=hold.data(), organization_id=who.organization_id, mode=who.mode
            )
        ],
    )
    return hold


async def load_hold(
    conn: asyncpg.Connection, store: EventStore, who: Identity, order_id: str
) -> holds.Hold | None:
    await store.lock_stream(conn, stream_id=holds.stream_id(order_id))
    event = await store.read_last(conn, stream_id=holds.stream_id(order_id))
    if event is None or event.organization_id != who.organization_id or event.mode != who.mode:
        return None
    return holds.from_data(event.data)


async def place(
    conn: asyncpg.Connection,
    store: EventStore,
    who: Identity,
    *,
    order_id: str,
    location_id: str,
    lines: list[Request],
    sold: bool,
) -> holds.Hold:
    """Holds (or, for a completed sale, takes) the stock of every tracked line, or nothing."""
    existing = await load_hold(conn, store, who, order_id)
    if existing is not None:
        return existing  # a retry of the same order: it was held already
    location = await conn.fetchval(
        "SELECT 1 FROM locations WHERE id = $1 AND organization_id = $2 AND mode = $3",
        location_id,
        who.organization_id,
        who.mode,
    )
    if not location:
        raise InvalidInput(f"No location {location_id}.", field="locationId")
    # Round trips per order, not per line (service/lookups.py).
    products = {request.product.id: request.product for request in lines}
    await upsert_products(conn, who, products=list(products.values()))
    want_tracked = sorted(p.id for p in products.values() if p.track_inventory)
    tracked = await existing_items(
        conn, who, product_ids=want_tracked, location_id=location_id
    )  # product id -> its item here
    # Sorted, so two orders creating the same items always lock them in the same order.
    for product_id in want_tracked:
        if product_id not in tracked:
            tracked[product_id] = await ensure_item(
                conn, store, who, product_id=product_id, location_id=location_id
            )
    wanted: dict[str, int] = defaultdict(int)  # item id -> units, over all its lines
    for request in lines:
        if request.product.id in tracked:
            wanted[tracked[request.product.id]] += request.quantity
    loaded = await load_items(conn, store, who, item_ids=list(wanted))
    short = []
    for index, request in enumerate(lines):
        item_id = tracked.get(request.product.id)
        if (
            item_id is not None
            and request.product.inventory_policy == "deny"
            and loaded[item_id].available < wanted[item_id]
        ):
            short.append(
                {
                    "field": f"items[{index}].quantity",
                    "productId": request.product.id,
                    "requested": wanted[item_id],
                    "available": loaded[item_id].available,
                }
            )
    if short:
        raise Shortage(short)
    _check_bounds(lines, tracked, loaded, wanted, sold=sold)
    now = utcnow()
    for item_id, quantity in wanted.items():
        item = loaded[item_id]
        change = (
            items.change(
                item,
                now=now,
                reason="sale",
                on_hand=-quantity,
                order_id=order_id,
                adjustment_id=new_id("adj"),
            )
            if sold
            else items.change(item, now=now, reason="hold", committed=quantity, order_id=order_id)
        )
        await record(conn, store, who, change, expected=item.version)
    hold = holds.Hold(
        order_id=order_id,
        location_id=location_id,
        state="sold" if sold else "committed",
        confirmed=False,
        version=1,
        created_at=now,
        lines=tuple(
            holds.Line(
                product_id=r.product.id, quantity=r.quantity, item_id=tracked.get(r.product.id)
            )
            for r in lines
        ),
    )
    return await _append_hold(conn, store, who, hold, holds.HOLD_PLACED)


def _check_bounds(
    lines: list[Request],
    tracked: dict[str, str],
    loaded: dict[str, items.Item],
    wanted: dict[str, int],
    *,
    sold: bool,
) -> None:
    """A sale may not take a count past ±MAX_UNITS (only `continue` products go below zero,
    and pending orders add up in `committed`): refused whole, naming the first line."""
    for index, request in enumerate(lines):
        item_id = tracked.get(request.product.id)
        if item_id is None:
            continue
        item, quantity = loaded[item_id], wanted[item_id]
        after = (
            replace(item, on_hand=item.on_hand - quantity)
            if sold
            else replace(item, committed=item.committed + quantity)
        )
        if items.out_of_bounds(after):
            raise InvalidInput(
                f"Selling {quantity} of {request.product.id} would take its stock past the"
                f" most an item counts ({items.MAX_UNITS}).",
                field=f"items[{index}].quantity",
            )


async def _move(
    conn: asyncpg.Connection,
    store: EventStore,
    who: Identity,
    hold: holds.Hold,
    *,
    reason: str,
    on_hand: int,
    committed: int,
) -> None:
    """Moves every tracked line by `on_hand`/`committed` units per unit ordered."""
    now = utcnow()
    per_item: dict[str, int] = defaultdict(int)
    for line in hold.lines:
        if line.item_id is not None:
            per_item[line.item_id] += line.quantity
    loaded = await load_items(conn, store, who, item_ids=list(per_item))
    for item_id, item in loaded.items():
        quantity = per_item[item_id]
        await record(
            conn,
            store,
            who,
            items.change(
                item,
                now=now,
                reason=reason,
                on_hand=on_hand * quantity,
                committed=committed * quantity,
                order_id=hold.order_id,
                adjustment_id=new_id("adj") if on_hand else None,
            ),
            expected=item.version,
        )


async def complete(
    conn: asyncpg.Connection, store: EventStore, who: Identity, order_id: str
) -> holds.Hold | None:
    hold = await load_hold(conn, store, who, order_id)
    if hold is None or hold.state != "committed":
        return hold  # sold already (created completed), or never held: nothing to move
    await _move(conn, store, who, hold, reason="sale", on_hand=-1, committed=-1)
    return await _append_hold(conn, store, who, holds.moved(hold, "sold"), holds.HOLD_SOLD)


async def cancel(
    conn: asyncpg.Connection,
    store: EventStore,
    who: Identity,
    order_id: str,
    *,
    restock: bool,
    reason: str = "cancelled",
) -> holds.Hold | None:
    hold = await load_hold(conn, store, who, order_id)
    if hold is None or hold.state in ("released", "restocked", "voided"):
        return hold
    if hold.state == "committed":
        await _move(conn, store, who, hold, reason="release", on_hand=0, committed=-1)
        state: holds.State = "released"
    elif restock:
        await _move(conn, store, who, hold, reason="restock", on_hand=1, committed=0)
        state = "restocked"
    else:
        state = "voided"
    return await _append_hold(conn, store, who, holds.moved(hold, state), holds.HOLD_RELEASED)


async def confirm(
    conn: asyncpg.Connection, store: EventStore, who: Identity, order_id: str
) -> None:
    """The order was recorded: the hold is no longer at risk of being orphaned."""
    hold = await load_hold(conn, store, who, order_id)
    if hold is not None and not hold.confirmed:
        await _append_hold(conn, store, who, holds.confirmed(hold), holds.HOLD_CONFIRMED)
