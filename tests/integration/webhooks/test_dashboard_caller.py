"""The dashboard as a caller of the webhooks service (in process, real PostgreSQL and
RabbitMQ): it signs for a member, the service checks the member's scopes itself, records
the member as the actor of every action (a reveal too, without touching the endpoint's
version), and answers the dashboard's own reads: health, an event's deliveries, the
security history."""

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pytest
from aiohttp.test_utils import TestClient, TestServer

from libs.common import identity
from libs.common.db import migrate_down, migrate_up
from libs.common.ids import new_id
from libs.common.keys import Keyring
from services.webhooks.adapters import dashboard_views
from services.webhooks.app import SERVICE, create_app
from tests.conftest import keyring
from tests.integration.webhooks.conftest import webhooks_settings

READ = frozenset({"webhooks:read", "events:read"})
WRITE = READ | {"webhooks:write"}
URL = "https://93.184.216.34/hook"


@pytest.fixture(scope="module")
async def webhooks(database_url: str, keys_dir: Path) -> AsyncIterator[TestClient]:
    conn = await asyncpg.connect(database_url)
    await migrate_up(conn, schema="webhooks", migrations=SERVICE.migrations())
    settings = webhooks_settings(database_url, keys_dir, role="api")
    async with TestClient(TestServer(create_app(settings))) as client:
        yield client
    await migrate_down(conn, schema="webhooks", migrations=SERVICE.migrations())
    await conn.close()


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(database_url, server_settings={"search_path": "webhooks"})
    yield conn
    await conn.close()


@dataclass
class Signer:
    """One service signing for one organization, mode and actor, with the given scopes."""

    client: TestClient
    keys: Keyring
    organization_id: str = field(default_factory=lambda: new_id("org"))
    mode: str = "live"
    key_id: str = field(default_factory=lambda: new_id("mem"))
    scopes: frozenset[str] = WRITE

    def but(self, **changes: Any) -> "Signer":
        return Signer(**{**self.__dict__, **changes})

    async def call(
        self, method: str, path: str, body: Any = None
    ) -> tuple[int, dict[str, Any], aiohttp.ClientResponse]:
        token = self.keys.sign(
            identity.Identity(
                organization_id=self.organization_id,
                mode=self.mode,  # type: ignore[arg-type]
                key_id=self.key_id,
                scopes=self.scopes,
                request_id="req_test",
            ),
            audience="webhooks",
        )
        response = await self.client.request(
            method, path, json=body, headers={identity.HEADER: token}
        )
        return response.status, await response.json(), response


@pytest.fixture
def developer(webhooks: TestClient, keys_dir: Path) -> Signer:
    return Signer(webhooks, keyring(keys_dir, "dashboard"))


async def _endpoint(signer: Signer, **extra: Any) -> dict[str, Any]:
    status, body, _ = await signer.call(
        "POST", "/api/v1/webhooks", {"url": URL, "events": ["order.created"], **extra}
    )
    assert status == 201, body
    return body["data"]


async def test_the_dashboard_may_call_the_public_routes_and_another_service_may_not(
    developer: Signer, keys_dir: Path
) -> None:
    created = await _endpoint(developer)
    for path in (
        "/api/v1/webhooks",
        f"/api/v1/webhooks/{created['id']}",
        f"/api/v1/webhooks/{created['id']}/deliveries",
        "/api/v1/events",
    ):
        status, body, _ = await developer.call("GET", path)
        assert status == 200, (path, body)
    orders = developer.but(keys=keyring(keys_dir, "orders"))
    for method, path in (
        ("GET", "/api/v1/webhooks"),
        ("POST", f"/api/v1/webhooks/{created['id']}/test"),
        ("GET", "/internal/v1/webhooks/health"),
        ("GET", "/internal/v1/security"),
    ):
        status, body, _ = await orders.call(method, path)
        assert (status, body["error"]["code"]) == (403, "CALLER_NOT_ALLOWED"), path
    # The internal routes are the dashboard's alone: not the gateway's either.
    gateway = developer.but(keys=keyring(keys_dir, "gateway"), key_id="key_test")
    status, body, _ = await gateway.call("GET", "/internal/v1/webhooks/health")
    assert (status, body["error"]["code"]) == (403, "CALLER_NOT_ALLOWED")


async def test_a_viewer_reads_but_cannot_write_or_reveal_a_secret(developer: Signer) -> None:
    created = await _endpoint(developer)
    viewer = developer.but(key_id=new_id("mem"), scopes=READ)
    status, _, _ = await viewer.call("GET", f"/api/v1/webhooks/{created['id']}")
    assert status == 200
    for method, path, body in (
        ("POST", "/api/v1/webhooks", {"url": URL, "events": ["*"]}),
        ("PATCH", f"/api/v1/webhooks/{created['id']}", {"enabled": False}),
        ("DELETE", f"/api/v1/webhooks/{created['id']}", None),
        ("POST", f"/api/v1/webhooks/{created['id']}/test", None),
        ("POST", f"/api/v1/webhooks/{created['id']}/rotate-secret", None),
        ("GET", f"/api/v1/webhooks/{created['id']}/secret", None),
    ):
        status, answer, _ = await viewer.call(method, path, body)
        assert (status, answer["error"]["code"]) == (403, "INSUFFICIENT_SCOPE"), path
        expected = "webhooks:write"
        assert answer["error"]["details"]["requiredScope"] == expected
    no_events = developer.but(scopes=frozenset({"webhooks:read"}))
    status, answer, _ = await no_events.call("GET", "/api/v1/events")
    assert (status, answer["error"]["details"]["requiredScope"]) == (403, "events:read")
    # Nothing of the refused writes happened.
    status, got, _ = await developer.call("GET", f"/api/v1/webhooks/{created['id']}")
    assert got["data"]["version"] == 1 and got["data"]["enabled"] is True


async def test_every_change_names_its_actor_and_a_reveal_is_recorded_without_a_new_version(
    developer: Signer, db: asyncpg.Connection
) -> None:
    created = await _endpoint(developer)
    endpoint_id = created["id"]
    await developer.call("PATCH", f"/api/v1/webhooks/{endpoint_id}", {"description": "Ops"})
    status, secret, _ = await developer.call("GET", f"/api/v1/webhooks/{endpoint_id}/secret")
    assert status == 200 and secret["data"]["secret"] == created["secret"]
    status, got, response = await developer.call("GET", f"/api/v1/webhooks/{endpoint_id}")
    assert response.headers["ETag"] == '"2"' and got["data"]["version"] == 2
    rows = await db.fetch(
        "SELECT type, metadata->>'actor' AS actor FROM events WHERE stream_id = ANY($1)"
        " ORDER BY position",
        [endpoint_id, f"{endpoint_id}:actions"],
    )
    assert [(r["type"], r["actor"]) for r in rows] == [
        ("webhook_endpoint.created", developer.key_id),
        ("webhook_endpoint.updated", developer.key_id),
        ("webhook_endpoint.secret_revealed", developer.key_id),
    ]
    # The read model still holds the endpoint, not the action.
    assert await db.fetchval("SELECT version FROM endpoints WHERE id = $1", endpoint_id) == 2


async def _attempts(
    db: asyncpg.Connection, endpoint_id: str, results: list[tuple[int | None, str | None, float]]
) -> None:
    """Deliveries of `endpoint_id` with one attempt each: (status, error, hours ago)."""
    now = datetime.now(UTC)
    for status, error, hours in results:
        delivery_id = new_id("del")
        await db.execute(
            "INSERT INTO deliveries (id, endpoint_id, event_id, event_type, organization_id,"
            " mode, status, attempts, next_attempt_at, created_at, event_at)"
            " VALUES ($1, $2, $3, 'order.created', 'org_x', 'live', 'failed', 1, $4, $4, $4)",
            delivery_id,
            endpoint_id,
            new_id("evt"),
            now - timedelta(hours=hours),
        )
        await db.execute(
            "INSERT INTO delivery_attempts (delivery_id, attempt, started_at, duration_ms,"
            " http_status, error, endpoint_id) VALUES ($1, 1, $2, 12, $3, $4, $5)",
            delivery_id,
            now - timedelta(hours=hours),
            status,
            error,
            endpoint_id,
        )


async def test_health_shows_the_last_result_and_the_success_rate_over_24_hours(
    developer: Signer, db: asyncpg.Connection
) -> None:
    failing, succeeding, quiet = [await _endpoint(developer) for _ in range(3)]
    await _attempts(
        db,
        failing["id"],
        [(200, None, 30), (500, None, 3), (None, "timed out after 10 s", 1), (200, None, 2)],
    )
    await _attempts(db, succeeding["id"], [(500, None, 5), (204, None, 0.5)])
    status, body, _ = await developer.call("GET", "/internal/v1/webhooks/health")
    assert status == 200
    health = {h["endpointId"]: h for h in body["data"]}
    assert set(health) == {failing["id"], succeeding["id"], quiet["id"]}
    bad = health[failing["id"]]
    assert (bad["lastStatus"], bad["lastOk"], bad["lastError"]) == (
        None,
        False,
        "timed out after 10 s",
    )
    # The 30-hour-old success is outside the window.
    assert (bad["attempts24h"], bad["succeeded24h"], bad["successRate24h"]) == (3, 1, 1 / 3)
    good = health[succeeding["id"]]
    assert (good["lastStatus"], good["lastOk"], good["lastError"]) == (204, True, None)
    assert (good["attempts24h"], good["succeeded24h"], good["successRate24h"]) == (2, 1, 0.5)
    assert good["lastAttemptAt"].endswith("Z")
    assert health[quiet["id"]] == {
        "endpointId": quiet["id"],
        "lastAttemptAt": None,
        "lastStatus": None,
        "lastOk": None,
        "lastError": None,
        "attempts24h": 0,
        "succeeded24h": 0,
        "successRate24h": None,
    }
    # Another mode and another organization see none of them.
    for other in (developer.but(mode="test"), developer.but(organization_id=new_id("org"))):
        _, body, _ = await other.call("GET", "/internal/v1/webhooks/health")
        assert body["data"] == []


async def test_an_event_lists_the_endpoints_it_went_to(
    developer: Signer, db: asyncpg.Connection
) -> None:
    first, second = await _endpoint(developer), await _endpoint(developer)
    status, queued, _ = await developer.call("POST", f"/api/v1/webhooks/{first['id']}/test")
    assert status == 202, queued
    event_id = queued["data"]["eventId"]
    status, body, _ = await developer.call("GET", f"/internal/v1/events/{event_id}/deliveries")
    assert status == 200
    [delivery] = body["data"]
    assert delivery["deliveryId"] == queued["data"]["deliveryId"]
    assert (delivery["endpointId"], delivery["url"], delivery["status"]) == (
        first["id"],
        URL,
        "pending",
    )
    assert set(delivery) == {
        "deliveryId",
        "endpointId",
        "url",
        "status",
        "attempts",
        "lastStatus",
        "createdAt",
    }
    assert second["id"] not in {d["endpointId"] for d in body["data"]}
    for other in (developer.but(mode="test"), developer.but(organization_id=new_id("org"))):
        status, body, _ = await other.call("GET", f"/internal/v1/events/{event_id}/deliveries")
        assert (status, body["error"]["code"]) == (404, "NOT_FOUND")
    status, body, _ = await developer.call("GET", "/internal/v1/events/nope/deliveries")
    assert (status, body["error"]["details"]["field"]) == (400, "id")


async def test_the_security_history_lists_every_action_with_its_actor_newest_first(
    developer: Signer,
) -> None:
    created = await _endpoint(developer)
    endpoint_id = created["id"]
    other_member = developer.but(key_id=new_id("mem"))
    base = f"/api/v1/webhooks/{endpoint_id}"
    await developer.call("PATCH", base, {"url": URL + "/v2", "description": "Ops"})
    await other_member.call("PATCH", base, {"enabled": False})
    await developer.call("POST", f"{base}/rotate-secret", {"expiresInSeconds": 0})
    await other_member.call("GET", f"{base}/secret")
    _, queued, _ = await developer.call("POST", f"{base}/test")
    since = (datetime.now(UTC) - timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    await developer.call("POST", f"{base}/recover", {"since": since})
    await developer.call("POST", f"{base}/deliveries/{queued['data']['deliveryId']}/retry")
    # In test mode, by the same member: the history is the organization's, both modes.
    test_created = await _endpoint(developer.but(mode="test"))
    await developer.call("DELETE", base)

    status, body, _ = await developer.call("GET", "/internal/v1/security")
    assert status == 200
    entries = body["data"]
    assert [(e["type"], e["actor"], e["mode"]) for e in entries] == [
        ("webhook_endpoint.deleted", developer.key_id, "live"),
        ("webhook_endpoint.created", developer.key_id, "test"),
        ("webhook_endpoint.delivery_retried", developer.key_id, "live"),
        ("webhook_endpoint.deliveries_recovered", developer.key_id, "live"),
        ("webhook_endpoint.test_sent", developer.key_id, "live"),
        ("webhook_endpoint.secret_revealed", other_member.key_id, "live"),
        ("webhook_endpoint.secret_rotated", developer.key_id, "live"),
        ("webhook_endpoint.updated", other_member.key_id, "live"),
        ("webhook_endpoint.updated", developer.key_id, "live"),
        ("webhook_endpoint.created", developer.key_id, "live"),
    ]
    subjects = {e["subjectId"] for e in entries}
    assert subjects == {endpoint_id, test_created["id"]}
    summaries = [e["summary"] for e in entries]
    assert summaries[7] == f"Disabled the endpoint {URL}/v2."
    assert summaries[8] == f"Changed description, url of the endpoint {URL}/v2."
    assert summaries[9] == f"Created the endpoint {URL} for order.created."
    assert summaries[3].startswith(f"Recovered 0 failed deliveries to {URL}/v2 since ")
    assert all(e["at"].endswith("Z") and e["id"].startswith("evt_") for e in entries)
    assert body["pagination"] == {"hasMore": False, "nextCursor": None}

    # Paged by the last id seen.
    _, first, _ = await developer.call("GET", "/internal/v1/security?limit=4")
    assert [e["id"] for e in first["data"]] == [e["id"] for e in entries[:4]]
    assert first["pagination"] == {"hasMore": True, "nextCursor": entries[3]["id"]}
    _, rest, _ = await developer.call(
        "GET", f"/internal/v1/security?limit=50&before={entries[3]['id']}"
    )
    assert [e["id"] for e in rest["data"]] == [e["id"] for e in entries[4:]]

    _, theirs, _ = await developer.but(organization_id=new_id("org")).call(
        "GET", "/internal/v1/security"
    )
    assert theirs["data"] == []
    for query, field_name in (("limit=0", "limit"), ("before=nope", "before")):
        status, refused, _ = await developer.call("GET", f"/internal/v1/security?{query}")
        assert (status, refused["error"]["details"]["field"]) == (400, field_name)


async def test_the_dashboard_reads_use_their_indexes(
    developer: Signer, db: asyncpg.Connection
) -> None:
    endpoint = await _endpoint(developer)
    await db.execute(
        "INSERT INTO delivery_attempts (delivery_id, attempt, started_at, duration_ms,"
        " http_status, endpoint_id)"
        " SELECT 'del_' || lpad(i::text, 20, '0'), 1, now() - make_interval(mins => i), 10,"
        " 200, 'we_' || lpad((i % 500)::text, 20, '0') FROM generate_series(1, 5000) i"
    )
    await db.execute("ANALYZE delivery_attempts")
    await db.execute("ANALYZE events")
    plan = "\n".join(
        r[0]
        for r in await db.fetch(
            "EXPLAIN " + dashboard_views._HEALTH, developer.organization_id, "live", 500
        )
    )
    assert "delivery_attempts_by_endpoint" in plan, plan
    assert "Seq Scan on delivery_attempts" not in plan, plan
    await db.execute("SET enable_seqscan = off")  # the events table here is tiny
    plan = "\n".join(
        r[0]
        for r in await db.fetch(
            "EXPLAIN " + dashboard_views._SECURITY + " ORDER BY position DESC LIMIT $2",
            developer.organization_id,
            51,
        )
    )
    assert "events_endpoint_history" in plan, plan
    assert endpoint["id"]
