from pathlib import Path

from aiohttp import web

from libs.common.service import ServiceSpec, consumer_ctx, publisher_ctx
from libs.common.settings import ServiceSettings
from libs.common.web import base_app, broker_ctx, postgres_ctx
from services.webhooks.adapters.event_log import SUBSCRIPTION, event_log_handler
from services.webhooks.settings import Settings


def create_app(settings: ServiceSettings) -> web.Application:
    app = base_app(settings)
    app.cleanup_ctx.extend(
        [
            postgres_ctx,
            broker_ctx,
            publisher_ctx,
            consumer_ctx(SUBSCRIPTION, event_log_handler),
        ]
    )
    return app


SERVICE = ServiceSpec(
    name="webhooks",
    settings_cls=Settings,
    create_app=create_app,
    migrations_dir=Path(__file__).parent / "migrations",
    subscriptions=(SUBSCRIPTION,),
)
