"""Slow and greedy clients: a request head or body that never finishes is cut off, and
thousands of idle connections neither block service nor stay open."""

import asyncio
import os
import ssl
import time
from pathlib import Path

import aiohttp

from services.gateway.service import Access
from tests.conftest import until
from tests.integration.gateway.conftest import GatewayFactory


def _tls(tls_files: Path) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(tls_files / "cert.pem"))


async def test_a_request_head_trickled_byte_by_byte_is_cut_off(
    start_gateway: GatewayFactory, tls_files: Path
) -> None:
    gateway = await start_gateway(keepalive_timeout=1)
    reader, writer = await asyncio.open_connection(
        "127.0.0.1", gateway.settings.tls_port, ssl=_tls(tls_files)
    )
    started = time.monotonic()
    writer.write(b"GET /api/v1/products HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    closed_after = None
    for byte in b"X-Slow: " + b"a" * 200:  # one byte every 50 ms: 10 s if never cut off
        try:
            writer.write(bytes([byte]))
            await writer.drain()
            if await asyncio.wait_for(reader.read(1), 0.05) == b"":
                closed_after = time.monotonic() - started
                break
        except TimeoutError:
            continue
        except (ConnectionError, ssl.SSLError):
            closed_after = time.monotonic() - started
            break
    writer.close()
    assert closed_after is not None and closed_after < 5


async def test_a_body_that_never_arrives_is_cut_off_with_408(
    start_gateway: GatewayFactory, tls_files: Path, access: Access
) -> None:
    gateway = await start_gateway(body_timeout=1)
    org = await access.create_organization(name="Slow", plan="professional")
    _, token = await access.create_key(org_id=org.id, mode="live")
    reader, writer = await asyncio.open_connection(
        "127.0.0.1", gateway.settings.tls_port, ssl=_tls(tls_files)
    )
    writer.write(
        b"POST /api/v1/products HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Authorization: Bearer " + token.encode() + b"\r\n"
        b'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"na'
    )
    await writer.drain()
    head = await asyncio.wait_for(reader.readline(), 10)
    assert head.startswith(b"HTTP/1.1 408")
    writer.close()


async def test_oversized_headers_are_refused(
    start_gateway: GatewayFactory, tls_files: Path
) -> None:
    gateway = await start_gateway()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=_tls(tls_files))) as http:
        async with http.get(
            gateway.tls_url + "/api/v1/products", headers={"X-Huge": "x" * 20_000}
        ) as response:
            assert response.status in (400, 431)


async def test_thousands_of_idle_connections_do_not_block_service_and_are_closed(
    start_gateway: GatewayFactory, tls_files: Path, access: Access
) -> None:
    gateway = await start_gateway(keepalive_timeout=2)
    baseline = len(os.listdir("/proc/self/fd"))
    idle = []
    for _ in range(2000):
        idle.append(await asyncio.open_connection("127.0.0.1", gateway.settings.port))
    org = await access.create_organization(name="Busy", plan="professional")
    _, token = await access.create_key(org_id=org.id, mode="live")
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=_tls(tls_files))) as http:
        async with http.get(
            gateway.tls_url + "/api/v1/products", headers={"Authorization": f"Bearer {token}"}
        ) as response:
            assert response.status == 200  # served while 2,000 connections sit idle

    async def all_closed_by_the_server() -> bool:
        for reader, _ in idle:
            if not (reader.at_eof() or await _eof(reader)):
                return False
        return True

    await until(all_closed_by_the_server, timeout=20, what="the idle connections to be closed")
    for _, writer in idle:
        writer.close()
    await asyncio.gather(*(writer.wait_closed() for _, writer in idle), return_exceptions=True)
    assert len(os.listdir("/proc/self/fd")) < baseline + 50


async def _eof(reader: asyncio.StreamReader) -> bool:
    try:
        return await asyncio.wait_for(reader.read(1), 0.001) == b""
    except TimeoutError:
        return False
