"""The gateway's Redis client: the rate-limit state every replica shares."""

from collections.abc import AsyncIterator

import redis.asyncio as redis
from aiohttp import web

from libs.common.logging import get_logger, mask_url
from libs.common.web import READINESS, SETTINGS

log = get_logger(__name__)

REDIS = web.AppKey("redis", redis.Redis)


async def redis_ctx(app: web.Application) -> AsyncIterator[None]:
    url = str(app[SETTINGS].redis_url)  # type: ignore[attr-defined]
    log.info("redis.connecting", url=mask_url(url))
    # 1 s socket timeouts: a rate-limit check must never hold a request for long.
    client = redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)
    await client.ping()
    app[REDIS] = client

    async def check() -> None:
        await client.ping()

    app[READINESS]["redis"] = check
    yield
    await client.aclose()
