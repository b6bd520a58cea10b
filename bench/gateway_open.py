"""The gateway with authentication and rate limits switched off, for the benchmark's second
baseline: the same app, routes and proxy, with a fixed principal instead of the key check.
Benchmark code only: nothing in the services can turn authentication off."""

import asyncio
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import uvloop
from aiohttp import web

from libs.common.logging import configure_logging
from libs.common.service import serve
from libs.common.settings import ServiceSettings
from services.gateway.adapters.keys import Principal
from services.gateway.app import SERVICE, create_app
from services.gateway.domain.access import SCOPES, Plan
from services.gateway.domain.model import ApiKey
from services.gateway.http import gatekeeper
from services.gateway.settings import Settings

FIXED = Principal(
    key=ApiKey(
        id="key_bench000000000000",
        organization_id="org_bench000000000000",
        mode="live",
        public_id="benchbenchbe",
        secret_hash="",
        scopes=SCOPES,
        expires_at=None,
        revoked_at=None,
        created_at=datetime.now(UTC),
        version=1,
    ),
    plan=Plan.ENTERPRISE,
)


@web.middleware
async def no_auth(request: web.Request, handler: Any) -> web.StreamResponse:
    request[gatekeeper.PRINCIPAL] = FIXED
    request[gatekeeper.RATE_HEADERS] = {}
    return await handler(request)


def create_open_app(settings: ServiceSettings) -> web.Application:
    app = create_app(settings)
    # The middleware list is still mutable before the app starts.
    app.middlewares[app.middlewares.index(gatekeeper.authenticate)] = no_auth
    return app


def main() -> None:
    settings = Settings()
    configure_logging(service="gateway-open", level="WARNING")
    uvloop.install()
    asyncio.run(serve(replace(SERVICE, create_app=create_open_app), settings))


if __name__ == "__main__":
    main()
