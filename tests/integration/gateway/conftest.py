"""The real gateway, over TLS, against the real PostgreSQL, RabbitMQ and Redis. Upstream
services are small recording apps that verify the identity the gateway signed for them."""

import os
import ssl
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pytest
from aiohttp import web

from libs.common import identity
from libs.common.db import create_pool, migrate_down, migrate_up
from libs.common.keys import Keyring
from libs.common.service import listen
from services.gateway.app import create_app, listeners
from services.gateway.domain.routing import UPSTREAMS
from services.gateway.service import Access
from services.gateway.settings import Settings
from tests.conftest import AMQP_URL, REDIS_URL, free_port, key_settings, keyring, unique

ROOT = Path(__file__).resolve().parents[3]


@dataclass
class Upstream:
    """Records what reached it, and answers with what it saw."""

    service: str
    keys: Keyring
    calls: list[dict[str, Any]] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.Response:
        # As the service would: the gateway's public key, for this audience, the gateway only.
        who = self.keys.verify(
            request.headers.get(identity.HEADER, ""), accepted=frozenset({identity.GATEWAY})
        )
        body = await request.read()
        seen = {
            "service": self.service,
            "method": request.method,
            "path": request.path_qs,
            "organizationId": who.organization_id,
            "mode": who.mode,
            "keyId": who.key_id,
            "headers": {k.lower(): v for k, v in request.headers.items()},
            "body": body.decode(),
        }
        self.calls.append(seen)
        return web.json_response(
            {"success": True, "data": seen},
            status=200,
            headers={"Connection": "keep-alive", "X-Upstream": "yes"},
        )


@dataclass
class Gateway:
    settings: Settings
    tls_url: str
    plain_url: str
    ops_url: str  # /healthz, /readyz, /metrics: plain HTTP, on a port of their own


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(["bash", str(ROOT / "scripts/dev-cert.sh"), str(folder)], check=True)
    return folder


@pytest.fixture(scope="module")
async def gateway_db(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    from services.gateway.app import SERVICE

    conn = await asyncpg.connect(database_url)
    await migrate_up(conn, schema="gateway", migrations=SERVICE.migrations())
    pool = await create_pool(database_url, schema="gateway")
    yield pool
    await pool.close()
    await migrate_down(conn, schema="gateway", migrations=SERVICE.migrations())
    await conn.close()


@pytest.fixture(scope="module")
async def upstreams(keys_dir: Path) -> AsyncIterator[dict[str, tuple[Upstream, str]]]:
    running: dict[str, tuple[Upstream, str]] = {}
    runners = []
    for service in UPSTREAMS:
        upstream = Upstream(service, keyring(keys_dir, service))
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", upstream.handle)
        runner = web.AppRunner(app)
        await runner.setup()
        port = free_port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        runners.append(runner)
        running[service] = (upstream, f"http://127.0.0.1:{port}")
    yield running
    for runner in runners:
        await runner.cleanup()


@pytest.fixture(scope="module")
def exchange() -> str:
    return unique("stacknex.events.gw")


GatewayFactory = Callable[..., Awaitable[Gateway]]


@pytest.fixture(scope="module")
async def start_gateway(
    database_url: str,
    gateway_db: asyncpg.Pool,
    tls_files: Path,
    upstreams: dict[str, tuple[Upstream, str]],
    exchange: str,
    keys_dir: Path,
) -> AsyncIterator[GatewayFactory]:
    runners: list[web.AppRunner] = []

    async def start(**overrides: Any) -> Gateway:
        plain, tls, ops = free_port(), free_port(), free_port()
        options: dict[str, Any] = {
            "environment": "test",
            "database_url": database_url,
            "amqp_url": AMQP_URL,
            "events_exchange": exchange,
            "redis_url": REDIS_URL,
            "port": plain,
            "tls_port": tls,
            "ops_port": ops,
            "tls_cert_file": tls_files / "cert.pem",
            "tls_key_file": tls_files / "key.pem",
            "shutdown_timeout": 2,
            **key_settings(keys_dir, "gateway"),
            **{f"{name}_url": url for name, (_, url) in upstreams.items()},
            **overrides,
        }
        settings = Settings(**options)
        runners.extend(await listen(create_app(settings), settings, listeners(settings)))
        return Gateway(
            settings,
            f"https://127.0.0.1:{tls}",
            f"http://127.0.0.1:{plain}",
            f"http://127.0.0.1:{ops}",
        )

    yield start
    for runner in runners:
        await runner.cleanup()


@pytest.fixture(scope="module")
async def gateway(start_gateway: GatewayFactory) -> Gateway:
    return await start_gateway()


@pytest.fixture(scope="module")
async def http(tls_files: Path) -> AsyncIterator[aiohttp.ClientSession]:
    # Verifies the gateway's certificate for real, against the one the test generated.
    context = ssl.create_default_context(cafile=str(tls_files / "cert.pem"))
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=context)) as session:
        yield session


@pytest.fixture(scope="module")
def access(gateway_db: asyncpg.Pool) -> Access:
    return Access(pool=gateway_db)


def cli(database_url: str, exchange: str, *args: str) -> str:
    env = {
        **os.environ,
        "STACKNEX_DATABASE_URL": database_url,
        "STACKNEX_AMQP_URL": AMQP_URL,
        "STACKNEX_EVENTS_EXCHANGE": exchange,
    }
    done = subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout
