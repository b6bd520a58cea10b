"""Failed authentications per client address, counted in Redis so that every gateway
replica throttles together: an address that keeps presenting unknown keys is answered 429
before PostgreSQL is asked (each unknown key would otherwise cost a query)."""

import hashlib
import math
from dataclasses import dataclass

import redis.asyncio as redis
from aiohttp import web
from redis.exceptions import RedisError

from libs.common.logging import get_logger
from services.gateway.domain.members import SignInThrottled

log = get_logger(__name__)

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


class SignInThrottle:
    """Failed sign-ins counted per email and per client address, in Redis so that every
    replica counts together. Redis down: sign-in stays open (logged), as the API's throttle
    does; argon2's cost still bounds the guessing rate."""

    def __init__(self, *, by_email: AuthThrottle, by_address: AuthThrottle) -> None:
        self.by_email = by_email
        self.by_address = by_address

    @staticmethod
    def _email_key(email: str) -> str:
        # The email hashed: Redis holds counters, not who tried to sign in.
        return hashlib.sha256(email.encode()).hexdigest()

    async def check(self, *, email: str, address: str) -> None:
        try:
            for throttle, key in (
                (self.by_email, self._email_key(email)),
                (self.by_address, address),
            ):
                refused = await throttle.check(address=key)
                if refused is not None:
                    raise SignInThrottled(refused.retry_after)
        except (RedisError, OSError) as exc:
            log.warning("signin.throttle_unavailable", error=type(exc).__name__)

    async def record_failure(self, *, email: str, address: str) -> None:
        try:
            await self.by_email.record_failure(address=self._email_key(email))
            await self.by_address.record_failure(address=address)
        except (RedisError, OSError) as exc:
            log.warning("signin.throttle_unavailable", error=type(exc).__name__)


AUTH_THROTTLE = web.AppKey("auth_throttle", AuthThrottle)
SIGNIN_THROTTLE = web.AppKey("signin_throttle", SignInThrottle)
