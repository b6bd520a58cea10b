"""The gateway's Redis client: the rate-limit and failed-authentication state every replica
shares."""

from collections.abc import AsyncIterator

from aiohttp import web
from redis import asyncio as aioredis
from redis.exceptions import RedisError

from libs.common.logging import get_logger, mask_url
from libs.common.web import READINESS
from services.gateway.adapters.ratelimit import RATE_LIMITER, RateLimiter
from services.gateway.adapters.throttle import (
    AUTH_THROTTLE,
    SIGNIN_THROTTLE,
    AuthThrottle,
    SignInThrottle,
)
from services.gateway.settings import GATEWAY_SETTINGS

log = get_logger(__name__)


async def redis_ctx(app: web.Application) -> AsyncIterator[None]:
    settings = app[GATEWAY_SETTINGS]
    url = str(settings.redis_url)
    fail_closed = settings.rate_limit_failure_mode == "closed"
    log.info("redis.connecting", url=mask_url(url))
    # 1 s socket timeouts: a rate-limit check must never hold a request for long.
    client = aioredis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)
    try:
        await client.ping()
    except (RedisError, OSError) as exc:
        if fail_closed:
            raise
        log.warning("redis.unavailable_at_start", error=repr(exc), failure_mode="open")
    app[RATE_LIMITER] = RateLimiter(client)
    app[AUTH_THROTTLE] = AuthThrottle(
        client,
        limit=settings.auth_failure_limit,
        window=settings.auth_failure_window,
    )
    app[SIGNIN_THROTTLE] = SignInThrottle(
        by_email=AuthThrottle(
            client,
            limit=settings.signin_email_limit,
            window=settings.signin_window,
            prefix="signinfail:email",
        ),
        by_address=AuthThrottle(
            client,
            limit=settings.signin_address_limit,
            window=settings.signin_window,
            prefix="signinfail:address",
        ),
    )

    async def check() -> None:
        await client.ping()

    # Failing open, the gateway serves without Redis, so Redis must not make it unready.
    if fail_closed:
        app[READINESS]["redis"] = check
    yield
    await client.aclose()
