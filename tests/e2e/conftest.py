"""The whole platform as `make run` starts it: five processes under the supervisor, against
the test database and vhost (a fresh exchange per test module), spoken to from outside."""

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from cli.keys import provision
from cli.registry import SERVICES, load_spec
from libs.common import jsoncodec
from libs.common.broker import Broker
from tests.conftest import AMQP_URL, REDIS_URL, free_port, unique, until
from tests.e2e import api
from tests.e2e.receiver import Receiver, start_receiver


@dataclass
class Platform:
    env: dict[str, str]
    ports: dict[str, int]
    process: subprocess.Popen[bytes]
    log_path: str
    keys_dir: Path

    def url(self, service: str, path: str) -> str:
        if service == "gateway":  # the gateway's API answers over TLS only
            return f"https://127.0.0.1:{self.ports['gateway_tls']}{path}"
        return f"http://127.0.0.1:{self.ports[service]}{path}"

    def ops_url(self, service: str, path: str) -> str:
        """`/healthz`, `/readyz`, `/metrics`: every service's ops listener, plain HTTP."""
        return f"http://127.0.0.1:{self.ports[service + '_ops']}{path}"

    def log(self) -> str:
        with open(self.log_path, errors="replace") as handle:
            return handle.read()


def cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


async def _delete_queues(exchange: str) -> None:
    broker = Broker(url=AMQP_URL, exchange=exchange)
    await broker.connect()
    channel = await broker.connection.channel()
    for name in SERVICES:
        for subscription in load_spec(name).subscriptions:
            await channel.queue_delete(subscription.queue)
            await channel.queue_delete(subscription.dead_letter_queue)
    await channel.exchange_delete(exchange)
    await broker.close()


@pytest.fixture(scope="module")
async def platform(
    request: pytest.FixtureRequest, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Platform]:
    ports = {
        name: free_port() for name in (*SERVICES, *(f"{s}_ops" for s in SERVICES), "gateway_tls")
    }
    exchange = unique("stacknex.events.e2e")
    tls = tmp_path_factory.mktemp("tls")
    subprocess.run(["bash", "scripts/dev-cert.sh", str(tls)], check=True)
    keys_dir = tmp_path_factory.mktemp("keys")  # this platform's own signing keys
    env = {
        **os.environ,
        "STACKNEX_ENVIRONMENT": "test",
        "STACKNEX_DATABASE_URL": database_url,
        "STACKNEX_AMQP_URL": AMQP_URL,
        "STACKNEX_EVENTS_EXCHANGE": exchange,
        "STACKNEX_GATEWAY_REDIS_URL": REDIS_URL,
        "STACKNEX_SHUTDOWN_TIMEOUT": "5",
        # Orphaned stock holds are found in seconds here, not the production minute.
        "STACKNEX_INVENTORY_HOLD_ORPHAN_AFTER": "1",
        "STACKNEX_INVENTORY_HOLD_SWEEP_INTERVAL": "0.5",
        "STACKNEX_GATEWAY_TLS_PORT": str(ports["gateway_tls"]),
        "STACKNEX_GATEWAY_TLS_CERT_FILE": str(tls / "cert.pem"),
        "STACKNEX_GATEWAY_TLS_KEY_FILE": str(tls / "key.pem"),
        **provision(keys_dir),
        **{f"STACKNEX_{name.upper()}_PORT": str(ports[name]) for name in SERVICES},
        **{f"STACKNEX_{name.upper()}_OPS_PORT": str(ports[f"{name}_ops"]) for name in SERVICES},
        # A test module may tune the platform, e.g. shrink the webhook retry schedule.
        **getattr(request.module, "PLATFORM_ENV", {}),
        **{f"STACKNEX_{name.upper()}_URL": f"http://127.0.0.1:{ports[name]}" for name in SERVICES},
    }
    await _delete_queues(exchange)  # leftovers of an interrupted earlier run
    cli(env, "migrate")
    log_path = str(tmp_path_factory.mktemp("platform") / "platform.log")
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "cli.devrun"], env=env, stdout=log, stderr=subprocess.STDOUT
        )
    platform = Platform(env=env, ports=ports, process=process, log_path=log_path, keys_dir=keys_dir)
    try:
        async with client() as http:
            for name in SERVICES:
                await until(
                    lambda n=name: answers(http, platform.ops_url(n, "/readyz")),
                    timeout=60,
                    what=f"{name} ready\n{platform.log()}",
                )
        yield platform
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            await asyncio.to_thread(process.wait, 40)
        cli(env, "migrate", "--down")
        await _delete_queues(exchange)


def client() -> aiohttp.ClientSession:
    # Loopback, to the gateway's self-signed test certificate: nothing to verify it against.
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=False))


async def answers(http: aiohttp.ClientSession, url: str, status: int = 200) -> bool:
    try:
        async with http.get(url) as response:
            return response.status == status
    except aiohttp.ClientError:
        return False


@dataclass
class Till:
    http: aiohttp.ClientSession
    base: str
    key: str
    location_id: str
    org_id: str

    async def call(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, Any]]:
        async with self.http.request(
            method,
            self.base + path,
            json=body,
            headers={"Authorization": f"Bearer {self.key}", **(headers or {})},
        ) as response:
            return response.status, await response.json()

    async def call_with_headers(self, method: str, path: str) -> dict[str, str]:
        async with self.http.request(
            method, self.base + path, headers={"Authorization": f"Bearer {self.key}"}
        ) as r:
            await r.read()
            return dict(r.headers)

    async def ok(
        self,
        method: str,
        path: str,
        body: Any = None,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        # Through the generated client wherever the call is a documented operation.
        through = await api.call(self.base, self.key, method, path, body, headers)
        got, response = through or await self.call(method, path, body, headers)
        assert got == status, response
        return response["data"]  # type: ignore[no-any-return]

    async def stocked_product(self, on_hand: int, **fields: Any) -> tuple[str, str]:
        product = await self.ok(
            "POST", "/api/v1/products", {"name": "Bagel", "price": 4.99, **fields}, 201
        )
        [item] = await self.ok(
            "GET", f"/api/v1/inventory?productId={product['id']}&locationId={self.location_id}"
        )
        if on_hand:
            await self.ok(
                "POST",
                f"/api/v1/inventory/{item['id']}/adjustments",
                {"delta": on_hand, "reason": "received"},
                201,
            )
        return product["id"], item["id"]

    async def item(self, item_id: str) -> dict[str, Any]:
        return await self.ok("GET", f"/api/v1/inventory/{item_id}")

    def order(self, product_id: str, quantity: int = 1, **fields: Any) -> dict[str, Any]:
        return {
            "locationId": self.location_id,
            "paymentMethod": "cash",
            "items": [{"productId": product_id, "quantity": quantity}],
            **fields,
        }


@pytest.fixture
async def tills(platform: Platform) -> AsyncIterator[tuple[Till, Till]]:
    """A new organization's live and test tills."""
    org = jsoncodec.loads(
        cli(platform.env, "org", "create", "--name", "Till Co", "--plan", "enterprise", "--json")
    )
    keys = [
        jsoncodec.loads(
            cli(platform.env, "key", "create", "--org", org["id"], "--mode", mode, "--json")
        )["key"]
        for mode in ("live", "test")
    ]
    async with client() as http:
        base = platform.url("gateway", "")
        live, test = (Till(http, base, key, org["defaultLocationId"], org["id"]) for key in keys)

        async def location_ready() -> bool:
            return (await live.call("GET", f"/api/v1/locations/{live.location_id}"))[0] == 200

        await until(location_ready, what="the default location")
        yield live, test


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async for started in start_receiver():
        yield started
