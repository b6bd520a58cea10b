"""What a hold needs of an order's products and items, in round trips per order rather
than per line: an order has up to 500 lines, and the orders service waits 5 s for the hold
(line by line, 500 lines took 3.7 s on a loaded two-core machine; like this, 2.4 s)."""

import asyncpg

from libs.common.errors import NotFound
from libs.common.eventstore import EventStore
from libs.common.identity import Identity
from libs.contract.inventory import InventoryItemRead
from services.inventory.domain import items
from services.inventory.service.stock import ProductInfo


async def upsert_products(
    conn: asyncpg.Connection, *, who: Identity, products: list[ProductInfo]
) -> None:
    """`upsert_product` for an order's products in one round trip (500 lines, at most).

    A product already known at this version or later is left alone, and unlocked: an
    `INSERT … ON CONFLICT DO UPDATE … WHERE` locks the row it conflicts with even when its
    WHERE then skips the update, so every sale of a product queued on that row until its
    hold committed (1.8 ms a sale at concurrency 16, `pg_stat_statements`). An UPDATE
    locks only the rows it changes, and DO NOTHING none."""
    await conn.execute(
        "WITH p AS (SELECT * FROM unnest($3::text[], $4::boolean[], $5::text[],"
        " $6::integer[], $7::integer[]) AS p(id, track, policy, threshold, version)),"
        " newer AS (UPDATE products SET track_inventory = p.track, inventory_policy = p.policy,"
        " low_stock_threshold = p.threshold, version = p.version FROM p"
        " WHERE products.id = p.id AND products.version < p.version)"
        " INSERT INTO products (id, organization_id, mode, track_inventory, inventory_policy,"
        " low_stock_threshold, deleted, version)"
        " SELECT p.id, $1, $2, p.track, p.policy, p.threshold, false, p.version FROM p"
        " ON CONFLICT (id) DO NOTHING",
        who.organization_id,
        who.mode,
        [p.id for p in products],
        [p.track_inventory for p in products],
        [p.inventory_policy for p in products],
        [p.low_stock_threshold for p in products],
        [p.version for p in products],
    )


async def load_items(
    conn: asyncpg.Connection, *, store: EventStore, who: Identity, item_ids: list[str]
) -> dict[str, InventoryItemRead]:
    """`load_item` for many items in two round trips, locked in id order."""
    ordered = sorted(item_ids)
    await store.lock_streams(conn, stream_ids=ordered)
    events = await store.read_last_many(conn, stream_ids=ordered)
    loaded = {}
    for item_id in ordered:
        event = events.get(item_id)
        if event is None or event.organization_id != who.organization_id or event.mode != who.mode:
            raise NotFound(f"No inventory item {item_id}.")
        loaded[item_id] = items.fold(event.data, event.metadata)
    return loaded
