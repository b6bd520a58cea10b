"""The delivery worker in process, on the real PostgreSQL and RabbitMQ: an attempt that
cannot even be made (here: a sealed secret that does not open) still ends in a logged
attempt on the retry schedule and, at the end of it, a `failed` delivery, instead of an
exception that leaves the delivery leased and re-tried every lease, forever."""

from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from aiohttp.test_utils import TestClient, TestServer

from libs.common.db import migrate_down, migrate_up
from libs.common.ids import new_id
from services.webhooks.adapters import deliveries
from services.webhooks.app import SERVICE, create_app
from tests.conftest import until
from tests.integration.webhooks.conftest import webhooks_settings


@pytest.fixture
async def conn(database_url: str, keys_dir: Path) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(database_url)
    await migrate_up(conn, schema="webhooks", migrations=SERVICE.migrations())
    settings = webhooks_settings(
        database_url,
        keys_dir,
        role="worker",
        retry_schedule=[0, 0.5, 0.5],
        poll_interval=0.2,
    )
    async with TestClient(TestServer(create_app(settings))):
        yield conn
    await migrate_down(conn, schema="webhooks", migrations=SERVICE.migrations())
    await conn.close()


async def test_an_attempt_that_cannot_be_made_is_still_logged_and_scheduled(
    conn: asyncpg.Connection,
) -> None:
    endpoint_id, event_id, delivery_id = new_id("we"), new_id("evt"), new_id("del")
    await conn.execute(
        "INSERT INTO webhooks.endpoints (id, organization_id, mode, url, events, enabled,"
        " secret, version, created_at, updated_at) VALUES ($1, 'org_x', 'live',"
        " 'https://93.184.216.34/hook', '{*}', true, 'not-a-sealed-secret', 1, now(), now())",
        endpoint_id,
    )
    await conn.execute(
        "INSERT INTO webhooks.event_log (id, type, organization_id, mode, occurred_at, body,"
        " payload) VALUES ($1, 'order.created', 'org_x', 'live', now(), '{}', '\\x7b7d')",
        event_id,
    )
    await conn.execute(
        "INSERT INTO webhooks.deliveries (id, endpoint_id, event_id, event_type,"
        " organization_id, mode, status, next_attempt_at, created_at, event_at)"
        " VALUES ($1, $2, $3, 'order.created', 'org_x', 'live', 'pending', now(), now(), now())",
        delivery_id,
        endpoint_id,
        event_id,
    )
    await conn.execute("SELECT pg_notify($1, '')", deliveries.WAKE_CHANNEL)

    async def failed() -> bool:
        status = await conn.fetchval(
            "SELECT status FROM webhooks.deliveries WHERE id = $1", delivery_id
        )
        return bool(status == "failed")

    await until(failed, timeout=20, what="the delivery failed after its schedule")
    attempts = await conn.fetch(
        "SELECT attempt, http_status, error FROM webhooks.delivery_attempts"
        " WHERE delivery_id = $1 ORDER BY attempt",
        delivery_id,
    )
    assert [a["attempt"] for a in attempts] == [1, 2, 3]
    assert all(a["http_status"] is None for a in attempts)
    assert all(
        a["error"]
        == "the attempt could not be made: RuntimeError: a sealed value cannot be decrypted"
        " with the configured keys"
        for a in attempts
    )
