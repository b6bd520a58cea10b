"""A pooled keep-alive connection that the receiver closes just as the sender reuses it
never carried the request: the sender sends it once more on a new connection, within the
attempt, instead of recording a failure the receiver never caused (seen in CI: a "Connection
reset by peer" attempt that the receiver never saw). A receiver that drops a new connection
is still a failed attempt."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from ipaddress import IPv4Network

import pytest

from services.webhooks.adapters.sender import Sender

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok"


class Receiver:
    """Answers the first request of every connection; `drop_reused` closes a connection,
    unanswered, when a second request arrives on it."""

    def __init__(self, *, drop_reused: bool, drop_new: bool = False) -> None:
        self.drop_reused, self.drop_new = drop_reused, drop_new
        self.requests = 0
        self.connections = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        served = 0
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                await reader.readexactly(length)
                self.requests += 1
                if (served and self.drop_reused) or self.drop_new:
                    writer.transport.abort()  # a reset, as a receiver's idle close races
                    return
                writer.write(OK)
                await writer.drain()
                served += 1
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()


@contextlib.asynccontextmanager
async def serving(receiver: Receiver) -> AsyncIterator[str]:
    server = await asyncio.start_server(receiver.handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/hook"
    finally:
        server.close()


@pytest.fixture
async def sender() -> AsyncIterator[Sender]:
    made = Sender(
        connect_timeout=2,
        read_timeout=2,
        total_timeout=5,
        private_networks=[IPv4Network("127.0.0.0/8")],
    )
    yield made
    await made.close()


async def test_a_pooled_connection_dropped_on_reuse_is_sent_again_on_a_new_one(
    sender: Sender,
) -> None:
    receiver = Receiver(drop_reused=True)
    async with serving(receiver) as url:
        first = await sender.send(url, b"{}", {"Content-Type": "application/json"})
        second = await sender.send(url, b"{}", {"Content-Type": "application/json"})
    assert (first.status, first.error) == (200, None)
    assert (second.status, second.error) == (200, None), second
    # The dropped request, then the same one on a new connection.
    assert (receiver.requests, receiver.connections) == (3, 2)


async def test_a_receiver_that_drops_a_new_connection_is_a_failed_attempt(sender: Sender) -> None:
    receiver = Receiver(drop_reused=False, drop_new=True)
    async with serving(receiver) as url:
        result = await sender.send(url, b"{}", {"Content-Type": "application/json"})
    assert result.status is None and result.error
    assert receiver.requests == 1  # never sent twice
