"""The endpoint read model: a row is the aggregate (`Endpoint`), column for field, updated in
the append's transaction."""

from collections.abc import Sequence

import asyncpg

from libs.common.events import StoredEvent
from libs.common.kit import upsert
from services.webhooks.domain.actions import STATES
from services.webhooks.domain.endpoints import Endpoint


class WebhooksProjector:
    tables: Sequence[str] = ("endpoints",)

    async def apply(self, conn: asyncpg.Connection, event: StoredEvent) -> None:
        # Not the recorded actions (domain/actions.py): their data is no endpoint.
        if event.type in STATES:
            endpoint = Endpoint.model_validate(event.data)
            await upsert(conn, table="endpoints", resource=endpoint, event=event)
