"""The gateway as a client meets it: TLS, keys, plans, scopes, limits, routing."""

import asyncio
import json
import subprocess
import time
from collections.abc import AsyncIterator, Mapping

import aiohttp
import pytest
from redis import asyncio as aioredis
from redis.exceptions import RedisError

from services.gateway.domain.access import SCOPES
from services.gateway.domain.routing import ROUTES
from services.gateway.http.proxy import BUFFER_LIMIT
from services.gateway.service import Access
from tests.conftest import free_port, until
from tests.integration.gateway.conftest import Gateway, GatewayFactory, Upstream, cli

SEED_PATH = "/api/v1/products"


async def _key(
    access: Access,
    *,
    plan: str = "professional",
    mode: str = "live",
    scopes: list[str] | None = None,
    expires_in: int | None = None,
) -> tuple[str, str, str]:
    org = await access.create_organization(name="Till Co", plan=plan)
    key, token = await access.create_key(
        org_id=org.id,
        mode=mode,
        scopes=scopes,  # type: ignore[arg-type]
        expires_in=expires_in,
    )
    return org.id, key.id, token


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


async def _error(response: aiohttp.ClientResponse) -> dict:  # type: ignore[type-arg]
    body = await response.json()
    assert body["success"] is False
    return body["error"]  # type: ignore[no-any-return]


async def test_the_seed_request_reaches_the_catalog_with_a_signed_identity(
    gateway: Gateway,
    http: aiohttp.ClientSession,
    access: Access,
    upstreams: dict[str, tuple[Upstream, str]],
) -> None:
    org_id, key_id, token = await _key(access)
    async with http.get(
        gateway.tls_url + SEED_PATH + "?limit=5",
        headers={**_auth(token), "X-Request-Id": "till-42"},
    ) as response:
        assert response.status == 200
        seen = (await response.json())["data"]
        assert response.headers["X-Request-Id"] == "till-42"
        assert response.headers["X-Upstream"] == "yes"
        assert response.headers["X-RateLimit-Limit"] == "1000"
        assert response.headers["X-RateLimit-Remaining"] == "999"
        assert "X-RateLimit-Status" not in response.headers  # counted
        assert response.headers["RateLimit-Policy"] == '"hourly";q=1000;w=3600'
        assert response.headers["RateLimit"].startswith('"hourly";r=999;t=')
        assert int(response.headers["X-RateLimit-Reset"]) >= int(time.time())
    assert seen["service"] == "catalog" and seen["path"] == SEED_PATH + "?limit=5"
    assert (seen["organizationId"], seen["mode"], seen["keyId"]) == (org_id, "live", key_id)
    assert "authorization" not in seen["headers"]  # the API key never travels inward
    assert seen["headers"]["x-request-id"] == "till-42"


async def test_bodies_pass_through_byte_for_byte_and_hop_by_hop_headers_do_not(
    gateway: Gateway,
    http: aiohttp.ClientSession,
    access: Access,
) -> None:
    _, _, token = await _key(access)
    raw = b'{ "locationId":"loc_1",\n  "items": [ {"quantity": 2, "unitPrice": 4.990} ] }'
    async with http.post(
        gateway.tls_url + "/api/v1/orders",
        data=raw,
        headers={
            **_auth(token),
            "Proxy-Authorization": "Basic x",
            "X-Till": "7",
            "TE": "trailers",
        },
    ) as response:
        seen = (await response.json())["data"]
    assert seen["service"] == "orders" and seen["body"] == raw.decode()
    assert seen["headers"]["x-till"] == "7"
    assert "proxy-authorization" not in seen["headers"] and "te" not in seen["headers"]


async def test_an_answer_too_large_to_send_whole_is_streamed_byte_for_byte(
    gateway: Gateway,
    http: aiohttp.ClientSession,
    access: Access,
) -> None:
    """Answers up to `BUFFER_LIMIT` go out in one write; a larger one (the upstream echoes
    this 300 KiB body) takes the streamed path, with the same headers and every byte."""
    _, _, token = await _key(access)
    raw = b'{"name": "' + b"x" * 300 * 1024 + b'"}'
    async with http.post(
        gateway.tls_url + "/api/v1/products", data=raw, headers=_auth(token)
    ) as response:
        body = await response.read()
        assert response.status == 200
        assert int(response.headers["Content-Length"]) == len(body) > BUFFER_LIMIT
        assert response.headers["X-Upstream"] == "yes"
        assert response.headers["X-RateLimit-Limit"] == "1000"
    assert json.loads(body)["data"]["body"] == raw.decode()


async def test_authentication_errors(
    gateway: Gateway, http: aiohttp.ClientSession, access: Access
) -> None:
    async with http.get(gateway.tls_url + SEED_PATH) as response:
        assert response.status == 401
        assert (await _error(response))["code"] == "AUTHENTICATION_REQUIRED"
    async with http.get(
        gateway.tls_url + SEED_PATH, headers={"Authorization": "Basic dXNlcjpwYXNz"}
    ) as response:
        assert (await _error(response))["code"] == "AUTHENTICATION_REQUIRED"
    _, _, token = await _key(access)
    wrong_secret = token[:-4] + ("0000" if not token.endswith("0000") else "1111")
    wrong_mode = token.replace("nxp_live_", "nxp_test_")
    seed_example = "nxp_live_aBcDeFgHiJkL_1234567890abcdef1234567890abcdef"
    for bad in ("nxp_live_short", wrong_secret, wrong_mode, seed_example):
        async with http.get(gateway.tls_url + SEED_PATH, headers=_auth(bad)) as response:
            assert response.status == 401, bad
            error = await _error(response)
            assert error["code"] == "INVALID_API_KEY"
            assert "X-RateLimit-Limit" not in response.headers


async def test_an_expired_key_is_refused(
    gateway: Gateway, http: aiohttp.ClientSession, access: Access
) -> None:
    _, _, token = await _key(access, expires_in=1)

    async def refused() -> bool:
        async with http.get(gateway.tls_url + SEED_PATH, headers=_auth(token)) as response:
            return response.status == 401

    await until(refused, timeout=5, what="the key to expire")


async def test_starter_plan_has_no_api_access(
    gateway: Gateway, http: aiohttp.ClientSession, access: Access
) -> None:
    _, _, token = await _key(access, plan="starter")
    async with http.get(gateway.tls_url + SEED_PATH, headers=_auth(token)) as response:
        assert response.status == 403
        assert (await _error(response))["code"] == "PLAN_REQUIRED"


async def test_a_key_without_the_scope_is_refused_naming_it(
    gateway: Gateway,
    http: aiohttp.ClientSession,
    access: Access,
    upstreams: dict[str, tuple[Upstream, str]],
) -> None:
    _, _, token = await _key(access, scopes=["products:read"])
    before = len(upstreams["catalog"][0].calls)
    async with http.post(gateway.tls_url + SEED_PATH, json={}, headers=_auth(token)) as response:
        assert response.status == 403
        error = await _error(response)
        assert error["code"] == "INSUFFICIENT_SCOPE"
        assert error["details"] == {"requiredScope": "products:write"}
        assert response.headers["X-RateLimit-Limit"] == "1000"
    async with http.get(gateway.tls_url + "/api/v1/orders", headers=_auth(token)) as response:
        assert (await _error(response))["details"] == {"requiredScope": "orders:read"}
    assert len(upstreams["catalog"][0].calls) == before


async def test_unknown_routes_wrong_methods_and_oversized_bodies(
    gateway: Gateway,
    http: aiohttp.ClientSession,
    access: Access,
    upstreams: dict[str, tuple[Upstream, str]],
) -> None:
    _, _, token = await _key(access)
    async with http.get(gateway.tls_url + "/api/v1/teleporters", headers=_auth(token)) as r:
        assert r.status == 404 and (await _error(r))["code"] == "NOT_FOUND"
        assert "X-RateLimit-Remaining" in r.headers
    async with http.delete(gateway.tls_url + "/api/v1/orders", headers=_auth(token)) as r:
        assert r.status == 405 and (await _error(r))["code"] == "METHOD_NOT_ALLOWED"
    before = len(upstreams["catalog"][0].calls)
    huge = b'{"name":"' + b"x" * (1024 * 1024) + b'"}'
    async with http.post(gateway.tls_url + SEED_PATH, data=huge, headers=_auth(token)) as r:
        assert r.status == 413 and (await _error(r))["code"] == "PAYLOAD_TOO_LARGE"
    assert len(upstreams["catalog"][0].calls) == before


async def test_plain_http_is_refused_unless_from_a_trusted_proxy(
    gateway: Gateway,
    start_gateway: GatewayFactory,
    http: aiohttp.ClientSession,
    access: Access,
    upstreams: dict[str, tuple[Upstream, str]],
) -> None:
    _, _, token = await _key(access)
    before = len(upstreams["catalog"][0].calls)
    async with http.get(gateway.plain_url + SEED_PATH, headers=_auth(token)) as response:
        assert response.status == 403
        assert (await _error(response))["code"] == "HTTPS_REQUIRED"
    spoofed = {**_auth(token), "X-Forwarded-Proto": "https"}
    async with http.get(gateway.plain_url + SEED_PATH, headers=spoofed) as response:
        assert response.status == 403  # 127.0.0.1 is not a trusted proxy of this gateway
    assert len(upstreams["catalog"][0].calls) == before
    behind_ingress = await start_gateway(trusted_proxies=["127.0.0.0/8"])
    async with http.get(behind_ingress.plain_url + SEED_PATH, headers=spoofed) as response:
        assert response.status == 200
    async with http.get(behind_ingress.plain_url + SEED_PATH, headers=_auth(token)) as response:
        assert response.status == 403  # trusted, but the ingress did not say it was HTTPS


async def test_an_upstream_that_is_down_is_a_prompt_503(
    start_gateway: GatewayFactory,
    http: aiohttp.ClientSession,
    access: Access,
) -> None:
    broken = await start_gateway(orders_url=f"http://127.0.0.1:{free_port()}")
    _, _, token = await _key(access)
    started = time.monotonic()
    async with http.get(broken.tls_url + "/api/v1/orders", headers=_auth(token)) as response:
        assert response.status == 503
        assert (await _error(response))["code"] == "SERVICE_UNAVAILABLE"
        assert response.headers["Retry-After"] == "5"
    assert time.monotonic() - started < broken.settings.upstream_timeout


async def test_two_gateways_share_one_limit_and_the_1001st_request_is_429(
    gateway: Gateway,
    start_gateway: GatewayFactory,
    http: aiohttp.ClientSession,
    access: Access,
) -> None:
    other = await start_gateway()
    org_id, _, token = await _key(access)
    started = time.monotonic()
    for batch in range(20):  # 1,000 requests, alternating replicas, 50 at a time
        target = (gateway, other)[batch % 2]
        statuses = await asyncio.gather(
            *(_status(http, target.tls_url + SEED_PATH, token) for _ in range(50))
        )
        assert set(statuses) == {200}, statuses
    # One request frees up every 3.6 s: on a loaded machine the thousand may take longer
    # than that, and then exactly that many more are admitted before the 429.
    extra = 0
    while (status := await _status(http, other.tls_url + SEED_PATH, token)) == 200:
        extra += 1
        assert extra <= (time.monotonic() - started) / 3.6 + 1, extra
    async with http.get(other.tls_url + SEED_PATH, headers=_auth(token)) as response:
        assert status == 429 and response.status == 429
        error = await _error(response)
        assert error["code"] == "RATE_LIMITED"
        headers = response.headers
        assert headers["X-RateLimit-Limit"] == "1000"
        assert headers["X-RateLimit-Remaining"] == "0"
        retry_after = int(headers["Retry-After"])
        assert 1 <= retry_after <= 4  # one request frees up every 3.6 s
        assert abs(int(headers["X-RateLimit-Reset"]) - (time.time() + retry_after)) <= 2
        assert headers["RateLimit"] == f'"hourly";r=0;t={retry_after}'
    # The same organization's test mode has a limit of its own.
    _, test_token = await access.create_key(org_id=org_id, mode="test")
    assert await _status(http, gateway.tls_url + SEED_PATH, test_token) == 200
    # A plan change applies at once, keeping what was used.
    await access.set_plan(org_id=org_id, plan="enterprise")

    async def upgraded() -> bool:
        async with http.get(gateway.tls_url + SEED_PATH, headers=_auth(token)) as response:
            return response.status == 200 and response.headers["X-RateLimit-Limit"] == "10000"

    await until(upgraded, timeout=5, what="the enterprise limit")
    async with http.get(other.tls_url + SEED_PATH, headers=_auth(token)) as response:
        remaining = int(response.headers["X-RateLimit-Remaining"])
        assert 8_990 <= remaining <= 9_000


async def _status(http: aiohttp.ClientSession, url: str, token: str) -> int:
    async with http.get(url, headers=_auth(token)) as response:
        await response.read()
        return response.status


async def test_a_key_revoked_through_the_cli_is_refused_by_every_gateway_within_a_second(
    gateway: Gateway,
    start_gateway: GatewayFactory,
    http: aiohttp.ClientSession,
    access: Access,
    database_url: str,
    exchange: str,
) -> None:
    other = await start_gateway()
    _, key_id, token = await _key(access)
    for target in (gateway, other):  # both replicas now hold the key in their caches
        assert await _status(http, target.tls_url + SEED_PATH, token) == 200
    await asyncio.to_thread(cli, database_url, exchange, "key", "revoke", key_id)
    deadline = time.monotonic() + 1.0
    for target in (gateway, other):
        await until(
            lambda t=target: _refused(http, t.tls_url + SEED_PATH, token),
            timeout=max(0.0, deadline - time.monotonic()),
            what="the revoked key to be refused",
        )


async def _refused(http: aiohttp.ClientSession, url: str, token: str) -> bool:
    return await _status(http, url, token) == 401


@pytest.fixture
async def private_redis() -> AsyncIterator[tuple[str, subprocess.Popen[bytes]]]:
    """A Redis of this test's own, so that it can be stopped without touching anyone else's."""
    port = free_port()
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = aioredis.Redis.from_url(url)

    async def answers() -> bool:
        try:
            return bool(await client.ping())
        except (OSError, RedisError):
            return False

    await until(answers, timeout=10, what="the private redis")
    await client.aclose()
    yield url, server
    server.kill()
    server.wait()


async def test_redis_going_down_fails_open_or_closed_as_configured(
    start_gateway: GatewayFactory,
    http: aiohttp.ClientSession,
    access: Access,
    private_redis: tuple[str, subprocess.Popen[bytes]],
) -> None:
    url, server = private_redis
    fail_open = await start_gateway(redis_url=url, rate_limit_failure_mode="open")
    fail_closed = await start_gateway(redis_url=url, rate_limit_failure_mode="closed")
    _, _, token = await _key(access)
    for target in (fail_open, fail_closed):
        assert await _status(http, target.tls_url + SEED_PATH, token) == 200
    server.terminate()
    await asyncio.to_thread(server.wait, 10)
    async with http.get(fail_open.tls_url + SEED_PATH, headers=_auth(token)) as response:
        assert response.status == 200
        _assert_uncounted(response.headers)
    async with http.get(fail_open.tls_url + "/api/v1/teleporters", headers=_auth(token)) as r:
        assert r.status == 404  # errors too carry them
        _assert_uncounted(r.headers)
    async with http.get(fail_closed.tls_url + SEED_PATH, headers=_auth(token)) as response:
        assert response.status == 503
        assert (await _error(response))["code"] == "SERVICE_UNAVAILABLE"
        _assert_uncounted(response.headers)
    async with http.get(fail_open.ops_url + "/metrics") as response:
        assert 'stacknex_gateway_rate_limiter_unavailable_total{mode="open"} 2.0' in (
            await response.text()
        )
    async with http.get(fail_closed.ops_url + "/readyz") as response:
        assert response.status == 503  # fail-closed: not ready without its limiter
    async with http.get(fail_open.ops_url + "/readyz") as response:
        assert response.status == 200  # fail-open: still serving, so still ready


async def test_operational_endpoints_are_on_the_ops_listener_and_not_the_public_ones(
    gateway: Gateway, http: aiohttp.ClientSession, access: Access
) -> None:
    _, _, token = await _key(access)
    for path in ("/metrics", "/readyz", "/healthz"):
        for public in (gateway.tls_url, gateway.plain_url):
            for headers in ({}, _auth(token)):  # a valid key opens nothing either
                async with http.get(public + path, headers=headers) as response:
                    assert response.status == 404, (public, path)
                    error = await _error(response)
                    assert error["code"] == "NOT_FOUND"
        async with http.get(gateway.ops_url + path) as response:
            assert response.status == 200, path
    async with http.get(gateway.ops_url + "/readyz") as response:
        assert (await response.json())["data"]["checks"] == ["postgres", "rabbitmq"]
    async with http.get(gateway.ops_url + "/metrics") as response:
        assert "stacknex_gateway_requests_total" in await response.text()
    async with http.get(gateway.plain_url + SEED_PATH, headers=_auth(token)) as response:
        assert response.status == 403  # the API itself still wants HTTPS


def _assert_uncounted(headers: Mapping[str, str]) -> None:
    """Redis away: the plan's limit, all of it left, a reset one window ahead, and a status
    saying that nothing was counted (docs/architecture.md, Rate limits)."""
    assert headers["X-RateLimit-Limit"] == "1000"
    assert headers["X-RateLimit-Remaining"] == "1000"
    assert headers["X-RateLimit-Status"] == "unknown"
    assert 0 <= int(headers["X-RateLimit-Reset"]) - time.time() - 3600 <= 2
    assert headers["RateLimit-Policy"] == '"hourly";q=1000;w=3600'
    assert headers["RateLimit"] == '"hourly";r=1000;t=3600'


async def test_test_mode_requests_carry_the_test_mode_to_every_service(
    gateway: Gateway,
    http: aiohttp.ClientSession,
    access: Access,
) -> None:
    org_id, _, token = await _key(access, mode="test")
    for path in ("/api/v1/products", "/api/v1/orders", "/api/v1/inventory", "/api/v1/events"):
        async with http.get(gateway.tls_url + path, headers=_auth(token)) as response:
            seen = (await response.json())["data"]
        assert (seen["organizationId"], seen["mode"]) == (org_id, "test")


async def test_gateway_metrics_label_by_route_plan_and_failure_reason(
    gateway: Gateway,
    http: aiohttp.ClientSession,
    access: Access,
) -> None:
    _, _, token = await _key(access)
    await _status(http, gateway.tls_url + "/api/v1/products/prod_0000000000000000", token)
    await _status(http, gateway.tls_url + SEED_PATH, "nxp_live_nope")
    async with http.get(gateway.ops_url + "/metrics") as response:
        text = await response.text()
    assert (
        'stacknex_gateway_requests_total{plan="professional",route="/api/v1/products/{id}",'
        'status="200"}'
    ) in text
    assert 'stacknex_gateway_auth_failures_total{reason="malformed"}' in text
    assert "prod_0000000000000000" not in text


@pytest.mark.parametrize(
    ("path", "method", "scope"),
    [(route.path, method, scope) for route in ROUTES for method, scope in route.scopes.items()],
    ids=lambda value: str(value),
)
async def test_scope_matrix_every_route_refuses_a_key_without_its_scope(
    gateway: Gateway,
    http: aiohttp.ClientSession,
    access: Access,
    path: str,
    method: str,
    scope: str,
) -> None:
    """Generated from the route table: a new route cannot escape it."""
    concrete = path.replace("{id}", "x_0000000000000000").replace(
        "{deliveryId}", "del_0000000000000000"
    )
    _, _, lacking = await _key(access, scopes=sorted(SCOPES - {scope}))
    async with http.request(
        method, gateway.tls_url + concrete, json={}, headers=_auth(lacking)
    ) as response:
        assert response.status == 403
        error = await _error(response)
        assert (error["code"], error["details"]) == ("INSUFFICIENT_SCOPE", {"requiredScope": scope})
    _, _, only = await _key(access, scopes=[scope])
    async with http.request(
        method, gateway.tls_url + concrete, json={}, headers=_auth(only)
    ) as response:
        assert response.status == 200  # forwarded to the (recording) upstream
