"""An endpoint's answers through the real API (in process, real PostgreSQL and RabbitMQ): one
shape for GET, list, PATCH and history; the secret only where it is handed out; the history
owner-only and free of secrets."""

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from aiohttp.test_utils import TestClient, TestServer

from libs.common.db import migrate_down, migrate_up
from libs.common.ids import new_id
from libs.common.keys import Keyring
from libs.contract.webhooks import WebhookEndpointRead
from services.webhooks.app import SERVICE, create_app
from tests.integration.catalog.conftest import Caller
from tests.integration.webhooks.conftest import webhooks_settings

PUBLIC_FIELDS = set(WebhookEndpointRead.model_json_schema(mode="serialization")["properties"])


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
def caller(webhooks: TestClient, gateway_keys: Keyring) -> Caller:
    return Caller(webhooks, new_id("org"), "live", gateway_keys, audience="webhooks")


async def _created(caller: Caller) -> dict[str, Any]:
    status, body, response = await caller.call(
        "POST",
        "/api/v1/webhooks",
        {"url": "https://93.184.216.34/hook", "events": ["order.created"], "description": "Ops"},
    )
    assert status == 201, body
    assert response.headers["ETag"] == '"1"'
    return body["data"]


async def test_create_hands_out_the_secret_and_get_shows_the_same_endpoint_without_it(
    caller: Caller,
) -> None:
    created = await _created(caller)
    assert created["secret"].startswith("whsec_")
    assert set(created) == PUBLIC_FIELDS | {"secret"}
    status, got, _ = await caller.call("GET", f"/api/v1/webhooks/{created['id']}")
    assert status == 200 and set(got["data"]) == PUBLIC_FIELDS
    assert got["data"] == {k: v for k, v in created.items() if k != "secret"}
    _, listed, _ = await caller.call("GET", "/api/v1/webhooks")
    assert listed["data"] == [got["data"]]
    status, secret, _ = await caller.call("GET", f"/api/v1/webhooks/{created['id']}/secret")
    assert secret["data"] == {"secret": created["secret"], "previousSecretExpiresAt": None}


async def test_rotation_answers_the_endpoint_the_new_secret_and_when_the_old_one_stops(
    caller: Caller,
) -> None:
    created = await _created(caller)
    status, rotated, response = await caller.call(
        "POST", f"/api/v1/webhooks/{created['id']}/rotate-secret", {"expiresInSeconds": 3600}
    )
    assert status == 200 and response.headers["ETag"] == '"2"'
    data = rotated["data"]
    assert set(data) == PUBLIC_FIELDS | {"secret", "previousSecretExpiresAt"}
    assert data["secret"] != created["secret"] and data["version"] == 2
    assert data["previousSecretExpiresAt"].endswith("Z")
    _, secret, _ = await caller.call("GET", f"/api/v1/webhooks/{created['id']}/secret")
    assert secret["data"] == {
        "secret": data["secret"],
        "previousSecretExpiresAt": data["previousSecretExpiresAt"],
    }


async def test_history_lists_every_change_oldest_first_without_secrets(caller: Caller) -> None:
    created = await _created(caller)
    path = f"/api/v1/webhooks/{created['id']}"
    await caller.call("PATCH", path, {"enabled": False})
    await caller.call("POST", f"{path}/rotate-secret", {"expiresInSeconds": 0})
    status, _, _ = await caller.call("DELETE", path, headers={"If-Match": '"3"'})
    assert status == 200
    status, history, _ = await caller.call("GET", f"{path}/events")
    assert status == 200
    events = history["data"]
    assert [e["event"] for e in events] == [
        "webhook_endpoint.created",
        "webhook_endpoint.updated",
        "webhook_endpoint.secret_rotated",
        "webhook_endpoint.deleted",
    ]
    assert all(set(e["data"]) == PUBLIC_FIELDS for e in events)
    assert [e["data"]["version"] for e in events] == [1, 2, 3, 4]
    # changedFields only on the update.
    assert ["changedFields" in e for e in events] == [False, True, False, False]
    assert events[1]["changedFields"] == ["enabled"]
    assert created["secret"] not in str(history)
    status, page, _ = await caller.call("GET", f"{path}/events?limit=2")
    assert page["pagination"] == {"hasMore": True, "nextCursor": events[1]["id"]}
    status, rest, _ = await caller.call("GET", f"{path}/events?startingAfter={events[1]['id']}")
    assert [e["id"] for e in rest["data"]] == [e["id"] for e in events[2:]]


async def test_history_of_another_organizations_or_modes_endpoint_is_not_found(
    caller: Caller,
) -> None:
    created = await _created(caller)
    path = f"/api/v1/webhooks/{created['id']}/events"
    for stranger in (replace(caller, organization_id=new_id("org")), caller.other_mode()):
        status, body, _ = await stranger.call("GET", path)
        assert (status, body["error"]["code"]) == (404, "NOT_FOUND")


async def test_a_stale_if_match_on_delete_is_a_version_conflict(caller: Caller) -> None:
    created = await _created(caller)
    status, body, _ = await caller.call(
        "DELETE", f"/api/v1/webhooks/{created['id']}", headers={"If-Match": '"7"'}
    )
    assert (status, body["error"]["code"]) == (409, "VERSION_CONFLICT")
    assert body["error"]["details"]["currentVersion"] == 1
