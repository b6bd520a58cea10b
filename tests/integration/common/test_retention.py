"""Retention of the tables every service has, on the real PostgreSQL: old rows go in
bounded batches, young ones stay, one replica purges at a time, and the sizes are metrics."""

from datetime import UTC, datetime, timedelta

import asyncpg

from libs.common.ids import new_id
from libs.common.metrics import Metrics
from libs.common.retention import Cursor, Purge, common_purges, purge, record_sizes
from libs.common.settings import ServiceSettings

NOW = datetime.now(UTC)


def _ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


async def _processed(
    pool: asyncpg.Pool, consumer: str, *, made: datetime, processed: datetime
) -> str:
    event_id = new_id("evt", now_ms=_ms(made))
    await pool.execute(
        "INSERT INTO processed_events (consumer, event_id, processed_at) VALUES ($1, $2, $3)",
        consumer,
        event_id,
        processed,
    )
    return event_id


def _counting(purges: list[Purge], calls: dict[str, list[int]]) -> list[Purge]:
    """The same purges, recording what each batch deleted."""

    def wrap(each: Purge) -> Purge:
        async def batch(
            conn: asyncpg.Connection, limit: int, cutoff: datetime, cursor: Cursor
        ) -> tuple[int, Cursor]:
            deleted, cursor = await each.batch(conn, limit, cutoff, cursor)
            calls.setdefault(each.table, []).append(deleted)
            return deleted, cursor

        return Purge(each.table, each.keep, batch)

    return [wrap(p) for p in purges]


async def test_processed_events_past_their_retention_go_in_batches_and_the_rest_stay(
    pool: asyncpg.Pool, database_url: str, schema: str, metrics: Metrics
) -> None:
    settings = ServiceSettings()  # 14 days
    old = NOW - timedelta(days=20)
    doomed = [
        await _processed(pool, consumer, made=old, processed=old)
        for consumer in ("inventory.events", "webhooks.events")
        for _ in range(12)
    ]
    kept = [
        await _processed(pool, "webhooks.events", made=NOW, processed=NOW),
        # An old event processed only lately (a long backlog): its redelivery may still come.
        await _processed(pool, "webhooks.events", made=old, processed=NOW - timedelta(days=1)),
        await _processed(pool, "inventory.events", made=NOW - timedelta(days=13), processed=NOW),
    ]
    calls: dict[str, list[int]] = {}

    purged = await purge(
        dsn=database_url,
        schema=schema,
        purges=_counting(common_purges(settings), calls),
        batch_size=5,
        metrics=metrics,
        pause=0,
    )

    assert purged == {"idempotency_keys": 0, "processed_events": len(doomed)}
    assert max(calls["processed_events"]) <= 5 and len(calls["processed_events"]) >= 5
    left = await pool.fetch("SELECT event_id FROM processed_events")
    assert sorted(r["event_id"] for r in left) == sorted(kept)
    assert metrics.retention_purged.labels("processed_events")._value.get() == len(doomed)


async def test_idempotency_records_are_kept_24_hours(
    pool: asyncpg.Pool, database_url: str, schema: str, metrics: Metrics
) -> None:
    for age_hours, n in ((25, 7), (23, 2)):
        await pool.execute(
            "INSERT INTO idempotency_keys (organization_id, mode, key, fingerprint, status,"
            " headers, body, created_at) SELECT 'org_x', 'live', $1::int || '-' || i, 'f', 201,"
            " '{}', '', now() - make_interval(hours => $1::int) FROM generate_series(1, $2) AS i",
            age_hours,
            n,
        )
    purged = await purge(
        dsn=database_url,
        schema=schema,
        purges=common_purges(ServiceSettings()),
        batch_size=3,
        metrics=metrics,
        pause=0,
    )
    assert purged is not None and purged["idempotency_keys"] == 7
    assert await pool.fetchval("SELECT count(*) FROM idempotency_keys") == 2


async def test_a_replica_leaves_the_purge_to_the_one_that_holds_the_lock(
    pool: asyncpg.Pool, database_url: str, schema: str, metrics: Metrics
) -> None:
    old = NOW - timedelta(days=30)
    await _processed(pool, "webhooks.events", made=old, processed=old)
    other = await asyncpg.connect(database_url)
    try:
        await other.execute("SELECT pg_advisory_lock(hashtext($1))", f"stacknex.retention.{schema}")
        assert (
            await purge(
                dsn=database_url,
                schema=schema,
                purges=common_purges(ServiceSettings()),
                batch_size=100,
                metrics=metrics,
            )
            is None
        )
        assert await pool.fetchval("SELECT count(*) FROM processed_events") == 1
    finally:
        await other.close()
    # Once the holder is gone, the next run purges.
    purged = await purge(
        dsn=database_url,
        schema=schema,
        purges=common_purges(ServiceSettings()),
        batch_size=100,
        metrics=metrics,
    )
    assert purged is not None and purged["processed_events"] == 1


async def test_table_sizes_are_reported_from_the_planner_statistics(
    pool: asyncpg.Pool, metrics: Metrics
) -> None:
    for _ in range(40):
        await _processed(pool, "webhooks.events", made=NOW, processed=NOW)
    await record_sizes(pool, tables=["processed_events"], metrics=metrics)
    # Never analyzed: unknown, so not reported rather than reported as 0 or -1.
    assert (
        metrics.registry.get_sample_value("stacknex_table_rows", {"table": "processed_events"})
        is None
    )
    await pool.execute("ANALYZE processed_events")
    await record_sizes(pool, tables=["processed_events", "idempotency_keys"], metrics=metrics)
    assert (
        metrics.registry.get_sample_value("stacknex_table_rows", {"table": "processed_events"})
        == 40
    )
