"""The limiter's Lua script against the real Redis, with the clock driven through the
script's own argument: whatever a plan change does to the stored state, no refusal ever
lasts longer than one window (3,600 s)."""

import random
import secrets
from collections.abc import AsyncIterator

import pytest
from redis import asyncio as aioredis

from services.gateway.adapters.ratelimit import WINDOW_SECONDS, Decision, RateLimiter
from services.gateway.adapters.throttle import AuthThrottle
from tests.conftest import REDIS_URL

PROFESSIONAL, ENTERPRISE = 1_000, 10_000
SECOND = 1_000_000  # µs


@pytest.fixture
async def limiter() -> AsyncIterator[RateLimiter]:
    client = aioredis.Redis.from_url(REDIS_URL)
    yield RateLimiter(client)
    await client.aclose()


def _org() -> str:
    return f"org_limit{secrets.token_hex(6)}"


def _assert_within_one_window(decision: Decision) -> None:
    assert decision.retry_after <= WINDOW_SECONDS, decision
    assert decision.reset_after <= WINDOW_SECONDS, decision
    headers = decision.headers()
    assert int(headers["X-RateLimit-Reset"]) - decision.now <= WINDOW_SECONDS + 1, headers
    assert int(headers.get("Retry-After", "0")) <= WINDOW_SECONDS, headers


async def test_a_downgrade_after_a_used_enterprise_hour_refuses_for_at_most_one_window(
    limiter: RateLimiter,
) -> None:
    org, now = _org(), 1_900_000_000 * SECOND
    # The whole enterprise hour, used at one instant (the clock does not move).
    for _ in range(ENTERPRISE):
        assert (
            await limiter.check(organization_id=org, mode="live", limit=ENTERPRISE, now_us=now)
        ).allowed
    assert not (
        await limiter.check(organization_id=org, mode="live", limit=ENTERPRISE, now_us=now)
    ).allowed
    downgraded = await limiter.check(
        organization_id=org, mode="live", limit=PROFESSIONAL, now_us=now
    )
    assert not downgraded.allowed
    _assert_within_one_window(downgraded)
    assert downgraded.remaining == 0
    # What was used stays used: the professional window is full, so one request frees up
    # every 3.6 s from now on, not nine hours from now.
    later = now + int(downgraded.retry_after * SECOND)
    again = await limiter.check(organization_id=org, mode="live", limit=PROFESSIONAL, now_us=later)
    assert again.allowed, again
    assert again.limit == PROFESSIONAL and again.remaining == 0


@pytest.mark.parametrize("seed", range(5))
async def test_no_sequence_of_plan_changes_refuses_beyond_one_window(
    limiter: RateLimiter, seed: int
) -> None:
    """A random walk over both plans, bursts and clock steps (forwards, and backwards as
    after a Redis failover); every refusal is lifted by waiting its own Retry-After."""
    rng = random.Random(seed)
    org, now = _org(), 1_900_000_000 * SECOND
    for _ in range(60):
        limit = rng.choice((PROFESSIONAL, ENTERPRISE))
        for _ in range(rng.choice((1, 10, 300))):
            decision = await limiter.check(
                organization_id=org, mode="live", limit=limit, now_us=now
            )
            _assert_within_one_window(decision)
            if not decision.allowed:
                waited = now + int(decision.retry_after * SECOND) + 1
                after = await limiter.check(
                    organization_id=org, mode="live", limit=limit, now_us=waited
                )
                assert after.allowed, (decision, after)
                now = waited
                break
        now += rng.choice((0, 1, 360, 3600, 7200, -600)) * SECOND


async def test_a_failure_counter_without_an_expiry_refuses_for_at_most_its_window() -> None:
    """The failed-authentication counters are limit state too: one left without a TTL (or
    with a longer one) is clamped to the window by the script that reads it."""
    client = aioredis.Redis.from_url(REDIS_URL)
    throttle = AuthThrottle(client, limit=30, window=60)
    try:
        for address, ttl in ((f"198.19.{secrets.randbelow(256)}.1", None), ("198.19.0.2", 86_400)):
            key = f"stacknex:authfail:{address}"
            await client.set(key, 1_000, ex=ttl)
            throttled = await throttle.check(address=address)
            assert throttled is not None and 1 <= throttled.retry_after <= 60
            assert 0 < await client.pttl(key) <= 60_000
            await client.delete(key)
            await client.set(key, 1_000, ex=ttl)
            await throttle.record_failure(address=address)
            assert 0 < await client.pttl(key) <= 60_000
            await client.delete(key)
    finally:
        await client.aclose()
