from pathlib import Path

from aiohttp import web

from libs.common.eventstore import EventStore
from libs.common.internal import service_client_ctx
from libs.common.retention import retention_ctx
from libs.common.service import ServiceSpec, publisher_ctx
from libs.common.web import DOMAIN_ERRORS, METRICS, STORE, base_app, broker_ctx, postgres_ctx
from services.orders.adapters.projections import OrdersProjector
from services.orders.http import customers, orders
from services.orders.http.errors import to_api_error
from services.orders.settings import Settings


def create_app(settings: Settings) -> web.Application:
    app = base_app(settings)
    app[STORE] = EventStore(
        schema=settings.db_schema, projector=OrdersProjector(), metrics=app[METRICS]
    )
    app[DOMAIN_ERRORS] = to_api_error
    app.add_routes(customers.routes)
    app.add_routes(orders.routes)
    app.cleanup_ctx.extend(
        [postgres_ctx, broker_ctx, service_client_ctx, publisher_ctx, retention_ctx()]
    )
    return app


SERVICE = ServiceSpec(
    name="orders",
    settings_cls=Settings,
    create_app=create_app,
    migrations_dir=Path(__file__).parent / "migrations",
    projector=OrdersProjector,
)
