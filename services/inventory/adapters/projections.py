"""The inventory service's read models, kept in the append's transaction."""

from collections.abc import Sequence

import asyncpg

from libs.common.events import StoredEvent
from services.inventory.domain import holds, items
from services.inventory.domain.locations import LOCATION_CREATED, LOCATION_UPDATED, location_from


class InventoryProjector:
    # `products` is not here: it mirrors the catalog's events, not this service's own.
    tables: Sequence[str] = ("locations", "inventory_items", "adjustments", "stock_holds")

    async def apply(self, conn: asyncpg.Connection, event: StoredEvent) -> None:
        assert event.mode is not None
        if event.type in (LOCATION_CREATED, LOCATION_UPDATED):
            assert event.organization_id is not None
            loc = location_from(event.data, organization_id=event.organization_id, mode=event.mode)
            await conn.execute(
                "INSERT INTO locations (id, mode, organization_id, name, is_default, created_at,"
                " updated_at, version, address, metadata)"
                " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id, mode)"
                " DO UPDATE SET name = $4, updated_at = $7, version = $8, address = $9,"
                " metadata = $10",
                loc.id,
                loc.mode,
                loc.organization_id,
                loc.name,
                loc.is_default,
                loc.created_at,
                loc.updated_at,
                loc.version,
                loc.address,
                loc.metadata,
            )
        elif event.type in (items.ITEM_CREATED, items.INVENTORY_UPDATED):
            await _item(conn, event)
        elif event.type.startswith("stock_hold."):
            await _hold(conn, event)


async def _item(conn: asyncpg.Connection, event: StoredEvent) -> None:
    assert event.mode is not None
    item = items.from_event(event.data, event.metadata, mode=event.mode)
    await conn.execute(
        "INSERT INTO inventory_items (id, organization_id, mode, product_id, location_id,"
        " on_hand, committed, threshold_override, product_threshold, version, created_at,"
        " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        " ON CONFLICT (id) DO UPDATE SET on_hand = $6, committed = $7, threshold_override = $8,"
        " product_threshold = $9, version = $10, updated_at = $12",
        item.id,
        item.organization_id,
        item.mode,
        item.product_id,
        item.location_id,
        item.on_hand,
        item.committed,
        item.threshold_override,
        item.product_threshold,
        item.version,
        item.created_at,
        item.updated_at,
    )
    adjustment = event.data.get("adjustmentId")
    if adjustment:
        await conn.execute(
            "INSERT INTO adjustments (id, item_id, organization_id, mode, delta, reason,"
            " order_id, on_hand_after, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            adjustment,
            item.id,
            item.organization_id,
            item.mode,
            item.on_hand - event.data["previousOnHand"],
            event.data["reason"],
            event.data["orderId"],
            item.on_hand,
            item.updated_at,
        )


async def _hold(conn: asyncpg.Connection, event: StoredEvent) -> None:
    hold = holds.from_data(event.data)
    await conn.execute(
        "INSERT INTO stock_holds (order_id, organization_id, mode, location_id, state,"
        " confirmed, lines, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        " ON CONFLICT (order_id) DO UPDATE SET state = $5, confirmed = $6",
        hold.order_id,
        event.organization_id,
        event.mode,
        hold.location_id,
        hold.state,
        hold.confirmed,
        event.data["lines"],
        hold.created_at,
    )
