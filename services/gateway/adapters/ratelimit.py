"""Hourly limits per organization and mode, shared by every gateway replica through Redis.

GCRA (the generic cell rate algorithm, as in redis-cell and go-redis/redis_rate): one
timestamp per organization and mode, updated atomically by a Lua script that also reads
Redis's own clock, so replicas with skewed clocks still agree. It admits `limit` requests
at once and then one every `3600 / limit` seconds: a sliding window with no double burst at
an hour's edge. Written here rather than taken from `limits` because one round trip must
return the decision and every header value, and a moving-window log would hold up to
10,000 entries per organization-hour.
"""

import math
from dataclasses import dataclass

import redis.asyncio as redis
from aiohttp import web

from services.gateway.adapters.pipelining import AutoPipeline, Script

# KEYS[1]: the limit's key; ARGV[1]: emission interval (µs); ARGV[2]: limit;
# ARGV[3] (optional): the time in µs, for tests that drive the clock; otherwise Redis's own.
# Returns {allowed, remaining, retry_after_us, reset_after_us, now_us}.
# The stored interval lets a plan change apply at once: the time already "owed" is rescaled
# to the new interval, so what was used stays used and the rest of the new quota is free.
# Whatever the stored state says (a downgrade rescales an enterprise hour of 10,000 requests
# into 36,000 s of professional debt; a clock that stepped back leaves a TAT far ahead), the
# debt is clamped to one window (interval x limit), so no state ever refuses for longer than
# that, and the clamped state is written even on a refusal, so the refusal then runs down
# with the clock instead of being recomputed from the stale value.
_GCRA = """
local interval = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local now
if ARGV[3] then
  now = tonumber(ARGV[3])
else
  local clock = redis.call('TIME')
  now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
end
local window = interval * limit
local state = redis.call('HMGET', KEYS[1], 'tat', 'interval')
local tat = tonumber(state[1]) or now
local stored_interval = tonumber(state[2]) or interval
if tat < now then tat = now end
local changed = false
if stored_interval ~= interval then
  tat = now + (tat - now) * interval / stored_interval
  changed = true
end
if tat > now + window then
  tat = now + window
  changed = true
end
local new_tat = tat + interval
local allow_at = new_tat - window
if allow_at > now then
  if changed then
    redis.call('HSET', KEYS[1], 'tat', string.format('%.0f', tat), 'interval', interval)
    redis.call('PEXPIRE', KEYS[1], math.ceil((tat - now) / 1000) + 1)
  end
  return {0, 0, allow_at - now, tat - now, now}
end
redis.call('HSET', KEYS[1], 'tat', string.format('%.0f', new_tat), 'interval', interval)
redis.call('PEXPIRE', KEYS[1], math.ceil((new_tat - now) / 1000) + 1)
return {1, math.floor((now - allow_at) / interval), 0, new_tat - now, now}
"""

# The state `_GCRA` keeps, and Redis's clock, read together without writing anything:
# looking at the usage page must not spend one of the requests it counts.
_PEEK = """
local state = redis.call('HMGET', KEYS[1], 'tat', 'interval')
local clock = redis.call('TIME')
return {state[1] or '', state[2] or '', tonumber(clock[1]) * 1000000 + tonumber(clock[2])}
"""

WINDOW_SECONDS = 3600


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    retry_after: float  # seconds until the next request is admitted (0 when allowed)
    reset_after: float  # seconds until the whole quota is free again
    now: float  # Redis's clock, Unix seconds

    def headers(self) -> dict[str, str]:
        # Reset: when a request will next be admitted, or, while admitting, when the window
        # is entirely free again (CONVENTIONS: Authentication, modes, scopes, plans).
        wait = self.retry_after if not self.allowed else self.reset_after
        seconds = max(0, math.ceil(wait))
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(math.ceil(self.now + wait)),
            "RateLimit-Policy": f'"hourly";q={self.limit};w={WINDOW_SECONDS}',
            "RateLimit": f'"hourly";r={self.remaining};t={seconds}',
        }
        if not self.allowed:
            headers["Retry-After"] = str(max(1, math.ceil(self.retry_after)))
        return headers


def uncounted_headers(*, limit: int, now: float) -> dict[str, str]:
    """While Redis is away and limits fail open, nothing is counted. The headers keep their
    shape and say the most a client may plan on: the plan's limit, all of it remaining, a
    reset one window ahead; `X-RateLimit-Status: unknown` marks the count as not known (it
    is absent whenever the request was counted)."""
    return {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(limit),
        "X-RateLimit-Reset": str(math.ceil(now + WINDOW_SECONDS)),
        "X-RateLimit-Status": "unknown",
        "RateLimit-Policy": f'"hourly";q={limit};w={WINDOW_SECONDS}',
        "RateLimit": f'"hourly";r={limit};t={WINDOW_SECONDS}',
    }


@dataclass(frozen=True)
class Usage:
    """The window as the next `check` would find it, without spending a request."""

    limit: int
    used: int
    remaining: int
    resets_at: float  # Unix seconds at which the whole quota is free again
    now: float


def usage_from_state(
    *, tat_us: int | None, stored_interval_us: int | None, now_us: int, limit: int
) -> Usage:
    """The arithmetic of `_GCRA` without its write. Each admitted request moves the TAT
    (theoretical arrival time) one interval (3,600 s / limit) ahead and the clock runs it
    down, so the debt `tat - now` is the requests still counted in the window, each worth
    one interval: used = ceil(debt / interval). The script admits while debt + interval
    <= window, which leaves exactly `limit - used` requests admissible now. A plan change
    and a runaway TAT are rescaled and clamped as the script does, so the figures agree
    with what the next request would be told."""
    interval = WINDOW_SECONDS * 1_000_000 // limit
    debt = 0.0
    if tat_us is not None and tat_us > now_us:
        debt = float(tat_us - now_us)
        if stored_interval_us and stored_interval_us != interval:
            debt = debt * interval / stored_interval_us
        debt = min(debt, float(interval * limit))
    used = min(limit, math.ceil(debt / interval))
    return Usage(
        limit=limit,
        used=used,
        remaining=limit - used,
        resets_at=(now_us + debt) / 1e6,
        now=now_us / 1e6,
    )


class RateLimiter:
    def __init__(self, client: redis.Redis) -> None:
        self.client = client
        # Requests that reach the limiter together share one round trip (auto-pipelining,
        # adapters/pipelining.py); each still runs the script on its own, atomically.
        self._pipeline = AutoPipeline(client)
        self._script = Script(_GCRA)
        self._peek = client.register_script(_PEEK)

    async def check(
        self, *, organization_id: str, mode: str, limit: int, now_us: int | None = None
    ) -> Decision:
        """`now_us` drives the clock in tests; in service it is always Redis's own."""
        interval_us = WINDOW_SECONDS * 1_000_000 // limit
        args = [interval_us, limit] if now_us is None else [interval_us, limit, now_us]
        allowed, remaining, retry_us, reset_us, clock_us = await self._pipeline.call(
            self._script, keys=[_key(organization_id, mode)], args=args
        )
        return Decision(
            allowed=bool(allowed),
            limit=limit,
            remaining=int(remaining),
            retry_after=int(retry_us) / 1e6,
            reset_after=int(reset_us) / 1e6,
            now=int(clock_us) / 1e6,
        )

    async def usage(self, *, organization_id: str, mode: str, limit: int) -> Usage:
        """What `check` would see now, read-only (`_PEEK`): the usage page's figures."""
        tat, stored, now_us = await self._peek(keys=[_key(organization_id, mode)])
        return usage_from_state(
            tat_us=int(tat) if tat else None,
            stored_interval_us=int(stored) if stored else None,
            now_us=int(now_us),
            limit=limit,
        )


def _key(organization_id: str, mode: str) -> str:
    return f"stacknex:ratelimit:{organization_id}:{mode}"


RATE_LIMITER = web.AppKey("rate_limiter", RateLimiter)
