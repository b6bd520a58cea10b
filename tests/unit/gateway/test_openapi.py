"""The document is built from the route table alone, is served as committed, and says what
the code accepts and answers."""

import pkgutil
import re
from importlib import import_module
from pathlib import Path

import pytest
from aiohttp import web

from cli.openapi import build
from libs.common import jsoncodec
from libs.contract.document import error_classes
from libs.contract.events import PUBLIC_EVENTS
from libs.contract.routes import OPERATIONS
from services.gateway.domain.routing import ROUTES

COMMITTED = Path(__file__).resolve().parents[3] / "services/gateway/openapi.json"


def test_the_gateway_routes_exactly_the_contracts_operations() -> None:
    table = {
        (route.path, method, scope) for route in ROUTES for method, scope in route.scopes.items()
    }
    assert table == {(op.path, op.method, op.scope) for op in OPERATIONS}


def test_every_operation_has_a_unique_camel_case_id() -> None:
    ids = [op.id for op in OPERATIONS]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z]+(?:[A-Z][a-z]+)*", i) for i in ids), ids


@pytest.mark.parametrize("service", ["catalog", "orders", "inventory", "webhooks"])
def test_each_service_serves_its_operations_and_no_other_public_route(service: str) -> None:
    served = {
        (route.method, route.path)
        for routes in _route_tables(service)
        for route in routes
        if isinstance(route, web.RouteDef) and route.path.startswith("/api/")
    }
    assert served == {(op.method, op.path) for op in OPERATIONS if op.service == service}


def _route_tables(service: str) -> list[web.RouteTableDef]:
    package = import_module(f"services.{service}.http")
    tables = []
    for info in pkgutil.iter_modules(package.__path__):
        module = import_module(f"services.{service}.http.{info.name}")
        routes = getattr(module, "routes", None)
        if isinstance(routes, web.RouteTableDef):
            tables.append(routes)
    return tables


def test_the_served_document_is_up_to_date() -> None:
    """If this fails: `stacknex openapi > services/gateway/openapi.json`."""
    assert jsoncodec.loads(COMMITTED.read_bytes()) == jsoncodec.loads(
        jsoncodec.dumps_sorted(build())
    )


def test_error_codes_come_from_the_error_classes() -> None:
    enum = build()["components"]["schemas"]["Error"]["properties"]["code"]["enum"]
    assert "EVENT_EXPIRED" in enum and "INSUFFICIENT_STOCK" in enum
    assert "CALLER_NOT_ALLOWED" not in enum  # between services only, never to a client
    assert enum == [cls.code for cls in error_classes()]


def test_request_bodies_refuse_unknown_fields_and_money_is_a_number() -> None:
    document = build()
    body = document["paths"]["/api/v1/products"]["post"]["requestBody"]["content"][
        "application/json"
    ]["schema"]
    schema = document["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    assert schema["additionalProperties"] is False
    assert schema["properties"]["price"]["type"] == "number"
    assert schema["required"] == ["name", "price"]


def test_answers_are_typed_envelopes() -> None:
    document = build()
    schemas = document["components"]["schemas"]
    get = document["paths"]["/api/v1/products/{id}"]["get"]["responses"]["200"]
    envelope = get["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert envelope == "ProductEnvelope"
    assert schemas[envelope]["properties"]["data"] == {"$ref": "#/components/schemas/ProductRead"}
    product = schemas["ProductRead"]
    assert product["properties"]["price"]["type"] == "number"
    assert set(product["required"]) >= {"id", "name", "price", "version", "createdAt"}


def test_every_event_type_has_a_webhook_payload_schema() -> None:
    hooks = build()["webhooks"]
    assert "product.created" in hooks
    body = hooks["product.created"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/ProductEvent"}
    assert body["example"]["data"]["id"].startswith("prod_")


def test_every_public_event_type_has_a_payload_schema_and_an_example() -> None:
    hooks = build()["webhooks"]
    assert PUBLIC_EVENTS <= set(hooks)
    for kind, hook in hooks.items():
        content = hook["post"]["requestBody"]["content"]["application/json"]
        assert content["example"]["event"] == kind, kind
        assert content["schema"]["$ref"].startswith("#/components/schemas/"), kind


def test_every_operation_has_an_example_and_the_seeds_order_is_create_orders() -> None:
    document = build()
    for ops in document["paths"].values():
        for op in ops.values():
            success = next(iter(op["responses"].values()))
            answered = any("example" in c for c in success.get("content", {}).values())
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            assert answered or "example" in body, op["operationId"]
    order = document["paths"]["/api/v1/orders"]["post"]["requestBody"]["content"][
        "application/json"
    ]["example"]
    assert order["paymentMethod"] == "cash"
    assert order["items"] == [
        {"productId": order["items"][0]["productId"], "quantity": 2, "unitPrice": 4.99}
    ]


def test_every_resource_with_an_id_has_its_history() -> None:
    paths = build()["paths"]
    items = {p for p in paths if p.count("/") == 4 and p.endswith("/{id}")}
    without = [
        p for p in items if f"{p}/events" not in paths and not p.startswith("/api/v1/events")
    ]
    assert without == []


def test_every_bound_is_written_as_json_schema_says_it() -> None:
    """`minimum`/`maximum`, never pydantic's own `ge`/`le`, which no tool reads: a bound
    written so was no bound to the fuzzer, and the API refused what it generated."""
    found: list[str] = []

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            found.extend(f"{where}.{k}" for k in ("ge", "le", "gt", "lt") if k in node)
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}[{index}]")

    walk(build(), "")
    assert found == []
