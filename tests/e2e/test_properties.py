"""Property-based boundaries through the real platform: for every operation of the public
API that takes a body or a query (the OpenAPI operations, so derived from the gateway's
route table and the services' request schemas), Hypothesis generates values at and past
each schema's edges: the largest and smallest numbers (huge and tiny floats, 2^31, 2^63),
the longest strings in every Unicode general category (surrogates as JSON escapes, NUL,
right-to-left marks, emoji), the most items, wrong types and unknown fields. Whatever it
sends: never a 5xx, and every 400 names the field it refuses.

Bounded so the module runs in about two minutes: MAX_EXAMPLES per operation, derandomized
(the same examples every run, so a failure reproduces), no example database."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter
from yarl import URL

from libs.common import jsoncodec
from libs.contract.routes import OPERATIONS
from tests.conftest import until
from tests.e2e.boundaries import as_json, as_query, object_of
from tests.e2e.conftest import Platform, Till, cli, client
from tests.e2e.receiver import Receiver, start_receiver

PLATFORM_ENV = {"STACKNEX_WEBHOOKS_ALLOWED_PRIVATE_NETWORKS": '["127.0.0.0/8"]'}
MAX_EXAMPLES = 40
# Header values are Latin-1 on the wire: printable ASCII up to the 255 allowed, one more.
IDEMPOTENCY_KEYS = st.one_of(
    st.none(),
    st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=20),
    st.sampled_from(("k" * 255, "k" * 256, "ключ".encode().decode("latin-1"))),
)
# Every operation of the route table with a body or a query.
BY_KEY = {(op.path, op.method): op for op in OPERATIONS if op.query or op.body}
OPERATION_KEYS = sorted(BY_KEY)
# The id kind of each collection, as the route table types its `{id}` (`prod_…`).
ID_PREFIX = {
    op.path.split("/")[3]: TypeAdapter(op.params["id"]).json_schema()["pattern"][1:].split("_")[0]
    for op in OPERATIONS
    if "id" in op.params
}


@pytest.fixture(scope="module")
async def receiver_for_module() -> AsyncIterator[Receiver]:
    async for started in start_receiver():
        yield started


@pytest.fixture(scope="module")
async def world(platform: Platform, receiver_for_module: Receiver) -> Any:
    """One organization with one of everything, whose ids fill paths and id fields."""
    receiver = receiver_for_module
    org = jsoncodec.loads(
        cli(platform.env, "org", "create", "--name", "Edges", "--plan", "enterprise", "--json")
    )
    key = jsoncodec.loads(
        cli(platform.env, "key", "create", "--org", org["id"], "--mode", "live", "--json")
    )["key"]
    async with client() as http:
        till = Till(http, platform.url("gateway", ""), key, org["defaultLocationId"], org["id"])

        async def location_ready() -> bool:
            return (await till.call("GET", f"/api/v1/locations/{till.location_id}"))[0] == 200

        await until(location_ready, what="the default location")
        # The endpoint first: the events of what follows are delivered to it.
        endpoint = await till.ok(
            "POST", "/api/v1/webhooks", {"url": receiver.url + "/edges", "events": ["*"]}, 201
        )
        product_id, item_id = await till.stocked_product(1000, inventoryPolicy="continue")
        category = await till.ok("POST", "/api/v1/categories", {"name": "Edge"}, 201)
        customer = await till.ok("POST", "/api/v1/customers", {"email": "e@example.com"}, 201)
        order = await till.ok("POST", "/api/v1/orders", till.order(product_id), 201)
        deliveries: list[Any] = []

        async def delivered() -> bool:
            deliveries[:] = await till.ok("GET", f"/api/v1/webhooks/{endpoint['id']}/deliveries")
            return bool(deliveries)

        await until(delivered, what="a delivery")
        ids = {
            "prod": [product_id],
            "cat": [category["id"]],
            "cus": [customer["id"]],
            "ord": [order["id"]],
            "loc": [till.location_id],
            "inv": [item_id],
            "we": [endpoint["id"]],
            "evt": [deliveries[0]["eventId"]],
            "del": [deliveries[0]["id"]],
            "receiver": [receiver.url],
        }
        yield till, ids


def _concrete(path: str, ids: dict[str, list[str]]) -> str:
    resource = path.split("/")[3]
    return path.replace("{id}", ids[ID_PREFIX[resource]][0]).replace("{deliveryId}", ids["del"][0])


def _check(method: str, path: str, sent: Any, status: int, body: Any) -> None:
    where = f"{method} {path} with {sent!r:.600}"
    assert status < 500, f"{status} {body} for {where}"
    assert isinstance(body, dict) and body.get("success") is not None, where
    if status >= 400:
        error = body["error"]
        assert error["code"] and error["message"], where
        if status == 400 or error["code"] == "CONFLICT":
            field = error.get("details", {}).get("field")
            assert isinstance(field, str) and field, f"no field named: {body} for {where}"
        if error["code"] == "INSUFFICIENT_STOCK":  # a sale's lines, or an adjustment's delta
            details = error["details"]
            assert details.get("field") or all(line.get("field") for line in details["items"]), (
                where
            )


@pytest.mark.parametrize(("path", "method"), OPERATION_KEYS, ids=lambda v: str(v))
async def test_boundary_values_never_make_a_5xx(world: Any, path: str, method: str) -> None:
    till, ids = world
    query_model, body_model = BY_KEY[(path, method)].query, BY_KEY[(path, method)].body
    model = body_model or query_model
    assert model is not None
    schema = model.model_json_schema(by_alias=True)
    values = (
        object_of(schema, schema.get("$defs", {}), ids) if "properties" in schema else st.just({})
    )
    url = till.base + _concrete(path, ids)
    loop = asyncio.get_running_loop()

    async def send(sample: dict[str, Any], key: str | None) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {till.key}"}
        if key is not None:
            headers["Idempotency-Key"] = key
        if body_model is not None:
            headers["Content-Type"] = "application/json"
            request = till.http.request(method, url, data=as_json(sample), headers=headers)
        else:
            target = f"{url}?{as_query(sample)}" if sample else url
            request = till.http.request(method, URL(target, encoded=True), headers=headers)
        async with request as response:
            if response.content_type == "text/event-stream":
                # The event stream accepted the sample: nothing more to judge (it never
                # ends by itself); leaving closes it.
                return response.status, {"success": True}
            try:
                return response.status, await response.json(loads=jsoncodec.loads)
            except (aiohttp.ContentTypeError, ValueError):
                return response.status, await response.text()

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(values, IDEMPOTENCY_KEYS if method == "POST" else st.none())
    def run(sample: dict[str, Any], key: str | None) -> None:
        sending = send(sample, key)
        status, body = asyncio.run_coroutine_threadsafe(sending, loop).result(timeout=30)
        _check(method, path, {"body": sample, "Idempotency-Key": key}, status, body)

    await asyncio.to_thread(run)
