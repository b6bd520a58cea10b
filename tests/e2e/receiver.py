"""A webhook receiver on loopback that records every request and answers as told."""

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.conftest import free_port

Behaviour = Callable[[int], Awaitable[web.Response]]  # gets the n-th call to its path (1-based)


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    started: float
    ended: float | None = None

    @property
    def json(self) -> Any:
        import orjson

        return orjson.loads(self.body)


@dataclass
class Receiver:
    url: str = ""
    requests: list[Received] = field(default_factory=list)
    behaviours: dict[str, Behaviour] = field(default_factory=dict)
    runner: web.AppRunner | None = None
    site: web.TCPSite | None = None
    port: int = 0

    async def restart(self) -> None:
        """Listens again on the same port after `site.stop()` (a receiver coming back)."""
        assert self.runner is not None
        self.site = web.TCPSite(self.runner, "127.0.0.1", self.port)
        await self.site.start()

    def at(self, path: str) -> list[Received]:
        return [r for r in self.requests if r.path == path]

    async def handle(self, request: web.Request) -> web.Response:
        received = Received(
            path=request.path,
            headers=dict(request.headers),
            body=await request.read(),
            started=time.monotonic(),
        )
        self.requests.append(received)
        behaviour = self.behaviours.get(request.path)
        try:
            if behaviour is None:
                return web.Response(text="ok")
            return await behaviour(len(self.at(request.path)))
        finally:
            received.ended = time.monotonic()


async def respond(
    status: int, *, delay: float = 0, headers: dict[str, str] | None = None, text: str = ""
) -> web.Response:
    if delay:
        await asyncio.sleep(delay)  # the receiver being slow is the behaviour under test
    return web.Response(status=status, headers=headers, text=text)


async def start_receiver() -> AsyncIterator[Receiver]:
    receiver = Receiver()
    app = web.Application()
    app.router.add_post("/{tail:.*}", receiver.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    receiver.url = f"http://127.0.0.1:{port}"
    receiver.runner, receiver.site, receiver.port = runner, site, port
    yield receiver
    await runner.cleanup()
