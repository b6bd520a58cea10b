"""Retention: every table that grows with each event or request is purged on a schedule, in
bounded batches, by one replica of a service at a time, and its size is a metric.

A batch is one statement in its own short transaction that looks at no more than
`batch_size` rows (5000 by default: about 80 ms a batch for deliveries with their attempts,
measured on 200k deliveries; short enough that live writes to the table never wait long,
and a backlog of millions drains in minutes). Batches follow each other, with a short
pause, until the walk reaches the end of what is old.

Old rows are found by the primary key where it leads with a time-ordered id (`libs.common.ids`:
ids sort by creation time): `id < floor(cutoff)` is a range scan of an index that is there
anyway. The row's own timestamp is checked too, so a row is never deleted early whatever
its id says.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import asyncpg
from aiohttp import web

from libs.common.background import every, running
from libs.common.clock import utcnow
from libs.common.db import connect
from libs.common.ids import id_floor
from libs.common.logging import get_logger
from libs.common.metrics import Metrics
from libs.common.settings import ServiceSettings
from libs.common.web import METRICS, POOL, SETTINGS
from libs.common.writes import records_box, seal_legacy_records

log = get_logger(__name__)

# Where a purge goes on from: the last primary key its previous batch looked at (None: from
# the start), so that rows kept in the old id range (still referenced, retried lately) are
# looked at once per run, not once per batch.
Cursor = Any


@dataclass(frozen=True)
class Purge:
    table: str  # also the `table` label of the metrics: a fixed, short list
    keep: timedelta
    # One batch: looks at no more than `limit` candidates after `cursor`, deletes those older
    # than `cutoff`; returns how many it deleted and where to go on (None: done).
    batch: Callable[[asyncpg.Connection, int, datetime, Cursor], Awaitable[tuple[int, Cursor]]]


async def walk_ids(
    conn: asyncpg.Connection,
    *,
    table: str,
    key: str,
    prefix: str,
    expired: str,
    limit: int,
    cutoff: datetime,
    cursor: Cursor,
    scope: str = "true",
    scope_args: Sequence[object] = (),
    also: str = "",
) -> tuple[int, Cursor]:
    """One batch over a table whose `key` is a time-ordered id of `prefix` (or leads its
    primary key): the next `limit` distinct keys made before `cutoff`, in index order, and
    of those the rows that are `expired` (SQL over `t.`, `$2` is the cutoff) are deleted.
    `also` adds statements over the deleted keys (`gone.key`)."""
    row = await conn.fetchrow(
        # An array, not a join: joined, the planner hashed the batch and scanned the whole
        # table for it (12.9 s for 100k of 200k deliveries); `= ANY` probes the index per key.
        f"WITH scanned AS (SELECT ARRAY(SELECT DISTINCT {key} FROM {table} WHERE {key} < $3"
        f"  AND ($4::text IS NULL OR {key} > $4) AND {scope} ORDER BY 1 LIMIT $1) AS keys),"
        f" gone AS (DELETE FROM {table} t WHERE t.{key} = ANY ((SELECT keys FROM scanned)::text[])"
        f"  AND {scope} AND {expired} RETURNING t.{key} AS key){also}"
        " SELECT (SELECT count(*) FROM gone) AS deleted, cardinality(keys) AS n,"
        " keys[cardinality(keys)] AS last FROM scanned",
        limit,
        cutoff,
        id_floor(prefix, at=cutoff),
        cursor,
        *scope_args,
    )
    return row["deleted"], row["last"] if row["n"] == limit else None


async def _idempotency_batch(
    conn: asyncpg.Connection, limit: int, cutoff: datetime, cursor: Cursor
) -> tuple[int, Cursor]:
    # Its own index on created_at holds exactly what expires: no cursor needed. The rows go
    # by ctid, as an array, for the reason given in `walk_ids` (records are never updated,
    # so a ctid cannot move under the statement).
    deleted: int = await conn.fetchval(
        "WITH gone AS (DELETE FROM idempotency_keys WHERE ctid = ANY (ARRAY(SELECT ctid"
        "  FROM idempotency_keys WHERE created_at < $2 ORDER BY created_at LIMIT $1))"
        "  RETURNING 1) SELECT count(*) FROM gone",
        limit,
        cutoff,
    )
    return deleted, True if deleted == limit else None


async def _processed_batch(
    conn: asyncpg.Connection, limit: int, cutoff: datetime, cursor: Cursor
) -> tuple[int, Cursor]:
    # Consumer by consumer (a handful; the next one is one probe of the primary key), so
    # that each one's old rows are a range of (consumer, event_id).
    consumer, after = cursor or ("", None)
    if after is None:
        consumer = await conn.fetchval(
            "SELECT min(consumer) FROM processed_events WHERE consumer > $1", consumer
        )
        if consumer is None:
            return 0, None
    deleted, last = await walk_ids(
        conn,
        table="processed_events",
        key="event_id",
        prefix="evt",
        expired="t.processed_at < $2",
        limit=limit,
        cutoff=cutoff,
        cursor=after,
        scope="consumer = $5",
        scope_args=[consumer],
    )
    return deleted, (consumer, last)


def common_purges(settings: ServiceSettings) -> list[Purge]:
    """The tables of `libs/common/migrations` that every service has."""
    return [
        # 24 hours: what CONVENTIONS promises a client for replaying an Idempotency-Key.
        Purge("idempotency_keys", timedelta(hours=24), _idempotency_batch),
        Purge(
            "processed_events",
            timedelta(days=settings.processed_events_retention_days),
            _processed_batch,
        ),
    ]


async def purge(
    *,
    dsn: str,
    schema: str,
    purges: Sequence[Purge],
    batch_size: int,
    metrics: Metrics,
    pause: float = 0.05,
) -> dict[str, int] | None:
    """Runs each purge to the end; None if another replica is purging this schema now.

    The lock is a session lock, so it lives on a connection of its own (pooled connections
    keep no session state, `libs.common.db`); if this process dies, it goes with it."""
    conn = await connect(dsn, schema=schema, app_name="stacknex-retention")
    key = f"stacknex.retention.{schema}"
    try:
        if not await conn.fetchval("SELECT pg_try_advisory_lock(hashtext($1))", key):
            return None
        try:
            purged: dict[str, int] = {}
            for each in purges:
                cutoff = utcnow() - each.keep
                total, cursor = 0, None
                while True:
                    n, cursor = await each.batch(conn, batch_size, cutoff, cursor)
                    total += n
                    metrics.retention_purged.labels(each.table).inc(n)
                    if cursor is None:
                        break
                    # Lets the live load have the table (and the WAL writer catch up).
                    await asyncio.sleep(pause)
                purged[each.table] = total
            return purged
        finally:
            await conn.execute("SELECT pg_advisory_unlock(hashtext($1))", key)
    finally:
        await conn.close(timeout=5)


async def record_sizes(pool: asyncpg.Pool, *, tables: Sequence[str], metrics: Metrics) -> None:
    """`stacknex_table_rows`: PostgreSQL's estimate (`pg_class.reltuples`, kept by autovacuum
    and ANALYZE), not a count: counting would scan the very tables that are large."""
    rows = await pool.fetch(
        "SELECT c.relname, c.reltuples FROM pg_class c"
        " WHERE c.oid = ANY (SELECT to_regclass(t) FROM unnest($1::text[]) AS t)",
        list(tables),
    )
    for row in rows:
        if row["reltuples"] >= 0:  # -1: never analyzed yet, so unknown
            metrics.table_rows.labels(row["relname"]).set(row["reltuples"])


def retention_ctx(
    *extra: Callable[[ServiceSettings], Sequence[Purge]],
) -> Callable[[web.Application], AsyncIterator[None]]:
    """A cleanup context that purges the common tables and the service's own (`extra`) at
    start and then every `retention_interval`, and refreshes their size gauges; first it
    seals idempotency records an earlier release stored in plaintext."""

    async def ctx(app: web.Application) -> AsyncIterator[None]:
        settings = app[SETTINGS]
        purges = common_purges(settings) + [p for make in extra for p in make(settings)]
        tables = [p.table for p in purges]
        metrics = app[METRICS]

        sealed = False

        async def step() -> None:
            nonlocal sealed
            if not sealed:  # plaintext left by a release before sealing, once
                await seal_legacy_records(app[POOL], records_box(settings))
                sealed = True
            purged = await purge(
                dsn=str(settings.database_url),
                schema=settings.db_schema,
                purges=purges,
                batch_size=settings.retention_batch_size,
                metrics=metrics,
            )
            if purged is not None:
                metrics.retention_last_run.set_to_current_time()
                log.info("retention.purged", **purged)
            await record_sizes(app[POOL], tables=tables, metrics=metrics)

        loop = every(settings.retention_interval, step, name="retention")
        async with running(loop, name="retention"):
            yield

    return ctx
