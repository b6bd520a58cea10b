"""What every request passes before it may reach a service: HTTPS, a valid key, a plan
with API access, and the organization's rate limit."""

import asyncio
import functools
import hmac
import time
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address
from typing import Any

from aiohttp import web
from redis.exceptions import RedisError

from libs.common.clock import utcnow
from libs.common.errors import (
    ApiError,
    AuthenticationRequired,
    HttpsRequired,
    InvalidApiKey,
    PlanRequired,
    RateLimited,
    ServiceUnavailable,
)
from libs.common.logging import get_logger
from libs.common.web import POOL, REQUEST_ID, route_label
from services.gateway.adapters.key_usage import KEY_USAGE
from services.gateway.adapters.keys import KEY_CACHE, Principal, load_principal
from services.gateway.adapters.metrics import GATEWAY_METRICS
from services.gateway.adapters.ratelimit import RATE_LIMITER, uncounted_headers
from services.gateway.adapters.request_log import REQUEST_LOG
from services.gateway.adapters.throttle import AUTH_THROTTLE
from services.gateway.domain.access import HOURLY_LIMITS, hash_secret, parse_key
from services.gateway.settings import GATEWAY_SETTINGS

log = get_logger(__name__)

OPENAPI_PATH = "/api/v1/openapi.json"
PRINCIPAL = web.RequestKey("principal", Principal)
RATE_HEADERS = web.RequestKey("rate_headers", dict[str, str])

_INVALID = (
    "The API key is invalid, revoked or expired. Create a new one under Settings → Developers."
)


@web.middleware
async def require_https(request: web.Request, handler: Any) -> web.StreamResponse:
    if request.secure or _from_trusted_proxy(request) or request.path.startswith("/internal/"):
        # `/internal/` answers only an identity a sibling service signed (like any service's
        # port inside the cluster); the ingress never routes it.
        return await handler(request)
    if not request.path.startswith("/api/") and request.match_info.http_exception is not None:
        # Outside the API a path with no route is a 404 on either listener: nothing there
        # to protect, and `/metrics` or `/readyz` (on the ops listener) look like any other.
        return await handler(request)
    raise HttpsRequired("StackNex accepts requests only over HTTPS; retry with https://.")


def _from_trusted_proxy(request: web.Request) -> bool:
    if request.headers.get("X-Forwarded-Proto", "").lower() != "https" or not request.remote:
        return False
    networks = request.app[GATEWAY_SETTINGS].trusted_proxies
    return _trusted(request.remote, tuple(networks))


@functools.lru_cache(maxsize=4096)
def _trusted(remote: str, networks: tuple[IPv4Network | IPv6Network, ...]) -> bool:
    # Cached: the same few proxy addresses ask on every request.
    try:
        address = ip_address(remote)
    except ValueError:
        return False
    return any(address in network for network in networks)


@web.middleware
async def authenticate(request: web.Request, handler: Any) -> web.StreamResponse:
    if not request.path.startswith("/api/") or request.path == OPENAPI_PATH:
        return await handler(request)  # the API's description is public, like its docs
    started = time.perf_counter()
    metrics = request.app[GATEWAY_METRICS]
    plan, status = "none", 500
    principal: Principal | None = None
    try:
        principal = await _principal(request)
        plan = principal.plan.value
        limit = HOURLY_LIMITS.get(principal.plan)
        if limit is None:
            raise PlanRequired(
                "API access needs the Professional or Enterprise plan.",
                details={"plan": plan},
            )
        await _admit(request, principal, limit)
        request[PRINCIPAL] = principal
        response = await handler(request)
        status = response.status
        return response
    except (ApiError, web.HTTPException) as exc:  # HTTPException: no route, wrong method
        status = exc.status
        raise
    except asyncio.CancelledError:
        status = 499  # the client went away first (nginx's figure for it)
        raise
    finally:
        metrics.count_request(route_label(request), str(status), plan)
        if principal is not None:
            _record(request, principal, status, started)


def _record(request: web.Request, principal: Principal, status: int, started: float) -> None:
    """Into the request log's buffer: an append, nothing more (adapters/request_log.py).
    Only once the principal is known: an unauthenticated request belongs to no
    organization; everything after (403 PLAN_REQUIRED, 429, an upstream's 404) is logged."""
    buffer = request.app.get(REQUEST_LOG)
    if buffer is None:
        return
    key = principal.key
    buffer.record(
        (
            time.time(),
            time.perf_counter() - started,
            key.organization_id,
            key.mode,
            key.id,
            request.method,
            request.raw_path,
            status,
            request[REQUEST_ID],
        )
    )


async def add_rate_headers(request: web.Request, response: web.StreamResponse) -> None:
    """`on_response_prepare`: rate-limit headers go on every authenticated response, errors
    included, whatever made it (a handler, the error middleware, a 500, a streamed proxy
    response), and the gateway's values win over anything an upstream sent."""
    headers = request.get(RATE_HEADERS)
    if headers:
        response.headers.update(headers)


async def _principal(request: web.Request) -> Principal:
    metrics = request.app[GATEWAY_METRICS]
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        metrics.auth_failures.labels("missing").inc()
        raise AuthenticationRequired(
            "Authenticate with an API key: Authorization: Bearer nxp_live_…"
        )
    parts = parse_key(token.strip())
    if parts is None:
        metrics.auth_failures.labels("malformed").inc()  # costs no query, so not throttled
        raise InvalidApiKey(_INVALID)
    cache = request.app[KEY_CACHE]
    principal = cache.get(parts.public_id)
    if principal is None and not cache.is_unknown(parts.public_id):
        address = client_address(request)
        await _refuse_if_throttled(request, address)  # before the database is asked
        principal = await load_principal(
            pool=request.app[POOL],
            cache=cache,
            lookups=metrics.key_lookups,
            public_id=parts.public_id,
        )
    presented = hash_secret(parts.secret)
    # Compared in constant time, and even for an unknown key, so timing tells nothing.
    stored = principal.key.secret_hash if principal else "0" * len(presented)
    matches = hmac.compare_digest(stored, presented)
    reason = None
    if principal is None or not matches or principal.key.mode != parts.mode:
        reason = "unknown"
    elif principal.key.revoked_at is not None:
        reason = "revoked"
    elif principal.key.expires_at is not None and principal.key.expires_at <= utcnow():
        reason = "expired"
    if reason is not None or principal is None:
        metrics.auth_failures.labels(reason or "unknown").inc()
        await _record_failure(request, client_address(request))
        raise InvalidApiKey(_INVALID)
    request.app[KEY_USAGE].note(principal.key.id)  # memory only: flushed every 30 s
    return principal


def client_address(request: web.Request) -> str:
    """Whom a failed authentication is counted against: the peer, or, when the peer is a
    trusted proxy and `client_address_header` is set, the nearest address in that header
    that is not itself a trusted proxy (walked right to left: anything left of it
    was written by the client and proves nothing). IPv6 counts per /64, the block one
    subscriber gets, or a single host could rotate through 2^64 addresses."""
    settings = request.app[GATEWAY_SETTINGS]
    networks = tuple(settings.trusted_proxies)
    address = request.remote or ""
    header = settings.client_address_header
    if header and _trusted(address, networks):
        for hop in reversed(request.headers.get(header, "").split(",")):
            hop = hop.strip()
            if _parsed(hop) is None:
                break  # garbage from (or through) the proxy: keep the last sound address
            address = hop
            if not _trusted(hop, networks):
                break
    return _bucket(address)


def _parsed(value: str) -> IPv4Address | IPv6Address | None:
    try:
        return ip_address(value)
    except ValueError:
        return None


@functools.lru_cache(maxsize=4096)
def _bucket(address: str) -> str:
    parsed = _parsed(address)
    if isinstance(parsed, IPv6Address) and parsed.ipv4_mapped is None:
        return str(IPv6Network(f"{parsed}/64", strict=False))
    return str(parsed.ipv4_mapped if isinstance(parsed, IPv6Address) else parsed or address)


async def _refuse_if_throttled(request: web.Request, address: str) -> None:
    try:
        throttled = await request.app[AUTH_THROTTLE].check(address=address)
    except (RedisError, OSError) as exc:
        _throttle_unavailable(request, exc)  # fail-open: the lookup goes ahead
        return
    if throttled is not None:
        request.app[GATEWAY_METRICS].auth_throttled.inc()
        raise RateLimited(
            "Too many failed authentications from this address; retry after "
            f"{throttled.retry_after} s with a valid API key.",
            details={"reason": "failed_authentications"},
            headers=throttled.headers(now=utcnow().timestamp()),
        )


async def _record_failure(request: web.Request, address: str) -> None:
    try:
        await request.app[AUTH_THROTTLE].record_failure(address=address)
    except (RedisError, OSError) as exc:
        _throttle_unavailable(request, exc)


def _throttle_unavailable(request: web.Request, exc: Exception) -> None:
    request.app[GATEWAY_METRICS].auth_throttle_unavailable.inc()
    log.warning("auth_throttle.backend_unavailable", failure_mode="open", error=repr(exc))


async def _admit(request: web.Request, principal: Principal, limit: int) -> None:
    """Decides, and leaves the headers on the request for `add_rate_headers`."""
    metrics = request.app[GATEWAY_METRICS]
    settings = request.app[GATEWAY_SETTINGS]
    key = principal.key
    try:
        decision = await request.app[RATE_LIMITER].check(
            organization_id=key.organization_id, mode=key.mode, limit=limit
        )
    except (RedisError, OSError) as exc:
        mode = settings.rate_limit_failure_mode
        metrics.limiter_unavailable.labels(mode).inc()
        log.warning("ratelimit.backend_unavailable", failure_mode=mode, error=repr(exc))
        request[RATE_HEADERS] = uncounted_headers(limit=limit, now=utcnow().timestamp())
        if mode == "closed":
            raise ServiceUnavailable(
                "Rate limiting is briefly unavailable; retry shortly.",
                headers={"Retry-After": "5"},
            ) from exc
        return
    headers = decision.headers()
    request[RATE_HEADERS] = headers
    if not decision.allowed:
        metrics.rate_limited.labels(principal.plan.value).inc()
        raise RateLimited(
            f"Rate limit of {limit} requests per hour reached; retry after "
            f"{headers['Retry-After']} s.",
            headers=headers,
        )
