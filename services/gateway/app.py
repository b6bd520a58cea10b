import ssl
from pathlib import Path

from aiohttp import web

from libs.common.service import Listener, ServiceSpec, publisher_ctx
from libs.common.settings import ServiceSettings
from libs.common.web import METRICS, base_app, broker_ctx, postgres_ctx
from services.gateway.adapters.keys import key_cache_ctx
from services.gateway.adapters.metrics import GATEWAY_METRICS, GatewayMetrics
from services.gateway.adapters.projections import GatewayProjector
from services.gateway.adapters.redis import redis_ctx
from services.gateway.domain.routing import ROUTES
from services.gateway.http.gatekeeper import authenticate, require_https
from services.gateway.http.proxy import handler_for, upstream_ctx
from services.gateway.settings import Settings


def create_app(settings: ServiceSettings) -> web.Application:
    app = base_app(settings, middlewares=(require_https, authenticate))
    app[GATEWAY_METRICS] = GatewayMetrics(app[METRICS])
    app.cleanup_ctx.extend(
        [postgres_ctx, broker_ctx, redis_ctx, key_cache_ctx, upstream_ctx, publisher_ctx]
    )
    for route in ROUTES:
        resource = app.router.add_resource(route.path)
        for method in route.scopes:
            resource.add_route(method, handler_for(route))
    return app


def listeners(settings: ServiceSettings) -> list[Listener]:
    assert isinstance(settings, Settings)
    for path in (settings.tls_cert_file, settings.tls_key_file):
        if not Path(path).is_file():
            raise SystemExit(
                f"gateway: TLS file {path} is missing; `make run` generates a local one, or set"
                " STACKNEX_GATEWAY_TLS_CERT_FILE and STACKNEX_GATEWAY_TLS_KEY_FILE"
            )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(settings.tls_cert_file, settings.tls_key_file)
    return [
        Listener(settings.host, settings.port),
        Listener(settings.host, settings.tls_port, context),
    ]


SERVICE = ServiceSpec(
    name="gateway",
    settings_cls=Settings,
    create_app=create_app,
    migrations_dir=Path(__file__).parent / "migrations",
    projector=GatewayProjector,
    listeners=listeners,
)
