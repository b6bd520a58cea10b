"""Shared fixtures. The suite uses its own throw-away database and the `stacknex_test`
vhost with per-test exchange and queue names, so it never touches a running `make run`."""

import asyncio
import os
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aio_pika
import asyncpg
import pytest

# One port picker for the suite and the benches (re-exported: the tests import it from here).
from bench.gateway import free_port as free_port
from cli.keys import generate
from cli.registry import SERVICES
from libs.common.broker import Broker
from libs.common.db import COMMON_MIGRATIONS, create_pool, discover, migrate_down, migrate_up
from libs.common.keys import PUBLIC_DIR, Keyring, load_keyring, private_key_path
from libs.common.metrics import Metrics

PG_ADMIN_URL = os.environ.get(
    "STACKNEX_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
AMQP_URL = os.environ.get(
    "STACKNEX_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/stacknex_test"
)
REDIS_URL = os.environ.get("STACKNEX_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


async def until(
    predicate: Callable[[], bool | Awaitable[bool]], *, timeout: float = 20.0, what: str = ""
) -> None:
    """Polls `predicate` until it holds; fails the test with `what` at the deadline."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = predicate()
        if isinstance(result, Awaitable):
            result = await result
        if result:
            return
        if asyncio.get_running_loop().time() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what or predicate}")
        await asyncio.sleep(0.05)


def unique(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(4)}"


@pytest.fixture(scope="session")
def keys_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every service's key pair, made for this run: none is in the repository."""
    directory = tmp_path_factory.mktemp("keys")
    generate(directory, SERVICES)
    return directory


def key_settings(keys_dir: Path, service: str) -> dict[str, Any]:
    """The settings that give `service` its own key and every service's public key."""
    return {
        "signing_key_file": private_key_path(keys_dir, service),
        "public_keys_dir": keys_dir / PUBLIC_DIR,
    }


def keyring(keys_dir: Path, service: str) -> Keyring:
    """What `service` signs and verifies with, to speak to a service as it would."""
    return load_keyring(service=service, **key_settings(keys_dir, service))


@pytest.fixture(scope="session")
def gateway_keys(keys_dir: Path) -> Keyring:
    """Signs as the gateway does: what a public API route accepts."""
    return keyring(keys_dir, "gateway")


@pytest.fixture(scope="session")
async def database_url() -> AsyncIterator[str]:
    name = unique("stacknex_test")
    admin = await asyncpg.connect(PG_ADMIN_URL)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    admin = await asyncpg.connect(PG_ADMIN_URL)
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.close()


@pytest.fixture
async def schema(database_url: str) -> AsyncIterator[str]:
    """A fresh schema with the event store, migrated up, and down again afterwards."""
    name = unique("t")
    migrations = discover([COMMON_MIGRATIONS])
    conn = await asyncpg.connect(database_url)
    try:
        await migrate_up(conn, schema=name, migrations=migrations)
    finally:
        await conn.close()
    yield name
    # A fresh connection: some tests kill every session of the database on purpose.
    conn = await asyncpg.connect(database_url)
    try:
        # Tables a test added would block the down path, so they go first; then down it all.
        await conn.execute(f'DROP SCHEMA "{name}" CASCADE')
        await migrate_up(conn, schema=name, migrations=migrations)
        assert await migrate_down(conn, schema=name, migrations=migrations)
    finally:
        await conn.close()


@pytest.fixture
async def pool(database_url: str, schema: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(database_url, schema=schema, max_size=20)
    yield pool
    await pool.close()


@pytest.fixture
def metrics() -> Metrics:
    return Metrics("test")


@pytest.fixture
async def broker() -> AsyncIterator[Broker]:
    broker = Broker(url=AMQP_URL, exchange=unique("stacknex.events.test"))
    await broker.connect()
    yield broker
    channel = await broker.connection.channel()
    await channel.exchange_delete(broker.exchange_name)
    await broker.close()


class Collector:
    """Every message the test exchange routes, in arrival order (an exclusive queue)."""

    def __init__(self) -> None:
        self.messages: list[aio_pika.abc.AbstractIncomingMessage] = []

    async def on_message(self, message: aio_pika.abc.AbstractIncomingMessage) -> None:
        self.messages.append(message)
        await message.ack()

    @property
    def ids(self) -> list[str | None]:
        return [m.message_id for m in self.messages]


@pytest.fixture
async def collector(broker: Broker) -> AsyncIterator[Collector]:
    collector = Collector()
    channel = await broker.connection.channel()
    exchange = await broker.declare_events_exchange(channel)
    queue = await channel.declare_queue(exclusive=True)
    await queue.bind(exchange, "#")
    await queue.consume(collector.on_message)
    yield collector
    await channel.close()
