"""Webhook receivers that misbehave, on raw asyncio sockets on loopback: each path of one
server answers in its own hostile way (or not at all), and every request is counted."""

import asyncio
import contextlib
import functools
import itertools
import socket
import ssl
import struct
import time
import zlib
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

Writer = asyncio.StreamWriter
Answer = Callable[[Writer], Awaitable[None]]

TEN_MB = 10 * 1024 * 1024
BOMB_INFLATED = 128 * 1024 * 1024


@functools.cache
def bomb() -> bytes:
    """128 MB of zeros in ~130 KB of gzip: inflated in memory, it would show in any RSS."""
    packer = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1024 * 1024)
    return b"".join(packer.compress(zeros) for _ in range(BOMB_INFLATED // len(zeros))) + (
        packer.flush()
    )


def _head(status: str, *headers: str) -> bytes:
    return ("\r\n".join([f"HTTP/1.1 {status}", *headers]) + "\r\n\r\n").encode()


async def nul_bytes(w: Writer) -> None:
    body = b"upstream said: \x00\x00 nothing \x00 more"
    w.write(_head("500 Internal Server Error", f"Content-Length: {len(body)}") + body)


async def invalid_utf8(w: Writer) -> None:
    body = b"\xff\xfe\xc3\x28 not \xed\xa0\x80 utf-8 \xf0\x28\x8c\x28"
    w.write(_head("500 Internal Server Error", f"Content-Length: {len(body)}") + body)


async def ten_megabytes(w: Writer) -> None:
    w.write(_head("500 Internal Server Error", f"Content-Length: {TEN_MB}"))
    chunk = b"x" * 65536
    for _ in range(TEN_MB // len(chunk)):
        w.write(chunk)
        await w.drain()  # stops when the sender has read its excerpt and closed


async def endless_chunked(w: Writer) -> None:
    w.write(_head("500 Internal Server Error", "Transfer-Encoding: chunked"))
    while True:
        w.write(b"10\r\n" + b"0123456789abcdef" + b"\r\n")
        await w.drain()
        await asyncio.sleep(0.05)  # the pace of a body that never ends, not a wait


async def endless_head(w: Writer) -> None:
    w.write(b"HTTP/1.1 200 OK\r\n")
    for n in itertools.count():
        w.write(f"X-Header-{n}: never the end of the head\r\n".encode())
        await w.drain()
        await asyncio.sleep(0.05)  # the pace of a head that never ends, not a wait


async def drip(w: Writer) -> None:
    w.write(_head("200 OK", "Content-Length: 1000"))
    for _ in range(1000):
        w.write(b".")
        await w.drain()
        await asyncio.sleep(1)  # one byte a second: the behaviour under test


async def gzip_bomb(w: Writer) -> None:
    body = bomb()
    w.write(
        _head("500 Internal Server Error", "Content-Encoding: gzip", f"Content-Length: {len(body)}")
    )
    w.write(body)
    await w.drain()


async def redirect(w: Writer) -> None:
    w.write(
        _head(
            "302 Found", "Location: http://169.254.169.254/latest/meta-data/", "Content-Length: 0"
        )
    )


async def reset_mid_body(w: Writer) -> None:
    w.write(_head("200 OK", "Content-Length: 5000") + b"the first bytes of the answer")
    await w.drain()
    sock = w.get_extra_info("socket")
    # SO_LINGER 0: close sends a RST, not a FIN.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    w.transport.abort()


async def not_http(w: Writer) -> None:
    w.write(b"SSH-2.0-OpenSSH_9.6\x00\xff\xfe garbage \x00\r\n\r\n")


async def hang_up(w: Writer) -> None:
    """Reads the request, answers nothing, closes (the caller closes every connection)."""


ANSWERS: dict[str, Answer] = {
    "/nul": nul_bytes,
    "/invalid-utf8": invalid_utf8,
    "/ten-megabytes": ten_megabytes,
    "/endless-chunked": endless_chunked,
    "/endless-head": endless_head,
    "/drip": drip,
    "/gzip-bomb": gzip_bomb,
    "/redirect": redirect,
    "/reset": reset_mid_body,
    "/not-http": not_http,
    "/hang-up": hang_up,
}


@dataclass
class Hostile:
    port: int = 0
    hits: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    webhook_ids: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def handle(self, reader: asyncio.StreamReader, writer: Writer) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            path = lines[0].split(" ")[1]
            headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
            await reader.readexactly(int(headers.get("Content-Length", "0")))
            self.hits[path].append(time.monotonic())
            self.webhook_ids[path].append(headers.get("X-Webhook-Id", ""))
            await ANSWERS[path](writer)
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, KeyError, IndexError):
            pass
        except asyncio.CancelledError:  # the server closing under an endless answer
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()
                await writer.wait_closed()  # collects a broken pipe of an unread answer


async def start_hostile() -> AsyncIterator[Hostile]:
    hostile = Hostile()
    server = await asyncio.start_server(hostile.handle, "127.0.0.1", 0)
    hostile.port = server.sockets[0].getsockname()[1]
    yield hostile
    server.close()
    await asyncio.wait_for(server.wait_closed(), 10)


@dataclass
class Silent:
    """Accepts connections and never answers: an address whose packets go nowhere once
    connected. `connections` counts what it holds."""

    port: int = 0
    connections: int = 0
    held: list[Writer] = field(default_factory=list)

    async def handle(self, reader: asyncio.StreamReader, writer: Writer) -> None:
        self.connections += 1
        self.held.append(writer)
        with contextlib.suppress(Exception):
            await reader.read()  # until the sender gives up and closes


async def start_silent() -> AsyncIterator[Silent]:
    silent = Silent()
    server = await asyncio.start_server(silent.handle, "127.0.0.1", 0)
    silent.port = server.sockets[0].getsockname()[1]
    yield silent
    for writer in silent.held:
        writer.transport.abort()
    server.close()


@dataclass
class TlsGarbage:
    """An https endpoint whose "TLS" answer to the ClientHello is plain text."""

    port: int = 0
    connections: int = 0

    async def handle(self, reader: asyncio.StreamReader, writer: Writer) -> None:
        self.connections += 1
        with contextlib.suppress(Exception):
            await reader.read(1)  # the ClientHello has begun
            writer.write(b"HTTP/1.1 400 Bad Request\r\n\r\nthis port speaks no TLS\x00\r\n")
            await writer.drain()
            writer.close()


async def start_tls_garbage() -> AsyncIterator[TlsGarbage]:
    tls = TlsGarbage()
    server = await asyncio.start_server(tls.handle, "127.0.0.1", 0)
    tls.port = server.sockets[0].getsockname()[1]
    yield tls
    server.close()


async def start_untrusted_tls(cert: str, key: str) -> AsyncIterator[TlsGarbage]:
    """Real TLS with a self-signed certificate the sender has no reason to trust."""
    untrusted = TlsGarbage()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    async def handle(reader: asyncio.StreamReader, writer: Writer) -> None:
        untrusted.connections += 1  # counted once the handshake is done: never, here
        writer.write(_head("200 OK", "Content-Length: 2") + b"ok")
        with contextlib.suppress(Exception):
            await writer.drain()
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=context)
    untrusted.port = server.sockets[0].getsockname()[1]
    yield untrusted
    server.close()


class Unreachable:
    """A listening socket whose accept queue is full and never drained: the kernel drops
    further SYNs, as a firewall that drops packets does, so a connect hangs."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(0)
        self.port = self.listener.getsockname()[1]
        self.fillers: list[socket.socket] = []
        for _ in range(4):  # a backlog of 0 still queues one or two: fill them
            filler = socket.socket()
            filler.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                filler.connect(("127.0.0.1", self.port))
            self.fillers.append(filler)

    def close(self) -> None:
        for sock in (*self.fillers, self.listener):
            sock.close()
