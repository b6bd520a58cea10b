from pathlib import Path

from aiohttp import web

from libs.common.eventstore import EventStore
from libs.common.internal import service_client_ctx
from libs.common.retention import retention_ctx
from libs.common.service import ServiceSpec, publisher_ctx
from libs.common.web import DOMAIN_ERRORS, METRICS, STORE, base_app, broker_ctx, postgres_ctx
from services.catalog.adapters.projections import CatalogProjector
from services.catalog.http import categories, products
from services.catalog.http.errors import to_api_error
from services.catalog.settings import Settings


def create_app(settings: Settings) -> web.Application:
    app = base_app(settings)
    app[STORE] = EventStore(
        schema=settings.db_schema, projector=CatalogProjector(), metrics=app[METRICS]
    )
    app[DOMAIN_ERRORS] = to_api_error
    app.add_routes(products.routes)
    app.add_routes(categories.routes)
    app.cleanup_ctx.extend(
        [postgres_ctx, broker_ctx, service_client_ctx, publisher_ctx, retention_ctx()]
    )
    return app


SERVICE = ServiceSpec(
    name="catalog",
    settings_cls=Settings,
    create_app=create_app,
    migrations_dir=Path(__file__).parent / "migrations",
    projector=CatalogProjector,
)
