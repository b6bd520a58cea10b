from aiohttp import web

from libs.common.service import ServiceSpec
from libs.common.settings import ServiceSettings
from libs.common.web import base_app, broker_ctx, postgres_ctx
from services.gateway.adapters.redis import redis_ctx
from services.gateway.settings import Settings


def create_app(settings: ServiceSettings) -> web.Application:
    app = base_app(settings)
    app.cleanup_ctx.extend([postgres_ctx, broker_ctx, redis_ctx])
    return app


SERVICE = ServiceSpec(name="gateway", settings_cls=Settings, create_app=create_app)
