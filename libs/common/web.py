"""The HTTP skeleton every service shares: request ids, metrics, the one error middleware,
the operational app (`/healthz`, `/readyz`, `/metrics` on a listener of their own), and the
resources each app opens and closes."""

import asyncio
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import asyncpg
import structlog
from aiohttp import web

from libs.common import identity, jsoncodec
from libs.common.broker import Broker
from libs.common.db import create_pool
from libs.common.errors import (
    ApiError,
    InternalError,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    ServiceUnavailable,
    VersionConflict,
)
from libs.common.eventstore import ConcurrencyError, EventStore
from libs.common.ids import new_id
from libs.common.keys import Keyring, load_keyring
from libs.common.logging import get_logger, mask_url
from libs.common.metrics import Metrics
from libs.common.publisher import TRANSIENT
from libs.common.settings import ServiceSettings

log = get_logger(__name__)

ReadinessCheck = Callable[[], Awaitable[None]]

REQUEST_ID = web.RequestKey("request_id", str)
SETTINGS = web.AppKey("settings", ServiceSettings)
METRICS = web.AppKey("metrics", Metrics)
POOL = web.AppKey("pool", asyncpg.Pool)
BROKER = web.AppKey("broker", Broker)
STORE = web.AppKey("store", EventStore)
KEYRING = web.AppKey("keyring", Keyring)
READINESS = web.AppKey("readiness", dict[str, ReadinessCheck])
# A service's translation of its own domain exceptions into API errors (None: not ours).
DomainErrors = Callable[[Exception], ApiError | None]
DOMAIN_ERRORS: web.AppKey[DomainErrors] = web.AppKey("domain_errors")

MAX_BODY = 1024 * 1024  # 1 MiB (CONVENTIONS: Requests)
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")


def ok(
    data: Any,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
    pagination: dict[str, Any] | None = None,
) -> web.Response:
    body: dict[str, Any] = {"success": True, "data": data}
    if pagination is not None:
        body["pagination"] = pagination
    return web.Response(
        body=jsoncodec.dumps(body),
        status=status,
        headers=headers,
        content_type="application/json",
    )


def error_response(error: ApiError) -> web.Response:
    return web.Response(
        body=jsoncodec.dumps(error.body()),
        status=error.status,
        headers=error.headers,
        content_type="application/json",
    )


def route_label(request: web.Request) -> str:
    # The route template, never the raw path: label values must stay bounded.
    route = request.match_info.route
    resource = route.resource if route is not None else None
    return resource.canonical if resource is not None else "unmatched"


@web.middleware
async def observe(request: web.Request, handler: Any) -> web.StreamResponse:
    """Outermost: request id in, on the logs and out; metrics by route and status."""
    supplied = request.headers.get("X-Request-Id", "")
    request_id = supplied if _REQUEST_ID_RE.match(supplied) else new_id("req")
    request[REQUEST_ID] = request_id
    started = time.perf_counter()
    with structlog.contextvars.bound_contextvars(request_id=request_id):
        response = await handler(request)
    if not response.prepared:  # a streamed (proxied) response set its headers itself
        response.headers["X-Request-Id"] = request_id
    metrics = request.app[METRICS]
    route = route_label(request)
    metrics.http_requests.labels(request.method, route, str(response.status)).inc()
    metrics.http_latency.labels(request.method, route).observe(time.perf_counter() - started)
    return response


def from_http_exception(exc: web.HTTPException) -> ApiError:
    if isinstance(exc, web.HTTPNotFound):
        return NotFound("No such route. Check the method and path against the API reference.")
    if isinstance(exc, web.HTTPMethodNotAllowed):
        allowed = ", ".join(sorted(exc.allowed_methods))
        return MethodNotAllowed(
            f"{exc.method} is not allowed here; use one of: {allowed}.",
            headers={"Allow": allowed},
        )
    if isinstance(exc, web.HTTPRequestEntityTooLarge):
        return PayloadTooLarge("The request body is larger than 1 MiB.")
    return _plain(exc)


def _plain(exc: web.HTTPException) -> ApiError:
    # Any other status aiohttp raises itself (e.g. 400 for a malformed request line).
    error = ApiError(exc.reason)
    error.status = exc.status
    error.code = "VALIDATION_ERROR" if exc.status == 400 else exc.reason.upper().replace(" ", "_")
    return error


@web.middleware
async def errors(request: web.Request, handler: Any) -> web.StreamResponse:
    """The one place where anything raised becomes the error envelope."""
    try:
        return await handler(request)
    except ApiError as exc:
        return error_response(exc)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        return error_response(from_http_exception(exc))
    except ConcurrencyError as exc:
        return error_response(
            VersionConflict(
                f"The resource changed since version {exc.expected}; fetch it and retry.",
                details={"currentVersion": exc.actual},
            )
        )
    except TRANSIENT as exc:
        log.warning("request.dependency_unavailable", error=repr(exc))
        return error_response(
            ServiceUnavailable(
                "A dependency is briefly unavailable; retry shortly.",
                headers={"Retry-After": "5"},
            )
        )
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        mapper = request.app.get(DOMAIN_ERRORS)
        mapped = mapper(exc) if mapper is not None else None
        if mapped is not None:
            return error_response(mapped)
        log.exception("request.unhandled", path=request.path, method=request.method)
        return error_response(
            InternalError(
                "Something went wrong on our side; quote the X-Request-Id if it persists."
            )
        )


def identity_required(prefixes: tuple[str, ...]) -> Any:
    """A middleware: routes under `prefixes` answer only identities signed for this service
    by the callers the route names (the gateway for /api/ unless it says otherwise,
    `identity.callers`)."""

    @web.middleware
    async def require(request: web.Request, handler: Any) -> web.StreamResponse:
        if request.path.startswith(prefixes):
            request[identity.IDENTITY] = request.app[KEYRING].verify(
                request.headers.get(identity.HEADER, ""),
                accepted=identity.callers_of(request),
                request_id=request[REQUEST_ID],
            )
        return await handler(request)

    return require


# A domain service's: its API and its internal routes. The gateway authenticates /api/
# itself (API keys) and takes `identity_required(("/internal/",))`.
require_identity = identity_required(("/api/", "/internal/"))


async def healthz(request: web.Request) -> web.Response:
    return ok({"status": "alive"})


async def readyz(request: web.Request) -> web.Response:
    failures: dict[str, str] = {}
    for name, check in request.app[READINESS].items():
        try:
            # 2 s: well inside the kubelet's default 1 s period x 3 failures of a readiness probe.
            await asyncio.wait_for(check(), timeout=2.0)
        except Exception as exc:
            failures[name] = type(exc).__name__
    if failures:
        raise ServiceUnavailable(
            "Not ready: a dependency is unreachable.",
            details={"unavailable": failures},
            headers={"Retry-After": "5"},
        )
    checks: list[str] = sorted(request.app[READINESS].keys())
    return ok({"status": "ready", "checks": checks})


async def metrics_view(request: web.Request) -> web.Response:
    body, content_type = request.app[METRICS].render()
    return web.Response(body=body, headers={"Content-Type": content_type})


def base_app(
    settings: ServiceSettings, *, middlewares: tuple[Any, ...] = (require_identity,)
) -> web.Application:
    """The skeleton; a domain service keeps the default `require_identity`, the gateway
    passes its own chain instead."""
    app = web.Application(middlewares=[observe, errors, *middlewares], client_max_size=MAX_BODY)
    app[SETTINGS] = settings
    # Read at once: a service without its keys must not start (keys.KeyMaterialError).
    app[KEYRING] = load_keyring(
        service=settings.service_name,
        signing_key_file=settings.signing_key_path,
        public_keys_dir=settings.public_keys_path,
    )
    app[METRICS] = Metrics(settings.service_name)
    app[READINESS] = {}
    app.on_startup.append(_announce_start)
    app.on_shutdown.append(_announce_stop)
    return app


def ops_app(app: web.Application) -> web.Application:
    """`app`'s operational endpoints, for the ops listener (`ops_host`:`ops_port`). They are
    not on the public listener: readiness names the dependencies that are down and metrics
    describe traffic, neither of which an API client should see (CONVENTIONS: Operational
    endpoints). The readiness checks and the registry are `app`'s own objects, filled in
    as its resources open."""
    ops = web.Application(middlewares=[observe, errors])
    ops[SETTINGS] = app[SETTINGS]
    ops[METRICS] = app[METRICS]
    ops[READINESS] = app[READINESS]
    ops.router.add_get("/healthz", healthz)
    ops.router.add_get("/readyz", readyz)
    ops.router.add_get("/metrics", metrics_view)
    return ops


async def _announce_start(app: web.Application) -> None:
    log.info("service.started", port=app[SETTINGS].port, ops_port=app[SETTINGS].ops_port)


async def _announce_stop(app: web.Application) -> None:
    log.info("service.stopping", reason="shutdown requested; draining in-flight work")


async def postgres_ctx(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    dsn = str(settings.database_url)
    log.info("postgres.connecting", dsn=mask_url(dsn), schema=settings.db_schema)
    pool = await create_pool(
        dsn,
        schema=settings.db_schema,
        max_size=settings.database_pool_size,
        app_name=f"stacknex-{settings.service_name}",
    )
    await pool.fetchval("SELECT 1")
    app[POOL] = pool

    async def check() -> None:
        await pool.fetchval("SELECT 1")

    app[READINESS]["postgres"] = check
    yield
    await pool.close()


async def broker_ctx(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    broker = Broker(url=str(settings.amqp_url), exchange=settings.events_exchange)
    log.info("rabbitmq.connecting", url=mask_url(settings.amqp_url))
    await broker.connect()
    app[BROKER] = broker

    async def check() -> None:
        if not broker.is_connected:
            raise ConnectionError("broker connection is down")

    app[READINESS]["rabbitmq"] = check
    yield
    await broker.close()
