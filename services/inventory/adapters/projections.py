"""The inventory service's read models, kept in the append's transaction. A row is the
resource's model, column for field (the ledger's, but for one name: adapters/ledger.py)."""

from collections.abc import Sequence

import asyncpg

from libs.common.events import StoredEvent
from libs.common.kit import upsert
from libs.contract.inventory import InventoryUpdate, LocationRead
from services.inventory.adapters import ledger
from services.inventory.domain import holds, items
from services.inventory.domain.locations import LOCATION_CREATED, LOCATION_UPDATED


class InventoryProjector:
    # `products` is not here: it mirrors the catalog's events, not this service's own.
    tables: Sequence[str] = ("locations", "inventory_items", "adjustments", "stock_holds")

    async def apply(self, conn: asyncpg.Connection, event: StoredEvent) -> None:
        if event.type in (LOCATION_CREATED, LOCATION_UPDATED):
            # A location's id is shared by its two modes (the default one).
            location = LocationRead.model_validate(event.data)
            await upsert(
                conn, table="locations", resource=location, event=event, key=("id", "mode")
            )
        elif event.type in (items.ITEM_CREATED, items.INVENTORY_UPDATED):
            item = items.fold(event.data, event.metadata)
            await upsert(conn, table="inventory_items", resource=item, event=event)
            if event.type == items.INVENTORY_UPDATED:
                line = items.ledger_line(InventoryUpdate.model_validate(event.data))
                if line is not None:
                    await ledger.insert(conn, line=line, event=event)
        elif event.type.startswith("stock_hold."):
            await _hold(conn, event)


async def _hold(conn: asyncpg.Connection, event: StoredEvent) -> None:
    hold = holds.Hold.model_validate(event.data)
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
