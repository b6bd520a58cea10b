"""The delivery queue's claim on the real PostgreSQL: the per-endpoint cap holds, and an
endpoint with a large backlog due at once does not starve the others."""

import asyncio
from datetime import UTC, datetime

import asyncpg

from libs.common.ids import new_id
from services.webhooks.adapters import deliveries
from tests.integration.webhooks.conftest import endpoint_with_due


async def test_a_backlog_does_not_starve_other_endpoints(pool: asyncpg.Pool) -> None:
    backlog = await endpoint_with_due(pool, due=600, age_seconds=3600)  # e.g. a bulk retry
    other = await endpoint_with_due(pool, due=1, age_seconds=1)
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
    busy = [
        await endpoint_with_due(pool, due=20, age_seconds=3600, org="org_busy") for _ in range(10)
    ]
    other = await endpoint_with_due(pool, due=3, age_seconds=1, org="org_other")
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
    await endpoint_with_due(pool, due=5, age_seconds=-600)  # retries scheduled ten minutes ahead
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
        endpoints = [await endpoint_with_due(pool, due=0, age_seconds=0) for _ in range(3)]
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
    await endpoint_with_due(pool, due=1, age_seconds=1)
    claim = {"limit": 10, "lease_seconds": 30, "endpoint_cap": 10, "organization_cap": 25}
    [leased] = await deliveries.claim(pool, **claim)
    async with pool.acquire() as conn:
        requeued = await deliveries.schedule_now(conn, where="id = $1", args=[leased.id])
    assert requeued.ids == [leased.id]
    assert await deliveries.claim(pool, **claim) == []
    assert await deliveries.claim_fair(pool, **claim) == []
