from pathlib import Path

from aiohttp import web

from libs.common.eventstore import EventStore
from libs.common.internal import service_client_ctx
from libs.common.retention import retention_ctx
from libs.common.service import (
    ServiceSpec,
    consumer_ctx,
    publisher_ctx,
)
from libs.common.web import DOMAIN_ERRORS, METRICS, STORE, base_app, broker_ctx, postgres_ctx
from services.inventory.adapters import events
from services.inventory.adapters.projections import InventoryProjector
from services.inventory.adapters.sweeper import sweeper_ctx
from services.inventory.http import holds, items, locations, products
from services.inventory.http.errors import to_api_error
from services.inventory.settings import INVENTORY_SETTINGS, Settings


def create_app(settings: Settings) -> web.Application:
    app = base_app(settings)
    app[INVENTORY_SETTINGS] = settings
    app[STORE] = EventStore(
        schema=settings.db_schema, projector=InventoryProjector(), metrics=app[METRICS]
    )
    app[DOMAIN_ERRORS] = to_api_error
    for module in (locations, items, holds, products):
        app.add_routes(module.routes)
    app.cleanup_ctx.extend(
        [
            postgres_ctx,
            broker_ctx,
            service_client_ctx,
            publisher_ctx,
            retention_ctx(),
            consumer_ctx(events.SUBSCRIPTION, events.batch_handler),
            sweeper_ctx,
        ]
    )
    return app


SERVICE = ServiceSpec(
    name="inventory",
    settings_cls=Settings,
    create_app=create_app,
    migrations_dir=Path(__file__).parent / "migrations",
    projector=InventoryProjector,
    subscriptions=(events.SUBSCRIPTION,),
)
