"""Retention of the webhooks tables on the real PostgreSQL: final deliveries and old attempts
go in bounded batches, pending and recent ones stay, and the event log keeps every event a
remaining delivery refers to."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from libs.common.db import create_pool, migrate_down, migrate_up
from libs.common.ids import new_id
from libs.common.metrics import Metrics
from libs.common.retention import Cursor, Purge, purge
from services.webhooks.adapters import retention
from services.webhooks.app import SERVICE
from services.webhooks.settings import Settings
from tests.conftest import unique

NOW = datetime.now(UTC)
OLD = NOW - timedelta(days=40)  # past every default retention (30 days)


@pytest.fixture
def schema() -> str:
    return unique("wh_retention").lower()


@pytest.fixture
async def pool(database_url: str, schema: str) -> AsyncIterator[asyncpg.Pool]:
    conn = await asyncpg.connect(database_url)
    await migrate_up(conn, schema=schema, migrations=SERVICE.migrations())
    pool = await create_pool(database_url, schema=schema)
    yield pool
    await pool.close()
    await migrate_down(conn, schema=schema, migrations=SERVICE.migrations())
    await conn.close()


def _ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


async def _event(pool: asyncpg.Pool, at: datetime) -> str:
    event_id = new_id("evt", now_ms=_ms(at))
    await pool.execute(
        "INSERT INTO event_log (id, type, organization_id, mode, occurred_at, body, payload)"
        " VALUES ($1, 'order.created', 'org_x', 'live', $2, '{}', '\\x7b7d')",
        event_id,
        at,
    )
    return event_id


async def _delivery(
    pool: asyncpg.Pool, event_id: str, *, at: datetime, status: str, last_due: datetime
) -> str:
    delivery_id = new_id("del", now_ms=_ms(at))
    await pool.execute(
        "INSERT INTO deliveries (id, endpoint_id, event_id, event_type, organization_id, mode,"
        " status, next_attempt_at, created_at, event_at)"
        " VALUES ($1, 'we_x', $2, 'order.created', 'org_x', 'live', $3, $4, $5, $5)",
        delivery_id,
        event_id,
        status,
        last_due,
        at,
    )
    return delivery_id


async def _attempt(pool: asyncpg.Pool, delivery_id: str, attempt: int, at: datetime) -> None:
    await pool.execute(
        "INSERT INTO delivery_attempts (delivery_id, attempt, started_at, duration_ms,"
        " http_status) VALUES ($1, $2, $3, 12, 200)",
        delivery_id,
        attempt,
        at,
    )


async def _ids(pool: asyncpg.Pool, sql: str) -> set[str]:
    return {r[0] for r in await pool.fetch(sql)}


def _counting(purges: list[Purge], calls: dict[str, list[int]]) -> list[Purge]:
    def wrap(each: Purge) -> Purge:
        async def batch(
            conn: asyncpg.Connection, limit: int, cutoff: datetime, cursor: Cursor
        ) -> tuple[int, Cursor]:
            deleted, cursor = await each.batch(conn, limit, cutoff, cursor)
            calls.setdefault(each.table, []).append(deleted)
            return deleted, cursor

        return Purge(each.table, each.keep, batch)

    return [wrap(p) for p in purges]


async def test_final_deliveries_go_with_their_attempts_and_events_pending_ones_stay(
    pool: asyncpg.Pool, database_url: str, schema: str
) -> None:
    # Old and done: the delivery, its attempts and then its event go.
    done_events = [await _event(pool, OLD) for _ in range(7)]
    done = [
        await _delivery(pool, e, at=OLD, status=s, last_due=OLD + timedelta(hours=1))
        for e, s in zip(done_events, ["succeeded", "failed"] * 4, strict=False)
    ]
    for d in done:
        await _attempt(pool, d, 1, OLD)
    # Old but still pending (retrying), and old but recovered two days ago: they stay, and so
    # do their events and their recent attempts.
    pending_event = await _event(pool, OLD)
    pending = await _delivery(pool, pending_event, at=OLD, status="pending", last_due=NOW)
    recovered_event = await _event(pool, OLD)
    recovered = await _delivery(
        pool, recovered_event, at=OLD, status="failed", last_due=NOW - timedelta(days=2)
    )
    await _attempt(pool, recovered, 1, OLD)  # 40 days ago: past the attempts' retention
    await _attempt(pool, recovered, 2, NOW - timedelta(days=2))
    # Young: all stays.
    young_event = await _event(pool, NOW)
    young = await _delivery(pool, young_event, at=NOW, status="succeeded", last_due=NOW)
    await _attempt(pool, young, 1, NOW)
    # Old and never delivered anywhere: goes.
    lone = await _event(pool, OLD)

    metrics = Metrics("test")
    calls: dict[str, list[int]] = {}
    purged = await purge(
        dsn=database_url,
        schema=schema,
        purges=_counting(retention.purges(Settings()), calls),
        batch_size=3,
        metrics=metrics,
        pause=0,
    )

    assert purged is not None
    assert (purged["deliveries"], purged["delivery_attempts"], purged["event_log"]) == (7, 1, 8)
    assert max(calls["deliveries"]) <= 3 and len(calls["deliveries"]) >= 3
    assert await _ids(pool, "SELECT id FROM deliveries") == {pending, recovered, young}
    assert await _ids(pool, "SELECT id FROM event_log") == {
        pending_event,
        recovered_event,
        young_event,
    }
    assert lone not in await _ids(pool, "SELECT id FROM event_log")
    attempts = await pool.fetch("SELECT delivery_id, attempt FROM delivery_attempts")
    assert sorted((r["delivery_id"], r["attempt"]) for r in attempts) == sorted(
        [(recovered, 2), (young, 1)]
    )
    assert (
        metrics.registry.get_sample_value(
            "stacknex_retention_purged_rows_total", {"table": "event_log"}
        )
        == 8
    )


async def test_each_retention_is_its_own_setting(
    pool: asyncpg.Pool, database_url: str, schema: str
) -> None:
    event = await _event(pool, NOW - timedelta(days=10))
    delivery = await _delivery(
        pool,
        event,
        at=NOW - timedelta(days=10),
        status="succeeded",
        last_due=NOW - timedelta(days=9),
    )
    await _attempt(pool, delivery, 1, NOW - timedelta(days=9))
    settings = Settings(deliveries_retention_days=60, delivery_attempts_retention_days=7)
    purged = await purge(
        dsn=database_url,
        schema=schema,
        purges=retention.purges(settings),
        batch_size=100,
        metrics=Metrics("test"),
    )
    assert purged == {"deliveries": 0, "delivery_attempts": 1, "event_log": 0}
    assert await _ids(pool, "SELECT id FROM deliveries") == {delivery}


def test_the_event_log_retention_cannot_go_below_the_30_days_the_events_api_promises() -> None:
    with pytest.raises(ValueError, match="events_retention_days"):
        Settings(events_retention_days=7)
