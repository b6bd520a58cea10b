"""A delivery whose event is past the event log's retention, on the real PostgreSQL and
RabbitMQ: the purge keeps every event a delivery still refers to, retry and recover never
requeue a delivery whose event is gone, and a pending row that cannot be sent is ended by
the fair pass instead of blocking its endpoint's places in the claim."""

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest
from aiohttp.test_utils import TestClient, TestServer

from libs.common.db import create_pool, migrate_down, migrate_up
from libs.common.events import Event
from libs.common.eventstore import EventStore
from libs.common.identity import Identity
from libs.common.ids import new_id
from libs.common.keys import Keyring
from libs.common.metrics import Metrics
from services.webhooks import service
from services.webhooks.adapters import deliveries
from services.webhooks.adapters.projections import WebhooksProjector
from services.webhooks.adapters.secrets import SecretBox
from services.webhooks.app import SERVICE, create_app
from services.webhooks.settings import DEV_SECRETS_KEY
from tests.conftest import until
from tests.integration.catalog.conftest import Caller
from tests.integration.webhooks.conftest import webhooks_settings

CLAIM = {"limit": 100, "lease_seconds": 30, "endpoint_cap": 10, "organization_cap": 25}
OLD = datetime.now(UTC) - timedelta(days=45)  # past the 30-day event log retention


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    conn = await asyncpg.connect(database_url)
    await migrate_up(conn, schema="webhooks", migrations=SERVICE.migrations())
    pool = await create_pool(database_url, schema="webhooks")
    yield pool
    await pool.close()
    await migrate_down(conn, schema="webhooks", migrations=SERVICE.migrations())
    await conn.close()


StartApp = Callable[[], Awaitable[TestClient]]


@pytest.fixture
async def start_app(
    database_url: str, pool: asyncpg.Pool, keys_dir: Path
) -> AsyncIterator[StartApp]:
    """Starts the API role (no delivery worker: the test claims) once the data is in place;
    its retention task runs once at start."""
    clients: list[TestClient] = []

    async def start() -> TestClient:
        settings = webhooks_settings(
            database_url,
            keys_dir,
            role="api",
        )
        client = TestClient(TestServer(create_app(settings)))
        await client.start_server()
        clients.append(client)
        return client

    yield start
    for client in clients:
        await client.close()


async def _endpoint(pool: asyncpg.Pool, who: Identity) -> str:
    store = EventStore(schema="webhooks", projector=WebhooksProjector(), metrics=Metrics("t"))
    async with pool.acquire() as conn, conn.transaction():
        endpoint = await service.create(
            conn,
            store=store,
            box=SecretBox(DEV_SECRETS_KEY),
            who=who,
            url="https://example.com/hook",
            events=["*"],
            description=None,
            enabled=True,
        )
    return endpoint.id


async def _old_event(pool: asyncpg.Pool, who: Identity, *, failed: bool = True) -> str:
    """An order.created of 45 days ago, logged and fanned out to the organization's
    endpoints; its deliveries ran out of retries (`failed`) long ago."""
    event = Event(
        id=new_id("evt", now_ms=int(OLD.timestamp() * 1000)),
        event="order.created",
        timestamp=OLD,
        organization_id=who.organization_id,
        mode=who.mode,
        data={"id": new_id("ord")},
    )
    async with pool.acquire() as conn, conn.transaction():
        await service.record(conn, event=event)
        await service.fan_out(conn, event=event)
        if failed:
            await conn.execute(
                "UPDATE deliveries SET status = 'failed', attempts = 10, last_status = 503,"
                " next_attempt_at = $2 WHERE event_id = $1",
                event.id,
                OLD + timedelta(days=3),
            )
    return event.id


def _who(organization_id: str) -> Identity:
    return Identity(
        organization_id=organization_id,
        mode="live",
        key_id="key_test",
        scopes=frozenset(),
        request_id="req_test",
    )


async def _logged(pool: asyncpg.Pool, event_id: str) -> bool:
    return bool(await pool.fetchval("SELECT count(*) FROM event_log WHERE id = $1", event_id))


async def test_an_event_a_delivery_refers_to_outlives_the_log_retention_and_can_be_retried(
    pool: asyncpg.Pool, start_app: StartApp, gateway_keys: Keyring
) -> None:
    who = _who(new_id("org"))
    endpoint_id = await _endpoint(pool, who)
    referenced = await _old_event(pool, who)
    # An old event nobody subscribed to: its disappearance says the purge has run.
    unreferenced = await _old_event(pool, _who(new_id("org")))
    [delivery_id] = [
        r["id"]
        for r in await pool.fetch("SELECT id FROM deliveries WHERE event_id = $1", referenced)
    ]

    client = await start_app()
    await until(lambda: _not_logged(pool, unreferenced), timeout=30, what="the event log purge")
    assert await _logged(pool, referenced)  # a delivery still refers to it

    caller = Caller(client, who.organization_id, who.mode, gateway_keys, audience="webhooks")
    status, body, _ = await caller.call(
        "POST", f"/api/v1/webhooks/{endpoint_id}/deliveries/{delivery_id}/retry"
    )
    assert (status, body["data"]["status"]) == (202, "pending")
    # The retried delivery is claimable, with the exact bytes of its event.
    claimed = await deliveries.claim(pool, **CLAIM)
    assert [(d.id, d.event_id) for d in claimed] == [(delivery_id, referenced)]
    assert claimed[0].payload


async def _not_logged(pool: asyncpg.Pool, event_id: str) -> bool:
    return not await _logged(pool, event_id)


async def test_retry_of_a_delivery_whose_event_is_gone_is_refused_with_410(
    pool: asyncpg.Pool, start_app: StartApp, gateway_keys: Keyring
) -> None:
    who = _who(new_id("org"))
    endpoint_id = await _endpoint(pool, who)
    event_id = await _old_event(pool, who)
    delivery_id = await pool.fetchval("SELECT id FROM deliveries WHERE event_id = $1", event_id)
    # As an earlier release's purge left it: the delivery kept, its event deleted.
    await pool.execute("DELETE FROM event_log WHERE id = $1", event_id)

    caller = Caller(
        await start_app(), who.organization_id, who.mode, gateway_keys, audience="webhooks"
    )
    status, body, _ = await caller.call(
        "POST", f"/api/v1/webhooks/{endpoint_id}/deliveries/{delivery_id}/retry"
    )
    assert (status, body["error"]["code"]) == (410, "EVENT_EXPIRED")
    assert body["error"]["details"] == {"eventId": event_id}
    assert await pool.fetchval("SELECT status FROM deliveries WHERE id = $1", delivery_id) == (
        "failed"
    )


async def test_recover_skips_deliveries_whose_event_is_gone_and_counts_them(
    pool: asyncpg.Pool, start_app: StartApp, gateway_keys: Keyring
) -> None:
    who = _who(new_id("org"))
    endpoint_id = await _endpoint(pool, who)
    gone = await _old_event(pool, who)
    kept = await _old_event(pool, who)
    await pool.execute("DELETE FROM event_log WHERE id = $1", gone)

    caller = Caller(
        await start_app(), who.organization_id, who.mode, gateway_keys, audience="webhooks"
    )
    status, body, _ = await caller.call(
        "POST",
        f"/api/v1/webhooks/{endpoint_id}/recover",
        {"since": (OLD - timedelta(days=1)).isoformat()},
    )
    kept_delivery = await pool.fetchval("SELECT id FROM deliveries WHERE event_id = $1", kept)
    assert status == 202
    assert body["data"] == {"requeued": 1, "deliveryIds": [kept_delivery], "skipped": 1}
    assert [d.event_id for d in await deliveries.claim(pool, **CLAIM)] == [kept]


async def test_ten_unsendable_deliveries_no_longer_block_their_endpoint(
    pool: asyncpg.Pool,
) -> None:
    who = _who(new_id("org"))
    await _endpoint(pool, who)
    # Ten, the endpoint's cap: they used to take every place the claim gives it, forever.
    stuck = [await _old_event(pool, who, failed=False) for _ in range(10)]
    sendable = await _old_event(pool, who, failed=False)
    await pool.execute("DELETE FROM event_log WHERE id = ANY($1)", stuck)

    # The ten are the oldest due: they take the endpoint's places in the claim, which comes
    # back short; the fair pass that follows picks them too, and ends them.
    assert await deliveries.claim(pool, **CLAIM) == []
    assert await deliveries.claim_fair(pool, **CLAIM) == []
    assert [d.event_id for d in await deliveries.claim(pool, **CLAIM)] == [sendable]
    rows = await pool.fetch(
        "SELECT status, lease_until, last_error FROM deliveries WHERE event_id = ANY($1)", stuck
    )
    assert [(r["status"], r["lease_until"]) for r in rows] == [("failed", None)] * 10
    assert all("event log" in r["last_error"] for r in rows)
    # Nothing is left for either pass: they no longer sit in the oldest-first window.
    assert await deliveries.claim(pool, **CLAIM) == []
    assert await deliveries.claim_fair(pool, **CLAIM) == []


async def test_the_fair_pass_ends_unsendable_deliveries_too(pool: asyncpg.Pool) -> None:
    who = _who(new_id("org"))
    await _endpoint(pool, who)
    stuck = await _old_event(pool, who, failed=False)
    await pool.execute("DELETE FROM event_log WHERE id = $1", stuck)

    assert await deliveries.claim_fair(pool, **CLAIM) == []
    assert await pool.fetchval("SELECT status FROM deliveries WHERE event_id = $1", stuck) == (
        "failed"
    )
