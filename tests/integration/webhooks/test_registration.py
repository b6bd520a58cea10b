"""Registering endpoints as production runs it (no private targets allowed), in process on
the real PostgreSQL and RabbitMQ: every SSRF case is refused at registration."""

from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from aiohttp.test_utils import TestClient, TestServer

from libs.common.db import migrate_down, migrate_up
from libs.common.ids import new_id
from libs.common.keys import Keyring
from services.webhooks.app import SERVICE, create_app
from tests.integration.catalog.conftest import Caller
from tests.integration.webhooks.conftest import webhooks_settings


@pytest.fixture(scope="module")
async def webhooks(database_url: str, keys_dir: Path) -> AsyncIterator[TestClient]:
    conn = await asyncpg.connect(database_url)
    await migrate_up(conn, schema="webhooks", migrations=SERVICE.migrations())
    settings = webhooks_settings(
        database_url,
        keys_dir,
        role="api",
    )
    async with TestClient(TestServer(create_app(settings))) as client:
        yield client
    await migrate_down(conn, schema="webhooks", migrations=SERVICE.migrations())
    await conn.close()


@pytest.fixture
def caller(webhooks: TestClient, gateway_keys: Keyring) -> Caller:
    return Caller(webhooks, new_id("org"), "live", gateway_keys, audience="webhooks")


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/hook",  # plain http
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.0.0.8/hook",
        "https://192.168.0.10/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://[fe80::1]/hook",
        "https://0.0.0.0/hook",
        "https://224.0.0.1/hook",
        "https://100.64.0.1/hook",
        "https://no-such-host.invalid/hook",
    ],
)
async def test_unsafe_urls_are_refused_naming_the_url(caller: Caller, url: str) -> None:
    status, body, _ = await caller.call("POST", "/api/v1/webhooks", {"url": url, "events": ["*"]})
    assert (status, body["error"]["code"], body["error"]["details"]["field"]) == (
        400,
        "VALIDATION_ERROR",
        "url",
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "https://example.com/h", "events": []}, "events"),
        ({"url": "https://example.com/h", "events": ["order.shipped"]}, "events"),
        ({"url": "https://example.com/h", "events": ["category.created"]}, "events"),
        ({"url": "https://example.com/h"}, "events"),
        ({"events": ["*"]}, "url"),
    ],
)
async def test_bad_subscriptions_are_refused(
    caller: Caller, body: dict[str, object], field: str
) -> None:
    status, response, _ = await caller.call("POST", "/api/v1/webhooks", body)
    assert (status, response["error"]["details"]["field"]) == (400, field)


async def test_secrets_are_stored_encrypted(caller: Caller, database_url: str) -> None:
    status, body, _ = await caller.call(
        "POST", "/api/v1/webhooks", {"url": "https://93.184.216.34/hook", "events": ["*"]}
    )
    assert status == 201
    secret = body["data"]["secret"]
    conn = await asyncpg.connect(database_url)
    try:
        stored = await conn.fetchval(
            "SELECT secret FROM webhooks.endpoints WHERE id = $1", body["data"]["id"]
        )
        in_events = await conn.fetchval(
            "SELECT count(*) FROM webhooks.events WHERE data::text LIKE '%' || $1 || '%'",
            secret.removeprefix("whsec_"),
        )
        published = await conn.fetchval("SELECT count(*) FROM webhooks.outbox")
    finally:
        await conn.close()
    assert secret not in stored and in_events == 0
    assert published == 0  # endpoint events never reach the bus
    status, got, _ = await caller.call("GET", f"/api/v1/webhooks/{body['data']['id']}/secret")
    assert got["data"]["secret"] == secret
    status, _, _ = await caller.other_mode().call("GET", f"/api/v1/webhooks/{body['data']['id']}")
    assert status == 404
