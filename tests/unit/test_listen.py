"""`stacknex listen`'s reading of server-sent events, without a network."""

import asyncio

from aiohttp import StreamReader
from aiohttp.base_protocol import BaseProtocol

from cli.listen import Message, key_mode, messages


class _Socket(asyncio.Transport):
    """Stands for the connection the body comes over (flow control is not under test)."""

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


async def _read(*chunks: bytes) -> list[Message]:
    loop = asyncio.get_running_loop()
    protocol = BaseProtocol(loop)
    protocol.connection_made(_Socket())
    # aiohttp's own limit: its readline() refuses a line past twice this (128 KiB).
    reader = StreamReader(protocol, limit=2**16, loop=loop)

    async def feed() -> None:
        for chunk in chunks:
            reader.feed_data(chunk)
            await asyncio.sleep(0)  # the reader takes each chunk, as from a socket
        reader.feed_eof()

    feeding = asyncio.create_task(feed())
    got = [m async for m in messages(reader)]
    await feeding
    return got


async def test_messages_are_split_on_blank_lines_and_comments_are_skipped() -> None:
    got = await _read(
        b'retry: 2000\n\n: keepalive\n\nid: evt_1\nevent: order.created\ndata: {"a"',
        b":1}\n\nid: evt_2\r\nevent: x\r\ndata: one\r\ndata: two\r\n\r\n",
    )
    assert [(m.id, m.event, m.data) for m in got] == [
        ("evt_1", "order.created", b'{"a":1}'),
        ("evt_2", "x", b"one\ntwo"),
    ]


async def test_a_line_longer_than_the_readers_buffer_is_read_whole() -> None:
    body = b'{"data":"' + b"x" * 300_000 + b'"}'
    chunks = [b"id: evt_1\nevent: order.created\ndata: " + body[:1000]]
    chunks += [body[i : i + 65536] for i in range(1000, len(body), 65536)] + [b"\n\n"]
    [message] = await _read(*chunks)
    assert message.data == body


def test_the_keys_mode_is_read_from_its_prefix() -> None:
    assert key_mode("nxp_test_abc_def") == "test"
    assert key_mode("nxp_live_abc_def") == "live"
    assert key_mode("sk_live_abc") is None
