from aiohttp import web

from libs.common.service import ServiceSpec, publisher_ctx
from libs.common.settings import ServiceSettings
from libs.common.web import base_app, broker_ctx, postgres_ctx
from services.inventory.settings import Settings


def create_app(settings: ServiceSettings) -> web.Application:
    app = base_app(settings)
    app.cleanup_ctx.extend([postgres_ctx, broker_ctx, publisher_ctx])
    return app


SERVICE = ServiceSpec(name="inventory", settings_cls=Settings, create_app=create_app)
