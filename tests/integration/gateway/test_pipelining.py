"""The auto-pipelined limiter against the real Redis: calls gathered into one pipeline decide
exactly what the same calls made one at a time decide (the same admissions, the same
headers, the same 429 at the limit), and a failure reaches every caller of its batch."""

import asyncio
import secrets
from collections.abc import AsyncIterator

import pytest
from redis import asyncio as aioredis
from redis.exceptions import ConnectionError as RedisConnectionError

from services.gateway.adapters.pipelining import AutoPipeline, Script
from services.gateway.adapters.ratelimit import _GCRA, Decision, RateLimiter, _key
from tests.conftest import REDIS_URL, free_port

PROFESSIONAL = 1_000
SECOND = 1_000_000  # µs


@pytest.fixture
async def client() -> AsyncIterator[aioredis.Redis]:
    client = aioredis.Redis.from_url(REDIS_URL)
    yield client
    await client.aclose()


def _org() -> str:
    return f"org_pipe{secrets.token_hex(6)}"


async def _lone(
    client: aioredis.Redis, *, org: str, limit: int, now_us: int, script: object
) -> Decision:
    """What the limiter decided before auto-pipelining: one EVALSHA round trip per call."""
    interval = 3600 * SECOND // limit
    allowed, remaining, retry_us, reset_us, clock_us = await script(  # type: ignore[operator]
        keys=[_key(org, "live")], args=[interval, limit, now_us]
    )
    return Decision(
        allowed=bool(allowed),
        limit=limit,
        remaining=int(remaining),
        retry_after=int(retry_us) / 1e6,
        reset_after=int(reset_us) / 1e6,
        now=int(clock_us) / 1e6,
    )


async def test_a_thousand_and_one_concurrent_checks_admit_a_thousand_with_lone_call_headers(
    client: aioredis.Redis,
) -> None:
    limiter = RateLimiter(client)
    lone_script = client.register_script(_GCRA)
    batched, alone, now = _org(), _org(), 1_900_000_000 * SECOND
    # All at once: they gather into pipelines of many calls each.
    decisions = await asyncio.gather(
        *(
            limiter.check(organization_id=batched, mode="live", limit=PROFESSIONAL, now_us=now)
            for _ in range(PROFESSIONAL + 1)
        )
    )
    # The same sequence, one call and one round trip at a time.
    expected = [
        await _lone(client, org=alone, limit=PROFESSIONAL, now_us=now, script=lone_script)
        for _ in range(PROFESSIONAL + 1)
    ]

    # Each script runs atomically; batches on the wire together may interleave in Redis (as
    # lone calls in flight together do), so the answers are compared as a set: the same
    # admissions with the same headers, and the same one refusal.
    def by_remaining(decisions: list[Decision]) -> list[dict[str, str]]:
        ordered = sorted(decisions, key=lambda d: (not d.allowed, -d.remaining))
        return [d.headers() for d in ordered]

    assert by_remaining(decisions) == by_remaining(expected)
    assert sum(d.allowed for d in decisions) == PROFESSIONAL
    assert sorted(d.remaining for d in decisions if d.allowed) == list(range(PROFESSIONAL))
    (refused,) = [d for d in decisions if not d.allowed]
    headers = refused.headers()
    assert headers["Retry-After"] == "4"  # one request frees up every 3.6 s
    assert headers["X-RateLimit-Remaining"] == "0"
    assert headers["RateLimit"] == '"hourly";r=0;t=4'


async def test_a_script_redis_does_not_know_is_loaded_and_every_call_answered(
    client: aioredis.Redis,
) -> None:
    # A source no one has loaded (its own comment): the first batch meets NOSCRIPT.
    script = Script(f"-- {secrets.token_hex(8)}\nreturn tonumber(ARGV[1]) * 2")
    pipeline = AutoPipeline(client)
    answers = await asyncio.gather(*(pipeline.call(script, keys=[], args=[n]) for n in range(20)))
    assert answers == [n * 2 for n in range(20)]


async def test_a_script_error_fails_its_own_call_only(client: aioredis.Redis) -> None:
    script = Script("if ARGV[1] == 'bad' then return redis.error_reply('no') end return 1")
    pipeline = AutoPipeline(client)
    results = await asyncio.gather(
        *(pipeline.call(script, keys=[], args=[arg]) for arg in ("ok", "bad", "ok")),
        return_exceptions=True,
    )
    assert results[0] == 1 and results[2] == 1
    assert isinstance(results[1], Exception) and "no" in str(results[1])


async def test_redis_away_fails_every_call_of_the_batch() -> None:
    nowhere = aioredis.Redis(
        host="127.0.0.1", port=free_port(), socket_timeout=1.0, socket_connect_timeout=1.0
    )
    limiter = RateLimiter(nowhere)
    results = await asyncio.gather(
        *(limiter.check(organization_id=_org(), mode="live", limit=PROFESSIONAL) for _ in range(5)),
        return_exceptions=True,
    )
    # The gatekeeper catches exactly these to fail open or closed (http/gatekeeper.py).
    assert all(isinstance(r, RedisConnectionError | OSError) for r in results), results
    await nowhere.aclose()


async def test_a_caller_that_goes_away_leaves_the_others_answered(
    client: aioredis.Redis,
) -> None:
    pipeline, gcra, key = AutoPipeline(client), Script(_GCRA), _key(_org(), "live")
    interval = 3600 * SECOND // PROFESSIONAL
    # `call` joins the batch at once; the batch leaves in the loop's next turn.
    calls = [pipeline.call(gcra, keys=[key], args=[interval, PROFESSIONAL]) for _ in range(10)]
    calls[3].cancel()
    answered = await asyncio.gather(*(c for i, c in enumerate(calls) if i != 3))
    assert [int(a[0]) for a in answered] == [1] * 9
    # The cancelled call was sent with the others, and Redis counted it, as it counts a
    # lone call that was already on the wire when its request went away.
    assert [int(a[1]) for a in answered] == [999, 998, 997, 995, 994, 993, 992, 991, 990]
