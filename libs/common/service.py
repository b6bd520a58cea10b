"""What makes a process a StackNex service: its spec, its background workers, and `run`."""

import asyncio
import signal
import ssl
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

import uvloop
from aiohttp import web

from libs.common.background import running
from libs.common.consumer import BatchHandler, Consumer, Subscription
from libs.common.db import COMMON_MIGRATIONS, Migration, discover
from libs.common.eventstore import Projector
from libs.common.keys import KeyMaterialError
from libs.common.logging import configure_logging
from libs.common.publisher import OutboxPublisher
from libs.common.settings import ServiceSettings
from libs.common.web import BROKER, METRICS, POOL, SETTINGS, ops_app


@dataclass(frozen=True)
class Listener:
    host: str
    port: int
    ssl_context: ssl.SSLContext | None = None


def plain_listener(settings: ServiceSettings) -> list[Listener]:
    return [Listener(settings.host, settings.port)]


S = TypeVar("S", bound=ServiceSettings)


@dataclass(frozen=True)
class ServiceSpec(Generic[S]):
    """Everything the operator CLI and the dev supervisor need to know about a service,
    typed by the service's own settings class: `create_app` and `listeners` take exactly
    what `settings_cls` makes, so no service casts or asserts its settings' type."""

    name: str
    settings_cls: type[S]
    create_app: Callable[[S], web.Application]
    migrations_dir: Path | None = None
    projector: Callable[[], Projector] | None = None
    subscriptions: Sequence[Subscription] = field(default_factory=tuple)
    listeners: Callable[[S], list[Listener]] = plain_listener
    # False: the service keeps no state of its own (the dashboard): no schema, no
    # migrations, no event store.
    database: bool = True

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
    async with running(publisher.run(), name=f"publisher-{settings.db_schema}"):
        yield


def consumer_ctx(
    subscription: Subscription, handler: Callable[[web.Application], BatchHandler]
) -> Callable[[web.Application], AsyncIterator[None]]:
    """`handler` is made from the app, so that it can reach the app's store and clients
    (`consumer.one_by_one` makes one of a handler of single events)."""

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


def run(spec: ServiceSpec[Any]) -> None:
    """`python -m services.<name>`: settings from the environment, JSON logs, serve until
    SIGTERM/SIGINT, then stop listening, finish in-flight requests and messages, and exit."""
    settings = spec.settings_cls()
    configure_logging(service=spec.name, level=settings.log_level)
    uvloop.install()
    asyncio.run(serve(spec, settings))


async def listen(
    app: web.Application, settings: ServiceSettings, listeners: list[Listener]
) -> list[web.AppRunner]:
    """Opens `app`'s resources, then its public listeners, then the ops listener last, so
    that a `/readyz` answering means the public ports listen too. Cleanup in list order."""
    runner = web.AppRunner(
        app,
        access_log=None,
        shutdown_timeout=settings.shutdown_timeout,
        keepalive_timeout=settings.keepalive_timeout,
    )
    ops = web.AppRunner(ops_app(app), access_log=None, keepalive_timeout=settings.keepalive_timeout)
    await runner.setup()
    try:
        await ops.setup()
        for listener in listeners:
            site = web.TCPSite(
                runner, listener.host, listener.port, ssl_context=listener.ssl_context
            )
            await site.start()
        await web.TCPSite(ops, settings.ops_host, settings.ops_port).start()
    except BaseException:
        # A port already taken: close what was opened rather than leak pools and channels.
        await runner.cleanup()
        await ops.cleanup()
        raise
    return [runner, ops]


async def serve(spec: ServiceSpec[S], settings: S) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        app = spec.create_app(settings)
    except KeyMaterialError as exc:
        raise SystemExit(f"{spec.name}: {exc}") from None
    runners = await listen(app, settings, spec.listeners(settings))
    try:
        await stop.wait()
    finally:
        # Stops the public listeners, waits for in-flight requests, then the cleanup contexts
        # (consumers drain, the publisher stops, connections close) in reverse order; the
        # ops listener goes last, so probes see the drain rather than a refused connection.
        for runner in runners:
            await runner.cleanup()
