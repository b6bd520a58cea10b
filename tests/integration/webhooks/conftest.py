"""What the webhooks integration tests share: the service's settings for a test app, and a
schema of its own with endpoints and due deliveries for the queue's statements."""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from libs.common.db import create_pool, migrate_down, migrate_up
from libs.common.ids import new_id
from services.webhooks.app import SERVICE
from services.webhooks.settings import Settings
from tests.conftest import AMQP_URL, key_settings, unique


def webhooks_settings(database_url: str, keys_dir: Path, **overrides: Any) -> Settings:
    """The webhooks service against the test database and vhost, with its own keys and a
    fresh exchange; `overrides` tune the role, the schedule, the networks allowed."""
    return Settings(
        environment="test",
        database_url=database_url,
        amqp_url=AMQP_URL,
        events_exchange=unique("stacknex.events.wh"),
        **key_settings(keys_dir, "webhooks"),
        **overrides,
    )


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    """A pool on a fresh schema of the service's tables (the queue's statements alone)."""
    schema = unique("wh_claim").replace(".", "_").replace("-", "_").lower()
    conn = await asyncpg.connect(database_url)
    await migrate_up(conn, schema=schema, migrations=SERVICE.migrations())
    pool = await create_pool(database_url, schema=schema)
    yield pool
    await pool.close()
    await migrate_down(conn, schema=schema, migrations=SERVICE.migrations())
    await conn.close()


async def endpoint_with_due(
    pool: asyncpg.Pool, *, due: int, age_seconds: int, org: str = "org_x"
) -> str:
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
