"""Failed authentications per client address, counted in Redis so that every gateway
replica throttles together: an address that keeps presenting unknown keys is answered 429
before PostgreSQL is asked (each unknown key would otherwise cost a query)."""

import math
from dataclasses import dataclass

import redis.asyncio as redis
from aiohttp import web

# A fixed window that starts at an address's first failure. KEYS[1]: the address's counter;
# ARGV[1]: the window (ms); ARGV[2]: the failures it allows (PEEK), or nothing (RECORD).
# Both clamp the counter's lifetime to one window: a counter left without an expiry, or
# with a longer one, would otherwise refuse its address for ever (the class of defect the
# GCRA clamp in ratelimit.py closes for the hourly limits).
_CLAMP = """
local ttl = redis.call('PTTL', KEYS[1])
local window = tonumber(ARGV[1])
if ttl < 0 or ttl > window then
  redis.call('PEXPIRE', KEYS[1], window)
  ttl = window
end
"""
_RECORD = (
    """
redis.call('INCR', KEYS[1])
"""
    + _CLAMP
    + """
return ttl
"""
)
_PEEK = (
    """
local failures = tonumber(redis.call('GET', KEYS[1]) or '0')
if failures < tonumber(ARGV[2]) then return 0 end
"""
    + _CLAMP
    + """
return ttl
"""
)


@dataclass(frozen=True)
class Throttled:
    retry_after: int  # whole seconds, at least 1

    def headers(self, *, now: float) -> dict[str, str]:
        return {
            "Retry-After": str(self.retry_after),
            "X-RateLimit-Reset": str(math.ceil(now + self.retry_after)),
        }


class AuthThrottle:
    def __init__(
        self, client: redis.Redis, *, limit: int, window: float, prefix: str = "authfail"
    ) -> None:
        self.limit = limit
        self.prefix = prefix
        self.window_ms = int(window * 1000)
        self._record = client.register_script(_RECORD)
        self._peek = client.register_script(_PEEK)

    def _key(self, address: str) -> str:
        return f"stacknex:{self.prefix}:{address}"

    async def check(self, *, address: str) -> Throttled | None:
        ttl_ms = int(await self._peek(keys=[self._key(address)], args=[self.window_ms, self.limit]))
        return Throttled(max(1, math.ceil(ttl_ms / 1000))) if ttl_ms > 0 else None

    async def record_failure(self, *, address: str) -> None:
        await self._record(keys=[self._key(address)], args=[self.window_ms])


AUTH_THROTTLE = web.AppKey("auth_throttle", AuthThrottle)
