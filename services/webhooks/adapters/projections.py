"""The endpoint read model."""

from collections.abc import Sequence

import asyncpg

from libs.common.events import StoredEvent
from services.webhooks.domain import endpoints


class WebhooksProjector:
    tables: Sequence[str] = ("endpoints",)

    async def apply(self, conn: asyncpg.Connection, event: StoredEvent) -> None:
        if not event.type.startswith("webhook_endpoint."):
            return
        assert event.organization_id is not None and event.mode is not None
        e = endpoints.from_state(event.data, organization_id=event.organization_id, mode=event.mode)
        await conn.execute(
            "INSERT INTO endpoints (id, organization_id, mode, url, events, description, enabled,"
            " disabled_reason, secret, previous_secret, previous_expires_at, version, created_at,"
            " updated_at, deleted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,"
            " $13, $14, $15) ON CONFLICT (id) DO UPDATE SET url = $4, events = $5,"
            " description = $6, enabled = $7, disabled_reason = $8, secret = $9,"
            " previous_secret = $10, previous_expires_at = $11, version = $12, updated_at = $14,"
            " deleted_at = $15",
            e.id,
            e.organization_id,
            e.mode,
            e.url,
            list(e.events),
            e.description,
            e.enabled,
            e.disabled_reason,
            e.secret,
            e.previous_secret,
            e.previous_expires_at,
            e.version,
            e.created_at,
            e.updated_at,
            e.deleted_at,
        )


def endpoint_from_row(row: asyncpg.Record) -> endpoints.Endpoint:
    return endpoints.Endpoint(
        id=row["id"],
        organization_id=row["organization_id"],
        mode=row["mode"],
        url=row["url"],
        events=tuple(row["events"]),
        description=row["description"],
        enabled=row["enabled"],
        disabled_reason=row["disabled_reason"],
        secret=row["secret"],
        previous_secret=row["previous_secret"],
        previous_expires_at=row["previous_expires_at"],
        version=row["version"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        deleted_at=row["deleted_at"],
    )
