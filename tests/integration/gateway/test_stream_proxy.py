"""The gateway proxying a stream (the route table's `stream`): chunks pass as they come, past
the upstream timeout that every other route keeps; the replica's cap on open streams; and a
gateway that stops ends its streams at once."""

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from libs.common.service import listen
from services.gateway.app import create_app, listeners
from services.gateway.service import Access
from services.gateway.settings import Settings
from tests.conftest import AMQP_URL, REDIS_URL, free_port, key_settings
from tests.integration.gateway.conftest import Upstream

STREAM = "/api/v1/events/stream"


async def _events(request: web.Request) -> web.StreamResponse:
    """An upstream event stream: a message every `gap` seconds, `count` of them."""
    gap, count = float(request.query.get("gap", "0.2")), int(request.query.get("count", "6"))
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
    await response.prepare(request)
    for n in range(count):
        await response.write(f"data: {n}\n\n".encode())
        await asyncio.sleep(gap)  # the upstream's pace is the behaviour under test
    await response.write_eof()
    return response


async def _slow(request: web.Request) -> web.Response:
    await asyncio.sleep(3)  # slower than the gateway's upstream timeout
    return web.json_response({"success": True, "data": []})


@pytest.fixture(scope="module")
async def webhooks_url() -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_get(STREAM, _events)
    app.router.add_get("/api/v1/events", _slow)
    runner = web.AppRunner(app, shutdown_timeout=0.5)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


@pytest.fixture
async def start(
    database_url: str,
    gateway_db: Any,
    tls_files: Path,
    upstreams: dict[str, tuple[Upstream, str]],
    exchange: str,
    keys_dir: Path,
    webhooks_url: str,
) -> AsyncIterator[Any]:
    """A gateway in front of the streaming upstream; returns its URL and its runners."""
    running: list[web.AppRunner] = []

    async def started(**overrides: Any) -> tuple[str, list[web.AppRunner]]:
        tls = free_port()
        settings = Settings(
            environment="test",
            database_url=database_url,
            amqp_url=AMQP_URL,
            events_exchange=exchange,
            redis_url=REDIS_URL,
            port=free_port(),
            tls_port=tls,
            ops_port=free_port(),
            tls_cert_file=tls_files / "cert.pem",
            tls_key_file=tls_files / "key.pem",
            shutdown_timeout=5,
            upstream_timeout=1,
            **key_settings(keys_dir, "gateway"),
            **{
                f"{name}_url": webhooks_url if name == "webhooks" else url
                for name, (_, url) in upstreams.items()
            },
            **overrides,
        )
        runners = await listen(create_app(settings), settings, listeners(settings))
        running.extend(runners)
        return f"https://127.0.0.1:{tls}", runners

    yield started
    for runner in running:
        if runner.server is not None:  # not stopped by the test itself
            await runner.cleanup()


async def _token(access: Access) -> dict[str, str]:
    org = await access.create_organization(name="Listen Co", plan="professional")
    _, token = await access.create_key(org_id=org.id, mode="test", scopes=["events:read"])
    return {"Authorization": f"Bearer {token}", "X-Request-Id": "stream-proxy-1"}


async def test_a_stream_passes_as_it_comes_and_outlives_the_upstream_timeout(
    start: Any, http: aiohttp.ClientSession, access: Access
) -> None:
    url, _ = await start()
    headers = await _token(access)
    started = time.monotonic()
    async with http.get(url + STREAM + "?gap=0.3&count=6", headers=headers) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "text/event-stream"
        assert response.headers["X-Request-Id"] == "stream-proxy-1"
        assert response.headers["X-RateLimit-Limit"] == "1000"
        first = await response.content.readline()
        assert first == b"data: 0\n"
        assert time.monotonic() - started < 1  # not held back until the stream's end
        rest = await response.read()
    assert rest.count(b"data: ") == 5
    assert time.monotonic() - started > 1.5  # past the 1 s upstream timeout: not cut
    # Every other route keeps that timeout.
    async with http.get(url + "/api/v1/events", headers=headers) as response:
        assert response.status == 503
        assert (await response.json())["error"]["code"] == "SERVICE_UNAVAILABLE"


async def test_a_replica_carries_at_most_its_limit_of_streams(
    start: Any, http: aiohttp.ClientSession, access: Access
) -> None:
    url, _ = await start(stream_limit=1)
    headers = await _token(access)
    async with http.get(url + STREAM + "?gap=1&count=5", headers=headers) as open_stream:
        assert open_stream.status == 200
        async with http.get(url + STREAM, headers=headers) as refused:
            assert refused.status == 503
            body = await refused.json()
            assert body["error"]["details"] == {"reason": "stream_limit"}
            assert refused.headers["Retry-After"] == "5"


async def test_a_stopping_gateway_ends_its_streams_at_once(
    start: Any, http: aiohttp.ClientSession, access: Access
) -> None:
    url, runners = await start()
    headers = await _token(access)
    async with http.get(url + STREAM + "?gap=1&count=60", headers=headers) as response:
        assert await response.content.readline() == b"data: 0\n"
        stopping = time.monotonic()
        cleanup = asyncio.gather(*(runner.cleanup() for runner in runners))
        try:
            # Ended (cleanly or cut, either way the client resumes elsewhere), at once: not
            # after the 5 s shutdown timeout, nor after the upstream's 60 s.
            with contextlib.suppress(aiohttp.ClientPayloadError):
                rest = await asyncio.wait_for(response.read(), 3)
                assert rest.count(b"data: ") < 3
            assert time.monotonic() - stopping < 3
        finally:
            await cleanup
