"""The orders service, in process, on the real PostgreSQL and RabbitMQ, spoken to as the
gateway speaks to it (the catalog's `Caller`, with the orders service as audience).
Customers need no sibling; orders (which need the catalog and the inventory) are tested
end to end in tests/e2e/test_sales.py."""

from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from aiohttp.test_utils import TestClient, TestServer

from libs.common.db import migrate_down, migrate_up
from libs.common.ids import new_id
from libs.common.keys import Keyring
from services.orders.app import SERVICE, create_app
from services.orders.settings import Settings
from tests.conftest import AMQP_URL, key_settings, unique
from tests.integration.catalog.conftest import Caller


@pytest.fixture(scope="module")
async def orders(database_url: str, keys_dir: Path) -> AsyncIterator[TestClient]:
    conn = await asyncpg.connect(database_url)
    await migrate_up(conn, schema="orders", migrations=SERVICE.migrations())
    settings = Settings(
        environment="test",
        database_url=database_url,
        amqp_url=AMQP_URL,
        events_exchange=unique("stacknex.events.orders"),
        **key_settings(keys_dir, "orders"),
    )
    async with TestClient(TestServer(create_app(settings))) as client:
        yield client
    await migrate_down(conn, schema="orders", migrations=SERVICE.migrations())
    await conn.close()


@pytest.fixture
def caller(orders: TestClient, gateway_keys: Keyring) -> Caller:
    """A fresh organization for each test: nothing it sees was made by another test."""
    return Caller(orders, new_id("org"), "live", gateway_keys, audience="orders")


@pytest.fixture
def stranger(orders: TestClient, gateway_keys: Keyring) -> Caller:
    return Caller(orders, new_id("org"), "live", gateway_keys, audience="orders")
