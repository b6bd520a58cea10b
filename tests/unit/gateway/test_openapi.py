from pathlib import Path

from cli.openapi import OPERATIONS, build
from libs.common import jsoncodec
from services.gateway.domain.routing import ROUTES

COMMITTED = Path(__file__).resolve().parents[3] / "services/gateway/openapi.json"


def test_every_route_and_method_is_described() -> None:
    table = {(route.path, method) for route in ROUTES for method in route.scopes}
    assert table == set(OPERATIONS)


def test_the_served_document_is_up_to_date() -> None:
    """If this fails: `stacknex openapi > services/gateway/openapi.json`."""
    assert jsoncodec.loads(COMMITTED.read_bytes()) == jsoncodec.loads(
        jsoncodec.dumps_sorted(build())
    )


def test_request_bodies_refuse_unknown_fields_and_money_is_a_number() -> None:
    schema = build()["paths"]["/api/v1/products"]["post"]["requestBody"]["content"][
        "application/json"
    ]["schema"]
    assert schema["additionalProperties"] is False
    assert schema["properties"]["price"]["type"] == "number"
    assert schema["required"] == ["name", "price"]
