"""The whole platform as `make run` starts it: five processes under the supervisor, against
the test database and vhost, checked from outside over HTTP, SQL and AMQP."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import pytest

from libs.cli.registry import SERVICES
from libs.common import jsoncodec
from libs.common.broker import Broker
from libs.common.db import create_pool
from libs.common.events import NewEvent
from libs.common.eventstore import EventStore
from tests.conftest import AMQP_URL, REDIS_URL, unique, until


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Platform:
    env: dict[str, str]
    ports: dict[str, int]
    process: subprocess.Popen[bytes]
    log_path: str

    def url(self, service: str, path: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}{path}"

    def log(self) -> str:
        with open(self.log_path, errors="replace") as handle:
            return handle.read()


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "libs.cli.main", *args],
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
    for queue in ("webhooks.events", "webhooks.events.dead-letter"):
        await channel.queue_delete(queue)
    await channel.exchange_delete(exchange)
    await broker.close()


@pytest.fixture(scope="module")
async def platform(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Platform]:
    ports = {name: _free_port() for name in SERVICES}
    exchange = unique("stacknex.events.e2e")
    env = {
        **os.environ,
        "STACKNEX_ENVIRONMENT": "test",
        "STACKNEX_DATABASE_URL": database_url,
        "STACKNEX_AMQP_URL": AMQP_URL,
        "STACKNEX_EVENTS_EXCHANGE": exchange,
        "STACKNEX_GATEWAY_REDIS_URL": REDIS_URL,
        "STACKNEX_SHUTDOWN_TIMEOUT": "5",
        **{f"STACKNEX_{name.upper()}_PORT": str(port) for name, port in ports.items()},
    }
    await _delete_queues(exchange)  # leftovers of an interrupted earlier run
    _cli(env, "migrate")
    log_path = str(tmp_path_factory.mktemp("platform") / "platform.log")
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "libs.cli.devrun"], env=env, stdout=log, stderr=subprocess.STDOUT
        )
    platform = Platform(env=env, ports=ports, process=process, log_path=log_path)
    try:
        async with aiohttp.ClientSession() as http:
            for name in SERVICES:
                await until(
                    lambda n=name: _answers(http, platform.url(n, "/readyz")),
                    timeout=60,
                    what=f"{name} ready\n{platform.log()}",
                )
        yield platform
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            await asyncio.to_thread(process.wait, 40)
        _cli(env, "migrate", "--down")
        await _delete_queues(exchange)


async def _answers(http: aiohttp.ClientSession, url: str, status: int = 200) -> bool:
    try:
        async with http.get(url) as response:
            return response.status == status
    except aiohttp.ClientError:
        return False


async def test_every_service_is_alive_ready_and_measured(platform: Platform) -> None:
    async with aiohttp.ClientSession() as http:
        for name in SERVICES:
            async with http.get(platform.url(name, "/healthz")) as response:
                assert response.status == 200
            async with http.get(platform.url(name, "/readyz")) as response:
                checks = (await response.json())["data"]["checks"]
                assert {"postgres", "rabbitmq"} <= set(checks)
                if name == "gateway":
                    assert "redis" in checks
            async with http.get(platform.url(name, "/metrics")) as response:
                text = await response.text()
                assert "stacknex_http_requests_total" in text
                assert "stacknex_publish_lag_seconds" in text


async def test_an_event_appended_in_one_service_reaches_the_webhooks_service(
    platform: Platform, database_url: str
) -> None:
    pool = await create_pool(database_url, schema="catalog")
    webhooks = await create_pool(database_url, schema="webhooks")
    try:
        store = EventStore(schema="catalog")
        async with pool.acquire() as conn, conn.transaction():
            [event] = await store.append(
                conn,
                stream_id="prod_e2e",
                expected_version=0,
                events=[
                    NewEvent(
                        type="product.created",
                        data={"id": "prod_e2e", "price": 4.99},
                        organization_id="org_e2e",
                        mode="live",
                    )
                ],
            )
        await until(
            lambda: webhooks.fetchval("SELECT count(*) = 1 FROM event_log WHERE id = $1", event.id),
            what="the event in the webhooks log",
        )
        body = await webhooks.fetchval("SELECT body FROM event_log WHERE id = $1", event.id)
        assert body["event"] == "product.created" and body["data"]["price"] == 4.99
        await until(lambda: pool.fetchval("SELECT count(*) = 0 FROM outbox"), what="drained")
    finally:
        await pool.close()
        await webhooks.close()


async def test_projection_rebuild_command_runs_against_the_platform(platform: Platform) -> None:
    out = jsoncodec.loads(_cli(platform.env, "projections", "rebuild", "catalog", "--json"))
    assert out["service"] == "catalog"
    assert out["eventsReplayed"] >= 0


async def test_a_killed_service_is_restarted_by_the_supervisor(platform: Platform) -> None:
    async with aiohttp.ClientSession() as http:
        pid = await _pid_on_port(platform.ports["inventory"])
        os.kill(pid, signal.SIGKILL)
        await until(
            lambda: _pid_on_port_differs(platform.ports["inventory"], pid),
            timeout=30,
            what="a new inventory process",
        )
        await until(
            lambda: _answers(http, platform.url("inventory", "/readyz")),
            timeout=30,
            what="inventory ready again",
        )


async def _pid_on_port(port: int) -> int:
    for _ in range(100):
        out = subprocess.run(
            ["ss", "-Hltnp", f"sport = :{port}"], capture_output=True, text=True
        ).stdout
        if "pid=" in out:
            return int(out.split("pid=")[1].split(",")[0])
        await asyncio.sleep(0.05)
    raise AssertionError(f"nothing listens on {port}")


async def _pid_on_port_differs(port: int, old: int) -> bool:
    try:
        return await _pid_on_port(port) != old
    except AssertionError:
        return False


async def test_sigterm_stops_every_service_gracefully(platform: Platform) -> None:
    platform.process.send_signal(signal.SIGTERM)
    code = await asyncio.to_thread(platform.process.wait, 40)
    assert code == 0
    log = platform.log()
    for name in SERVICES:
        assert f'"service": "{name}"' in log and "service.stopping" in log
        assert f"{name.ljust(9)} | stopped (exit 0)" in log, log[-3000:]
