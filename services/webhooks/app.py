from collections.abc import AsyncIterator, Callable
from pathlib import Path

import asyncpg
from aiohttp import web

from libs.common.consumer import BatchHandler
from libs.common.events import Event
from libs.common.eventstore import EventStore
from libs.common.retention import retention_ctx
from libs.common.service import ServiceSpec, consumer_ctx, publisher_ctx
from libs.common.web import (
    DOMAIN_ERRORS,
    METRICS,
    STORE,
    base_app,
    broker_ctx,
    postgres_ctx,
    require_identity,
)
from services.webhooks import service
from services.webhooks.adapters import retention
from services.webhooks.adapters.event_log import SUBSCRIPTION
from services.webhooks.adapters.metrics import WEBHOOK_METRICS, WebhookMetrics
from services.webhooks.adapters.projections import WebhooksProjector
from services.webhooks.adapters.secrets import SecretBox
from services.webhooks.adapters.stream import STREAM_HUB, StreamHub, close_streams, stream_hub_ctx
from services.webhooks.adapters.worker import worker_ctx
from services.webhooks.http import access, dashboard, deliveries, endpoints, events, stream
from services.webhooks.http.errors import to_api_error
from services.webhooks.settings import WEBHOOKS_SETTINGS, Settings


def _on_events(app: web.Application) -> BatchHandler:
    """The consumer's handler: the use case, with this app's store and metrics."""

    async def on_events(conn: asyncpg.Connection, events: list[Event]) -> None:
        app[WEBHOOK_METRICS].low_stock.inc(
            await service.on_events(conn, store=app[STORE], events=events)
        )

    return on_events


def create_app(settings: Settings) -> web.Application:
    # The scopes after the identity: a member's calls come straight from the dashboard.
    app = base_app(settings, middlewares=(require_identity, access.scopes))
    app[WEBHOOKS_SETTINGS] = settings
    app[STORE] = EventStore(
        schema=settings.db_schema, projector=WebhooksProjector(), metrics=app[METRICS]
    )
    app[WEBHOOK_METRICS] = WebhookMetrics(app[METRICS])
    app[endpoints.SECRET_BOX] = SecretBox(settings.secrets_key.get_secret_value())
    app[DOMAIN_ERRORS] = to_api_error
    contexts: list[Callable[[web.Application], AsyncIterator[None]]] = [
        postgres_ctx,
        broker_ctx,
        publisher_ctx,
    ]
    if settings.role in ("all", "api"):
        # The stream first: its path would otherwise read as an event id.
        for module in (endpoints, deliveries, stream, events, dashboard):
            app.add_routes(module.routes)
        hub = app[STREAM_HUB] = StreamHub(
            dsn=str(settings.database_url),
            schema=settings.db_schema,
            per_organization=settings.streams_per_organization,
        )
        app[WEBHOOK_METRICS].streams_open.set_function(lambda: hub.open_streams)
        app.on_shutdown.append(close_streams)
        contexts += [
            stream_hub_ctx,
            consumer_ctx(SUBSCRIPTION, _on_events),
            retention_ctx(lambda _: retention.purges(settings)),
        ]
    if settings.role in ("all", "worker"):
        contexts.append(worker_ctx(service.disable_endpoint))
    app.cleanup_ctx.extend(contexts)
    return app


SERVICE = ServiceSpec(
    name="webhooks",
    settings_cls=Settings,
    create_app=create_app,
    migrations_dir=Path(__file__).parent / "migrations",
    projector=WebhooksProjector,
    subscriptions=(SUBSCRIPTION,),
)
