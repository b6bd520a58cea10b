"""Endpoint URLs through the real API (in process, real PostgreSQL and RabbitMQ), with every
private network an operator could allow: a malformed URL is a 400 naming `url` on create and
on update, never a 500, and link-local and metadata addresses stay refused."""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from aiohttp.test_utils import TestClient, TestServer

from libs.common.db import migrate_down, migrate_up
from libs.common.ids import new_id
from libs.common.keys import Keyring
from services.webhooks.app import SERVICE, create_app
from tests.integration.catalog.conftest import Caller
from tests.integration.webhooks.conftest import webhooks_settings

# Everything but the default route, as an operator might write "allow all private networks".
EVERY_NETWORK = ["0.0.0.0/1", "128.0.0.0/1", "::/1", "8000::/1"]


@pytest.fixture(scope="module")
async def webhooks(database_url: str, keys_dir: Path) -> AsyncIterator[TestClient]:
    conn = await asyncpg.connect(database_url)
    await migrate_up(conn, schema="webhooks", migrations=SERVICE.migrations())
    settings = webhooks_settings(
        database_url,
        keys_dir,
        role="api",
        allowed_private_networks=EVERY_NETWORK,
    )
    async with TestClient(TestServer(create_app(settings))) as client:
        yield client
    await migrate_down(conn, schema="webhooks", migrations=SERVICE.migrations())
    await conn.close()


@pytest.fixture
def caller(webhooks: TestClient, gateway_keys: Keyring) -> Caller:
    return Caller(webhooks, new_id("org"), "live", gateway_keys, audience="webhooks")


def _names_url(status: int, body: dict[str, Any]) -> bool:
    error = body.get("error") or {}
    return (status, error.get("code"), (error.get("details") or {}).get("field")) == (
        400,
        "VALIDATION_ERROR",
        "url",
    )


METADATA = [
    "http://169.254.169.254/latest/meta-data/",
    "https://169.254.169.254/latest/meta-data/",
    "http://[fd00:ec2::254]/latest/meta-data/",
    "http://100.100.100.200/latest/meta-data/",
    "http://[::ffff:169.254.169.254]/latest/meta-data/",
    "http://[fe80::1]/hook",
]

MALFORMED = [
    "https://a..example.com/",
    "https://" + "a" * 64 + ".example.com/",
    "https://.example.com/",
    "https://example.com../",
    "https://" + ".".join(["b" * 60] * 5) + "/",  # 304 characters of host
    "https://[::1",
    "https://[::1]junk/",
    "https://[zz::1]/",
    "https://example.com:99999/",
    "https://example.com:0/",
    "https://example.com:http/",
    "https://user:pw@example.com/",
    "https://user@example.com/",
    "https://exa mple.com/",
    "https://example.com\\@evil.example/",
    "https://-x.example.com/",
    "https://xn--zz.example.com/",
    "https://exa\u200bmple.com/",
    "https:///no-host",
    "gopher://example.com/",
]


@pytest.mark.parametrize("url", METADATA)
async def test_metadata_addresses_are_refused_whatever_networks_are_allowed(
    caller: Caller, url: str
) -> None:
    status, body, _ = await caller.call("POST", "/api/v1/webhooks", {"url": url, "events": ["*"]})
    assert _names_url(status, body), body


async def test_an_allowed_private_network_is_accepted(caller: Caller) -> None:
    status, body, _ = await caller.call(
        "POST", "/api/v1/webhooks", {"url": "http://10.20.30.40:8080/hook", "events": ["*"]}
    )
    assert status == 201, body


@pytest.mark.parametrize("url", MALFORMED)
async def test_a_malformed_url_is_a_400_naming_url_on_create(caller: Caller, url: str) -> None:
    status, body, _ = await caller.call("POST", "/api/v1/webhooks", {"url": url, "events": ["*"]})
    assert _names_url(status, body), body


@pytest.mark.parametrize("url", MALFORMED)
async def test_a_malformed_url_is_a_400_naming_url_on_update(caller: Caller, url: str) -> None:
    status, created, _ = await caller.call(
        "POST", "/api/v1/webhooks", {"url": "https://93.184.216.34/hook", "events": ["*"]}
    )
    assert status == 201
    endpoint = created["data"]
    status, body, _ = await caller.call("PATCH", f"/api/v1/webhooks/{endpoint['id']}", {"url": url})
    assert _names_url(status, body), body
    status, after, _ = await caller.call("GET", f"/api/v1/webhooks/{endpoint['id']}")
    assert after["data"]["url"] == "https://93.184.216.34/hook"  # nothing half-applied
