"""The shared HTTP skeleton: envelope, request ids, health and metrics (no I/O behind it)."""

from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from libs.common.errors import Conflict
from libs.common.eventstore import ConcurrencyError
from libs.common.settings import ServiceSettings
from libs.common.web import READINESS, base_app, ok, ops_app
from tests.conftest import key_settings


async def _boom(request: web.Request) -> web.Response:
    raise RuntimeError("secret detail: password=hunter2")


async def _conflict(request: web.Request) -> web.Response:
    raise Conflict("A product with this SKU already exists.", details={"field": "sku"})


async def _stale(request: web.Request) -> web.Response:
    raise ConcurrencyError("prod_x", expected=2, actual=3)


async def _full(request: web.Request) -> web.Response:
    raise asyncpg.exceptions.TooManyConnectionsError("sorry, too many clients already")


async def _echo(request: web.Request) -> web.Response:
    return ok(await request.json())


async def _down() -> None:
    raise ConnectionError("nope")


@pytest.fixture
async def client(keys_dir: Path) -> AsyncIterator[TestClient]:
    app = base_app(ServiceSettings(service_name="catalog", **key_settings(keys_dir, "catalog")))
    app.router.add_get("/boom", _boom)
    app.router.add_get("/conflict", _conflict)
    app.router.add_get("/stale", _stale)
    app.router.add_get("/full", _full)
    app.router.add_post("/echo", _echo)
    async with TestClient(TestServer(app)) as client:
        yield client


@pytest.fixture
async def ops(client: TestClient) -> AsyncIterator[TestClient]:
    """The same app's operational listener."""
    async with TestClient(TestServer(ops_app(client.app))) as ops:
        yield ops


async def test_unexpected_error_is_an_internal_error_envelope_without_details(
    client: TestClient,
) -> None:
    response = await client.get("/boom")
    assert response.status == 500
    body = await response.json()
    assert body["success"] is False
    assert body["error"]["code"] == "INTERNAL_ERROR"
    assert "hunter2" not in await response.text()
    assert response.headers["X-Request-Id"].startswith("req_")


async def test_a_database_out_of_connections_is_a_503_to_retry_not_a_500(
    client: TestClient,
) -> None:
    response = await client.get("/full")
    assert response.status == 503
    assert response.headers["Retry-After"] == "5"
    assert (await response.json())["error"]["code"] == "SERVICE_UNAVAILABLE"


async def test_api_errors_keep_their_code_and_details(client: TestClient) -> None:
    response = await client.get("/conflict")
    assert response.status == 409
    assert (await response.json())["error"] == {
        "code": "CONFLICT",
        "message": "A product with this SKU already exists.",
        "details": {"field": "sku"},
    }


async def test_stale_version_is_a_version_conflict_with_the_current_version(
    client: TestClient,
) -> None:
    response = await client.get("/stale")
    assert response.status == 409
    error = (await response.json())["error"]
    assert error["code"] == "VERSION_CONFLICT"
    assert error["details"] == {"currentVersion": 3}


async def test_unknown_route_and_wrong_method(client: TestClient) -> None:
    missing = await client.get("/v1/nothing-here")
    assert missing.status == 404
    assert (await missing.json())["error"]["code"] == "NOT_FOUND"
    wrong = await client.delete("/echo")
    assert wrong.status == 405
    assert (await wrong.json())["error"]["code"] == "METHOD_NOT_ALLOWED"
    assert "POST" in wrong.headers["Allow"]


async def test_body_over_one_mebibyte_is_413(client: TestClient) -> None:
    response = await client.post(
        "/echo",
        data=b'{"a":"' + b"x" * (1024 * 1024) + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status == 413
    assert (await response.json())["error"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_sane_request_id_is_echoed_and_a_hostile_one_replaced(client: TestClient) -> None:
    echoed = await client.get("/conflict", headers={"X-Request-Id": "till-7.sale:42"})
    assert echoed.headers["X-Request-Id"] == "till-7.sale:42"
    replaced = await client.get("/conflict", headers={"X-Request-Id": "x" * 129})
    assert replaced.headers["X-Request-Id"].startswith("req_")
    injected = await client.get("/conflict", headers={"X-Request-Id": "a b<script>"})
    assert injected.headers["X-Request-Id"].startswith("req_")


async def test_operational_endpoints_answer_on_the_ops_listener_only(
    client: TestClient, ops: TestClient
) -> None:
    for path in ("/healthz", "/readyz", "/metrics"):
        public = await client.get(path)
        assert public.status == 404, path
        assert (await public.json())["error"]["code"] == "NOT_FOUND"
        assert (await ops.get(path)).status == 200, path
    assert (await (await ops.get("/healthz")).json())["data"] == {"status": "alive"}


async def test_readyz_names_the_unreachable_dependency(client: TestClient, ops: TestClient) -> None:
    assert (await ops.get("/readyz")).status == 200
    client.app[READINESS]["postgres"] = _down  # registered on the app, seen by its ops listener
    response = await ops.get("/readyz")
    assert response.status == 503
    body = await response.json()
    assert body["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert body["error"]["details"] == {"unavailable": {"postgres": "ConnectionError"}}
    assert response.headers["Retry-After"] == "5"


async def test_metrics_count_requests_by_route_template_and_status(
    client: TestClient, ops: TestClient
) -> None:
    await client.get("/conflict")
    await client.get("/no/such/thing/123")
    text = await (await ops.get("/metrics")).text()
    assert 'stacknex_http_requests_total{method="GET",route="/conflict",status="409"} 1.0' in text
    assert 'route="unmatched",status="404"' in text
    assert "/no/such/thing/123" not in text


async def test_api_routes_refuse_requests_the_gateway_did_not_sign(client: TestClient) -> None:
    forged = await client.get("/api/v1/products", headers={"X-Org-Id": "org_victim"})
    assert forged.status == 401
    assert (await forged.json())["error"]["code"] == "AUTHENTICATION_REQUIRED"
    signed_elsewhere = await client.get(
        "/api/v1/products", headers={"X-StackNex-Identity": "eyJhbGciOiJIUzI1NiJ9.e30.x"}
    )
    assert signed_elsewhere.status == 401
