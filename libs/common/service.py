"""What makes a process a StackNex service: its spec, its background workers, and `run`."""

import asyncio
import contextlib
import signal
import ssl
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import uvloop
from aiohttp import web

from libs.common.consumer import Consumer, Handler, Subscription
from libs.common.db import COMMON_MIGRATIONS, Migration, discover
from libs.common.eventstore import Projector
from libs.common.logging import configure_logging
from libs.common.publisher import TRANSIENT, OutboxPublisher
from libs.common.settings import ServiceSettings
from libs.common.web import BROKER, METRICS, POOL, SETTINGS
from libs.common.writes import purge_idempotency_keys, records_box, seal_legacy_records


@dataclass(frozen=True)
class Listener:
    host: str
    port: int
    ssl_context: ssl.SSLContext | None = None


def plain_listener(settings: ServiceSettings) -> list[Listener]:
    return [Listener(settings.host, settings.port)]


@dataclass(frozen=True)
class ServiceSpec:
    """Everything the operator CLI and the dev supervisor need to know about a service."""

    name: str
    settings_cls: type[ServiceSettings]
    create_app: Callable[[ServiceSettings], web.Application]
    migrations_dir: Path | None = None
    projector: Callable[[], Projector] | None = None
    subscriptions: Sequence[Subscription] = field(default_factory=tuple)
    listeners: Callable[[ServiceSettings], list[Listener]] = plain_listener

    def migrations(self) -> list[Migration]:
        dirs = [COMMON_MIGRATIONS]
        if self.migrations_dir is not None:
            dirs.append(self.migrations_dir)
        return discover(dirs)


async def publisher_ctx(app: web.Application) -> AsyncIterator[None]:
    """Relays this service's outbox to the broker for as long as the app runs."""
    settings = app[SETTINGS]
    publisher = OutboxPublisher(
        dsn=str(settings.database_url),
        schema=settings.db_schema,
        broker=app[BROKER],
        metrics=app[METRICS],
    )
    task = asyncio.create_task(publisher.run(), name=f"publisher-{settings.db_schema}")
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def idempotency_purge_ctx(app: web.Application) -> AsyncIterator[None]:
    """Forgets Idempotency-Key responses once their 24 hours are over, hourly; first seals
    any left in plaintext by an earlier version."""

    async def purge() -> None:
        while True:
            with contextlib.suppress(*TRANSIENT):
                await seal_legacy_records(app[POOL], records_box(app[SETTINGS]))
                await purge_idempotency_keys(app[POOL])
            await asyncio.sleep(3600)

    task = asyncio.create_task(purge(), name="idempotency-purge")
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def consumer_ctx(
    subscription: Subscription, handler: Callable[[web.Application], Handler]
) -> Callable[[web.Application], AsyncIterator[None]]:
    """`handler` is made from the app, so that it can reach the app's store and clients."""

    async def ctx(app: web.Application) -> AsyncIterator[None]:
        consumer = Consumer(
            subscription=subscription,
            pool=app[POOL],
            broker=app[BROKER],
            handler=handler(app),
            metrics=app[METRICS],
        )
        await consumer.start()
        yield
        await consumer.stop(timeout=app[SETTINGS].shutdown_timeout)

    return ctx


def run(spec: ServiceSpec) -> None:
    """`python -m services.<name>`: settings from the environment, JSON logs, serve until
    SIGTERM/SIGINT, then stop listening, finish in-flight requests and messages, and exit."""
    settings = spec.settings_cls()
    configure_logging(service=spec.name, level=settings.log_level)
    uvloop.install()
    asyncio.run(serve(spec, settings))


async def serve(spec: ServiceSpec, settings: ServiceSettings) -> None:
    runner = web.AppRunner(
        spec.create_app(settings),
        access_log=None,
        shutdown_timeout=settings.shutdown_timeout,
        keepalive_timeout=settings.keepalive_timeout,
    )
    await runner.setup()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        for listener in spec.listeners(settings):
            site = web.TCPSite(
                runner, listener.host, listener.port, ssl_context=listener.ssl_context
            )
            await site.start()
        await stop.wait()
    finally:
        # Stops the listeners, waits for in-flight requests, then the cleanup contexts
        # (consumers drain, the publisher stops, connections close) in reverse order.
        await runner.cleanup()
