"""The inventory service's read models."""

from collections.abc import Sequence

import asyncpg

from libs.common.events import StoredEvent
from services.inventory.domain.locations import LOCATION_CREATED, location_from


class InventoryProjector:
    tables: Sequence[str] = ("locations",)

    async def apply(self, conn: asyncpg.Connection, event: StoredEvent) -> None:
        if event.type == LOCATION_CREATED:
            assert event.organization_id is not None and event.mode is not None
            loc = location_from(event.data, organization_id=event.organization_id, mode=event.mode)
            await conn.execute(
                "INSERT INTO locations (id, mode, organization_id, name, is_default,"
                " created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                loc.id,
                loc.mode,
                loc.organization_id,
                loc.name,
                loc.is_default,
                loc.created_at,
                loc.updated_at,
                loc.version,
            )
