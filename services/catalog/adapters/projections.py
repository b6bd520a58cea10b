"""The catalog's read models: what GETs and lists serve, updated in the append's transaction.
A row is the resource's model, column for field."""

from collections.abc import Sequence

import asyncpg

from libs.common.events import StoredEvent
from libs.common.kit import upsert
from libs.common.resources import Resource
from libs.contract.catalog import CategoryRead, ProductRead

_MODELS: dict[str, tuple[str, type[Resource]]] = {
    "product": ("products", ProductRead),
    "category": ("categories", CategoryRead),
}


class CatalogProjector:
    tables: Sequence[str] = ("products", "categories")

    async def apply(self, conn: asyncpg.Connection, event: StoredEvent) -> None:
        found = _MODELS.get(event.type.split(".")[0])
        if found is not None:
            table, model = found
            await upsert(conn, table=table, resource=model.model_validate(event.data), event=event)
