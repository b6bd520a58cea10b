"""Settings → Developers: the merchant's pages for keys, webhooks, events, the request log,
usage and members. It holds no data of its own (no schema): every page asks the gateway or
the webhooks service, as the signed-in member, for their organization and the page's mode."""

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from libs.common.internal import SERVICE_CLIENT, service_client_ctx
from libs.common.service import ServiceSpec
from libs.common.web import base_app
from services.dashboard.adapters.backends import Backend
from services.dashboard.domain.pages import Page
from services.dashboard.http import (
    events,
    keys,
    members,
    security,
    session,
    usage,
    webhook_actions,
    webhooks,
)
from services.dashboard.http.callers import GATEWAY, WEBHOOKS
from services.dashboard.http.guard import error_pages, security_headers, visit
from services.dashboard.http.pages import PREFIX, PageRoutes, add_pages
from services.dashboard.settings import DASHBOARD_SETTINGS, Settings

HERE = Path(__file__).parent
PAGES = web.AppKey("pages", list[Page])

# Every module of pages; the route table is theirs together (domain/pages.py).
TABLES: list[PageRoutes] = [
    session.routes,
    keys.routes,
    webhooks.routes,
    webhook_actions.routes,
    events.routes,
    members.routes,
    security.routes,
    usage.routes,
]


def all_pages() -> list[Page]:
    return [page for table in TABLES for page, _ in table.pages]


def create_app(settings: Settings) -> web.Application:
    app = base_app(settings, middlewares=(visit, error_pages))
    app[DASHBOARD_SETTINGS] = settings
    aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=jinja2.select_autoescape(default=True),
        undefined=jinja2.StrictUndefined,  # a misspelt name fails the test, not the reader
    )
    app.on_response_prepare.append(security_headers)
    app.cleanup_ctx.append(service_client_ctx)
    app.cleanup_ctx.append(backends_ctx)
    app[PAGES] = add_pages(app, TABLES)
    app.router.add_static(f"{PREFIX}/static/", HERE / "static", name="static")
    return app


async def backends_ctx(app: web.Application) -> AsyncIterator[None]:
    client = app[SERVICE_CLIENT]
    app[GATEWAY] = Backend(client=client, service="gateway")
    app[WEBHOOKS] = Backend(client=client, service="webhooks")
    yield


SERVICE = ServiceSpec(
    name="dashboard", settings_cls=Settings, create_app=create_app, database=False
)
