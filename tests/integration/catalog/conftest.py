"""The catalog service, in process, on the real PostgreSQL and RabbitMQ, spoken to as the
gateway speaks to it: with a signed identity per organization and mode."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pytest
from aiohttp.test_utils import TestClient, TestServer

from libs.common import identity
from libs.common.broker import Broker
from libs.common.db import migrate_down, migrate_up
from libs.common.ids import new_id
from libs.common.keys import Keyring
from services.catalog.app import SERVICE, create_app
from services.catalog.settings import Settings
from tests.conftest import AMQP_URL, Collector, key_settings, unique


@dataclass(frozen=True)
class Caller:
    """One organization in one mode, calling the catalog through the gateway (`signer`)."""

    client: TestClient
    organization_id: str
    mode: str
    signer: Keyring
    audience: str = "catalog"

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        token = self.signer.sign(
            identity.Identity(
                organization_id=self.organization_id,
                mode=self.mode,  # type: ignore[arg-type]
                key_id="key_test",
                scopes=frozenset(),
                request_id="req_test",
            ),
            audience=self.audience,
        )
        return {identity.HEADER: token, **(extra or {})}

    async def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> tuple[int, dict[str, Any], aiohttp.ClientResponse]:
        kwargs: dict[str, Any] = {"headers": self.headers(headers)}
        if raw is not None:
            kwargs["data"] = raw
        elif body is not None:
            kwargs["json"] = body
        response = await self.client.request(method, path, **kwargs)
        return response.status, await response.json(), response

    def other_mode(self) -> "Caller":
        return Caller(
            self.client,
            self.organization_id,
            "test" if self.mode == "live" else "live",
            self.signer,
            self.audience,
        )


@pytest.fixture(scope="module")
def exchange() -> str:
    return unique("stacknex.events.catalog")


@pytest.fixture(scope="module")
async def catalog(database_url: str, exchange: str, keys_dir: Path) -> AsyncIterator[TestClient]:
    conn = await asyncpg.connect(database_url)
    await migrate_up(conn, schema="catalog", migrations=SERVICE.migrations())
    settings = Settings(
        environment="test",
        database_url=database_url,
        amqp_url=AMQP_URL,
        events_exchange=exchange,
        **key_settings(keys_dir, "catalog"),
    )
    async with TestClient(TestServer(create_app(settings))) as client:
        yield client
    await migrate_down(conn, schema="catalog", migrations=SERVICE.migrations())
    await conn.close()


@pytest.fixture
def caller(catalog: TestClient, gateway_keys: Keyring) -> Caller:
    """A fresh organization for each test: nothing it sees was made by another test."""
    return Caller(catalog, new_id("org"), "live", gateway_keys)


@pytest.fixture
def stranger(catalog: TestClient, gateway_keys: Keyring) -> Caller:
    return Caller(catalog, new_id("org"), "live", gateway_keys)


@pytest.fixture
async def bus(exchange: str) -> AsyncIterator[Collector]:
    broker = Broker(url=AMQP_URL, exchange=exchange)
    await broker.connect()
    collector = Collector()
    channel = await broker.connection.channel()
    queue = await channel.declare_queue(exclusive=True)
    await queue.bind(await broker.declare_events_exchange(channel), "#")
    await queue.consume(collector.on_message)
    yield collector
    await broker.close()
