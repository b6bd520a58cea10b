"""The delivery queue's claim on the real PostgreSQL: the per-endpoint cap holds, and an
endpoint with a large backlog due at once does not starve the others."""

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import asyncpg
import pytest

from libs.common.db import create_pool, migrate_down, migrate_up
from libs.common.ids import new_id
from services.webhooks.adapters import deliveries
from services.webhooks.app import SERVICE
from tests.conftest import unique


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    schema = unique("wh_claim").replace(".", "_").replace("-", "_").lower()
    conn = await asyncpg.connect(database_url)
    await migrate_up(conn, schema=schema, migrations=SERVICE.migrations())
    pool = await create_pool(database_url, schema=schema)
    yield pool
    await pool.close()
    await migrate_down(conn, schema=schema, migrations=SERVICE.migrations())
    await conn.close()


async def _endpoint(pool: asyncpg.Pool, *, due: int, age_seconds: int, org: str = "org_x") -> str:
    """An endpoint of `org` with `due` deliveries that fell due `age_seconds` ago."""
    endpoint_id = new_id("we")
    await pool.execute(
        "INSERT INTO endpoints (id, organization_id, mode, url, events, enabled, secret, version,"
        " created_at, updated_at) VALUES ($1, $2, 'live', 'https://example.com/hook',"
        " '{*}', true, 'sealed', 1, now(), now())",
        endpoint_id,
        org,
    )
    events = [new_id("evt") for _ in range(due)]
    await pool.execute(
        "INSERT INTO event_log (id, type, organization_id, mode, occurred_at, body, payload)"
        " SELECT e, 'order.created', $2, 'live', now(), '{}', '\\x7b7d'"
        " FROM unnest($1::text[]) AS e",
        events,
        org,
    )
    await pool.execute(
        "INSERT INTO deliveries (id, endpoint_id, event_id, event_type, organization_id, mode,"
        " status, next_attempt_at, created_at, event_at)"
        " SELECT 'del_' || e, $1, e, 'order.created', $4, 'live', 'pending',"
        " now() - make_interval(secs => $2), now(), now() FROM unnest($3::text[]) AS e",
        endpoint_id,
        age_seconds,
        events,
        org,
    )
    return endpoint_id


async def test_a_backlog_does_not_starve_other_endpoints(pool: asyncpg.Pool) -> None:
    backlog = await _endpoint(pool, due=600, age_seconds=3600)  # e.g. a bulk retry
    other = await _endpoint(pool, due=1, age_seconds=1)
    claim = {"limit": 100, "lease_seconds": 30, "endpoint_cap": 10, "organization_cap": 100}
    # The oldest-first window is all backlog, so the plain claim takes only its cap...
    first = await deliveries.claim(pool, **claim)
    assert [d.endpoint_id for d in first] == [backlog] * 10
    # ...and the fair pass, endpoint by endpoint, finds the other one.
    fair = await deliveries.claim_fair(pool, **claim)
    assert [d.endpoint_id for d in fair] == [other]
    # Both are at their cap (or empty) now: nothing more until an attempt finishes.
    assert await deliveries.claim(pool, **claim) == []
    assert await deliveries.claim_fair(pool, **claim) == []
    in_flight = await pool.fetchval(
        "SELECT count(*) FROM deliveries WHERE lease_until > now() AND endpoint_id = $1", backlog
    )
    assert in_flight == 10


async def test_one_organization_gets_no_more_than_its_share_of_the_slots(
    pool: asyncpg.Pool,
) -> None:
    # Ten endpoints of one organization, each with a backlog older than anything else.
    busy = [await _endpoint(pool, due=20, age_seconds=3600, org="org_busy") for _ in range(10)]
    other = await _endpoint(pool, due=3, age_seconds=1, org="org_other")
    claim = {"limit": 100, "lease_seconds": 30, "endpoint_cap": 10, "organization_cap": 25}
    first = await deliveries.claim(pool, **claim)
    assert sum(d.endpoint_id in busy for d in first) == 25
    fair = await deliveries.claim_fair(pool, **claim)
    taken = first + fair
    assert sum(d.endpoint_id in busy for d in taken) == 25  # the cap holds across both passes
    assert sum(d.endpoint_id == other for d in taken) == 3  # the other organization's all go
    # Its 25 in flight, the busy organization gets nothing more until one finishes.
    assert await deliveries.claim(pool, **claim) == []
    assert await deliveries.claim_fair(pool, **claim) == []


async def test_deliveries_not_yet_due_are_left_alone(pool: asyncpg.Pool) -> None:
    await _endpoint(pool, due=5, age_seconds=-600)  # retries scheduled ten minutes ahead
    claim = {"limit": 100, "lease_seconds": 30, "endpoint_cap": 10, "organization_cap": 100}
    assert await deliveries.claim(pool, **claim) == []
    assert await deliveries.claim_fair(pool, **claim) == []


async def test_enqueue_inserts_one_per_endpoint_once_and_wakes_the_workers_at_commit(
    pool: asyncpg.Pool, database_url: str
) -> None:
    woken = asyncio.Event()
    listener = await asyncpg.connect(database_url)
    await listener.add_listener(deliveries.WAKE_CHANNEL, lambda *_: woken.set())
    try:
        endpoints = [await _endpoint(pool, due=0, age_seconds=0) for _ in range(3)]
        enqueue = {
            "event_id": new_id("evt"),
            "event_type": "order.created",
            "organization_id": "org_x",
            "mode": "live",
            "event_at": datetime.now(UTC),
            "endpoint_ids": endpoints,
        }
        async with pool.acquire() as conn, conn.transaction():
            added = await deliveries.enqueue(conn, **enqueue)
            assert len(added) == 3 and not woken.is_set()  # NOTIFY is delivered at commit
        await asyncio.wait_for(woken.wait(), timeout=10)
        woken.clear()
        async with pool.acquire() as conn, conn.transaction():
            assert await deliveries.enqueue(conn, **enqueue) == []  # a redelivered event
        stored = await pool.fetch(
            "SELECT endpoint_id FROM deliveries WHERE event_id = $1", enqueue["event_id"]
        )
        assert sorted(r["endpoint_id"] for r in stored) == sorted(endpoints)
    finally:
        await listener.close()


async def test_a_retry_while_an_attempt_is_in_flight_does_not_send_it_twice(
    pool: asyncpg.Pool,
) -> None:
    """`retry` (and `recover`) must not free a delivery another worker is sending: its
    attempt settles it; only a lapsed lease lets a second worker take it."""
    await _endpoint(pool, due=1, age_seconds=1)
    claim = {"limit": 10, "lease_seconds": 30, "endpoint_cap": 10, "organization_cap": 25}
    [leased] = await deliveries.claim(pool, **claim)
    async with pool.acquire() as conn:
        requeued = await deliveries.schedule_now(conn, where="id = $1", args=[leased.id])
    assert requeued.ids == [leased.id]
    assert await deliveries.claim(pool, **claim) == []
    assert await deliveries.claim_fair(pool, **claim) == []
