"""A flood of random keys: unknown public ids are remembered briefly, and an address that
keeps failing is answered 429 before PostgreSQL is asked (counted by the gateway's own
`stacknex_gateway_key_lookups_total`, one per query)."""

import asyncio
import random
import re
import secrets

import aiohttp
import pytest
from redis import asyncio as aioredis

from libs.common.ids import ALPHABET
from services.gateway.service import Access
from tests.conftest import REDIS_URL
from tests.integration.gateway.conftest import Gateway, GatewayFactory

SEED_PATH = "/api/v1/products"
LIMIT = 30  # the default auth_failure_limit
BATCH = 10  # requests in flight at once


def _random_key() -> str:
    public = "".join(random.choices(ALPHABET, k=12))
    return f"nxp_live_{public}_{secrets.token_hex(16)}"


async def _fresh_address() -> str:
    """A client address of this run's own (benchmarking range, RFC 2544), its count cleared."""
    address = f"198.18.{random.randrange(256)}.{random.randrange(1, 255)}"
    client = aioredis.Redis.from_url(REDIS_URL)
    await client.delete(f"stacknex:authfail:{address}")
    await client.aclose()
    return address


async def _lookups(http: aiohttp.ClientSession, gateway: Gateway, result: str) -> float:
    async with http.get(gateway.ops_url + "/metrics") as response:
        text = await response.text()
    found = re.search(rf'stacknex_gateway_key_lookups_total{{result="{result}"}} (\S+)', text)
    return float(found.group(1)) if found else 0.0


async def _get(
    http: aiohttp.ClientSession, gateway: Gateway, token: str, address: str
) -> tuple[int, dict[str, str], dict]:  # type: ignore[type-arg]
    headers = {"Authorization": f"Bearer {token}", "X-Forwarded-For": f"{address}, 127.0.0.1"}
    async with http.get(gateway.tls_url + SEED_PATH, headers=headers) as response:
        return response.status, dict(response.headers), await response.json()


@pytest.fixture(scope="module")
async def behind_proxy(start_gateway: GatewayFactory) -> Gateway:
    # The test client stands in for the ingress: loopback is the trusted proxy, and the
    # client address comes from the header it sets.
    return await start_gateway(
        trusted_proxies=["127.0.0.0/8"], client_address_header="X-Forwarded-For"
    )


async def test_a_flood_of_random_keys_costs_a_bounded_number_of_queries_then_429(
    behind_proxy: Gateway, http: aiohttp.ClientSession, access: Access
) -> None:
    address = await _fresh_address()
    before = await _lookups(http, behind_proxy, "unknown")
    answers = []
    for _ in range(100 // BATCH):
        answers += await asyncio.gather(
            *(_get(http, behind_proxy, _random_key(), address) for _ in range(BATCH))
        )
    statuses = [status for status, _, _ in answers]
    assert set(statuses) == {401, 429}, statuses
    assert statuses.index(429) >= LIMIT  # not one throttled before the limit was reached
    assert statuses.count(429) >= 100 - LIMIT - BATCH
    queries = await _lookups(http, behind_proxy, "unknown") - before
    assert LIMIT <= queries <= LIMIT + BATCH, queries
    _, headers, body = answers[-1]
    assert body["success"] is False and body["error"]["code"] == "RATE_LIMITED"
    assert 1 <= int(headers["Retry-After"]) <= 60
    assert "X-RateLimit-Reset" in headers
    # Another address is not held up by this one.
    assert (await _get(http, behind_proxy, _random_key(), await _fresh_address()))[0] == 401
    # A key this replica has already verified costs no query, so it keeps working even from
    # the throttled address; a key that would need a lookup waits like any other.
    org = await access.create_organization(name="Flooded", plan="professional")
    _, cached = await access.create_key(org_id=org.id, mode="live")
    _, uncached = await access.create_key(org_id=org.id, mode="live")
    assert (await _get(http, behind_proxy, cached, await _fresh_address()))[0] == 200
    assert (await _get(http, behind_proxy, cached, address))[0] == 200
    assert (await _get(http, behind_proxy, uncached, address))[0] == 429


async def test_one_unknown_key_repeated_costs_one_query_while_remembered(
    behind_proxy: Gateway, http: aiohttp.ClientSession
) -> None:
    address, token = await _fresh_address(), _random_key()
    before = await _lookups(http, behind_proxy, "unknown")
    statuses = [(await _get(http, behind_proxy, token, address))[0] for _ in range(10)]
    assert statuses == [401] * 10
    # 10 sequential requests well inside the 2 s the negative cache remembers an id.
    assert await _lookups(http, behind_proxy, "unknown") - before == 1
