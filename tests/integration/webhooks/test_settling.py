"""Successes settled in bulk by the next claim (`adapters/settling.py`), on the real
PostgreSQL: the statement records them and hands their places under the cap to the next
deliveries; a round where one receiver fails and one succeeds settles each as it should; a
worker that dies after claiming leaves its deliveries to be claimed again after the lease."""

import hashlib
import hmac
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from libs.common import jsoncodec
from libs.common.clock import utcnow
from libs.common.db import create_pool, migrate_down, migrate_up
from libs.common.eventstore import EventStore
from libs.common.identity import Identity
from libs.common.ids import new_id
from services.webhooks import service
from services.webhooks.adapters import deliveries, settling
from services.webhooks.adapters.metrics import WEBHOOK_METRICS
from services.webhooks.adapters.projections import WebhooksProjector
from services.webhooks.adapters.secrets import SecretBox
from services.webhooks.adapters.sender import Result
from services.webhooks.app import SERVICE, create_app
from services.webhooks.settings import DEV_SECRETS_KEY
from tests.conftest import until
from tests.integration.webhooks.conftest import endpoint_with_due, webhooks_settings

CLAIM = {"lease_seconds": 30, "endpoint_cap": 10, "organization_cap": 100}


def _success(due: deliveries.Due) -> settling.Success:
    return settling.Success(
        due=due,
        result=Result(status=204, duration_ms=7, body="thanks", error=None),
        started=datetime.now(UTC),
    )


async def test_a_claim_records_successes_and_hands_their_places_on(
    pool: asyncpg.Pool,
) -> None:
    endpoint = await endpoint_with_due(pool, due=15, age_seconds=60)
    await pool.execute(
        "INSERT INTO endpoint_health (endpoint_id, failing_since) VALUES ($1, now())", endpoint
    )
    first = await deliveries.claim(pool, limit=100, **CLAIM)
    assert len(first) == 10
    assert await deliveries.claim(pool, limit=100, **CLAIM) == []  # at the cap
    done = first[:3]
    # The statement sees its own settled leases in its snapshot: they must not count.
    more = await deliveries.claim(pool, limit=100, settle=[_success(d) for d in done], **CLAIM)
    assert len(more) == 3
    assert not {d.id for d in more} & {d.id for d in first}
    rows = await pool.fetch(
        "SELECT d.id, d.status, d.lease_until, d.last_status, a.attempt, a.http_status,"
        " a.response_body, a.duration_ms, a.endpoint_id FROM deliveries d"
        " JOIN delivery_attempts a ON a.delivery_id = d.id ORDER BY d.id"
    )
    assert sorted(r["id"] for r in rows) == sorted(d.id for d in done)
    for row in rows:
        assert row["status"] == "succeeded" and row["lease_until"] is None
        assert (row["last_status"], row["http_status"], row["attempt"]) == (204, 204, 1)
        assert (row["response_body"], row["duration_ms"]) == ("thanks", 7)
        assert row["endpoint_id"] == endpoint
    health = await pool.fetchrow(
        "SELECT failing_since, last_success_at FROM endpoint_health WHERE endpoint_id = $1",
        endpoint,
    )
    assert health["failing_since"] is None and health["last_success_at"] is not None
    leased = await pool.fetchval(
        "SELECT count(*) FROM deliveries WHERE status = 'pending' AND lease_until > now()"
    )
    assert leased == 10  # the 7 still under way and the 3 that took the freed places


async def test_successes_alone_are_settled_without_claiming(
    pool: asyncpg.Pool,
) -> None:
    await endpoint_with_due(pool, due=2, age_seconds=60)
    first, second = await deliveries.claim(pool, limit=100, **CLAIM)
    await settling.succeeded(pool, [_success(first)])
    statuses = dict(await pool.fetch("SELECT id, status FROM deliveries"))
    assert statuses == {first.id: "succeeded", second.id: "pending"}


async def test_a_worker_killed_after_claiming_leaves_them_claimable_after_the_lease(
    pool: asyncpg.Pool,
) -> None:
    await endpoint_with_due(pool, due=3, age_seconds=60)
    short = {**CLAIM, "lease_seconds": 1}
    claimed = await deliveries.claim(pool, limit=100, **short)
    assert len(claimed) == 3
    # The worker dies here: nothing settles them. Under the lease nobody else takes them...
    assert await deliveries.claim(pool, limit=100, **short) == []
    again: list[deliveries.Due] = []

    async def reclaimed() -> bool:
        again.extend(await deliveries.claim(pool, limit=100, **short))
        return len(again) == 3

    # ...and once it runs out they are claimed again, as the next attempt.
    await until(reclaimed, timeout=10, what="the lapsed leases claimed again")
    assert {d.id for d in again} == {d.id for d in claimed}
    assert {d.attempts for d in again} == {2}


@pytest.fixture
async def schema(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    conn = await asyncpg.connect(database_url)
    await migrate_up(conn, schema="webhooks", migrations=SERVICE.migrations())
    pool = await create_pool(database_url, schema="webhooks")
    yield pool
    await pool.close()
    await migrate_down(conn, schema="webhooks", migrations=SERVICE.migrations())
    await conn.close()


async def test_a_round_with_a_failing_and_a_succeeding_receiver_settles_both(
    schema: asyncpg.Pool, database_url: str, keys_dir: Path
) -> None:
    secrets: dict[str, str] = {}
    verified: list[bool] = []

    async def answer(request: web.Request) -> web.Response:
        body = await request.read()
        expected = hmac.new(secrets[request.path].encode(), body, hashlib.sha256).hexdigest()
        verified.append(hmac.compare_digest(expected, request.headers["X-Webhook-Signature"]))
        if request.path == "/fail":
            return web.Response(status=500, text="down")
        return web.Response(text="ok")

    receiver = web.Application()
    receiver.router.add_post("/{name}", answer)
    async with TestServer(receiver, host="127.0.0.1") as server:
        store = EventStore(schema="webhooks", projector=WebhooksProjector())
        who = Identity(
            organization_id=new_id("org"),
            mode="live",
            key_id="key_test",
            scopes=frozenset(),
            request_id="test",
        )
        ids = {}
        async with schema.acquire() as conn, conn.transaction():
            for name in ("ok", "fail"):
                created = await service.create(
                    conn,
                    store=store,
                    box=SecretBox(DEV_SECRETS_KEY),
                    who=who,
                    url=str(server.make_url(f"/{name}")),
                    events=["*"],
                    description=None,
                    enabled=True,
                )
                ids[name], secrets[f"/{name}"] = created.id, created.secret
            for n in range(5):
                event_id = new_id("evt")
                body = {"id": event_id, "event": "order.created", "data": {"n": n}}
                await conn.execute(
                    "INSERT INTO event_log (id, type, organization_id, mode, occurred_at,"
                    " body, payload) VALUES ($1, 'order.created', $2, 'live', now(), $3, $4)",
                    event_id,
                    who.organization_id,
                    body,
                    jsoncodec.dumps(body),
                )
                await deliveries.enqueue(
                    conn,
                    event_id=event_id,
                    event_type="order.created",
                    organization_id=who.organization_id,
                    mode="live",
                    event_at=utcnow(),
                    endpoint_ids=list(ids.values()),
                )
        settings = webhooks_settings(
            database_url,
            keys_dir,
            role="worker",
            retry_schedule=[0, 600],
            poll_interval=0.2,
            allowed_private_networks=["127.0.0.0/8"],
        )
        app = create_app(settings)
        async with TestClient(TestServer(app)):

            async def settled() -> bool:
                counts = await schema.fetchval(
                    "SELECT count(*) FROM delivery_attempts WHERE endpoint_id = ANY($1)",
                    list(ids.values()),
                )
                return bool(counts == 10)

            await until(settled, timeout=20, what="one attempt of each delivery recorded")
            rows = await schema.fetch(
                "SELECT d.endpoint_id, d.status, d.attempts, d.last_status, d.lease_until,"
                " d.next_attempt_at > now() + interval '5 minutes' AS later,"
                " a.http_status, a.response_body FROM deliveries d"
                " JOIN delivery_attempts a ON a.delivery_id = d.id"
            )
            metrics = app[WEBHOOK_METRICS].deliveries
            assert metrics.labels("succeeded", "2xx")._value.get() == 5
            assert metrics.labels("retrying", "5xx")._value.get() == 5
        health = dict(
            (r["endpoint_id"], r)
            for r in await schema.fetch(
                "SELECT * FROM endpoint_health WHERE endpoint_id = ANY($1)", list(ids.values())
            )
        )
    assert len(verified) == 10 and all(verified)
    ok = [r for r in rows if r["endpoint_id"] == ids["ok"]]
    failed = [r for r in rows if r["endpoint_id"] == ids["fail"]]
    assert len(ok) == len(failed) == 5
    for row in ok:
        assert (row["status"], row["last_status"], row["http_status"]) == ("succeeded", 200, 200)
        assert row["response_body"] == "ok" and row["lease_until"] is None
    for row in failed:
        assert (row["status"], row["last_status"], row["http_status"]) == ("pending", 500, 500)
        assert row["response_body"] == "down" and row["lease_until"] is None
        assert row["attempts"] == 1 and row["later"]  # on the schedule: 600 s ± 10 %
    assert health[ids["fail"]]["failing_since"] is not None
    assert ids["ok"] not in health or health[ids["ok"]]["failing_since"] is None
