"""What the webhooks service keeps, and for how long (`libs.common.retention` runs it).

Nothing pending may depend on a row that retention deletes: a delivery carries only the id
of its event, so the event log keeps every event that a delivery (of any status: a failed
one can be retried or recovered) still refers to, and deliveries are purged only once final.
"""

from datetime import datetime, timedelta

import asyncpg

from libs.common.retention import Cursor, Purge, walk_ids
from services.webhooks.settings import Settings


async def _event_log(
    conn: asyncpg.Connection, limit: int, cutoff: datetime, cursor: Cursor
) -> tuple[int, Cursor]:
    return await walk_ids(
        conn,
        table="event_log",
        key="id",
        prefix="evt",
        # Index deliveries_by_event: one probe per event.
        expired="t.occurred_at < $2"
        " AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = t.id)",
        limit=limit,
        cutoff=cutoff,
        cursor=cursor,
    )


async def _deliveries(
    conn: asyncpg.Connection, limit: int, cutoff: datetime, cursor: Cursor
) -> tuple[int, Cursor]:
    return await walk_ids(
        conn,
        table="deliveries",
        key="id",
        prefix="del",
        # Final, and its last attempt was due before the cutoff (a retry or a recovery sets
        # next_attempt_at to now). A retry racing this waits on the row's lock and then
        # finds it gone (404), or commits first and the re-checked status keeps the row.
        expired="t.status <> 'pending' AND t.next_attempt_at < $2",
        limit=limit,
        cutoff=cutoff,
        cursor=cursor,
        also=", attempts AS (DELETE FROM delivery_attempts a USING gone"
        " WHERE a.delivery_id = gone.key)",
    )


async def _delivery_attempts(
    conn: asyncpg.Connection, limit: int, cutoff: datetime, cursor: Cursor
) -> tuple[int, Cursor]:
    return await walk_ids(
        conn,
        table="delivery_attempts",
        key="delivery_id",  # leads the primary key; a batch is `limit` deliveries' attempts
        prefix="del",
        expired="t.started_at < $2",
        limit=limit,
        cutoff=cutoff,
        cursor=cursor,
    )


def purges(settings: Settings) -> list[Purge]:
    return [
        # Deliveries first: the event log then finds their events unreferenced in this run.
        Purge("deliveries", timedelta(days=settings.deliveries_retention_days), _deliveries),
        Purge(
            "delivery_attempts",
            timedelta(days=settings.delivery_attempts_retention_days),
            _delivery_attempts,
        ),
        Purge("event_log", timedelta(days=settings.events_retention_days), _event_log),
    ]
