"""Tenant isolation, generated from the gateway's route table: every route with an id, called
with another organization's key or the other mode's key, answers 404 — so a new route cannot
escape the matrix. And no key or webhook secret ever reaches the logs."""

import re
from typing import Any

from libs.common import jsoncodec
from services.gateway.domain.routing import ROUTES
from tests.conftest import until
from tests.e2e.conftest import Platform, Till, cli, client
from tests.e2e.receiver import Receiver

PLATFORM_ENV = {"STACKNEX_WEBHOOKS_ALLOWED_PRIVATE_NETWORKS": '["127.0.0.0/8"]'}

# A body the owner could send, for every route and method that takes one.
BODIES: dict[tuple[str, str], Any] = {
    ("/api/v1/products/{id}", "PUT"): {"name": "x", "price": 1},
    ("/api/v1/products/{id}", "PATCH"): {"price": 2},
    ("/api/v1/categories/{id}", "PATCH"): {"name": "y"},
    ("/api/v1/orders/{id}", "PUT"): {"status": "completed", "paymentMethod": "cash"},
    ("/api/v1/orders/{id}", "PATCH"): {"note": "x"},
    ("/api/v1/customers/{id}", "PUT"): {"email": "other@example.com"},
    ("/api/v1/customers/{id}", "PATCH"): {"note": "x"},
    ("/api/v1/locations/{id}", "PATCH"): {"name": "x"},
    ("/api/v1/inventory/{id}", "PUT"): {"onHand": 1},
    ("/api/v1/inventory/{id}/adjustments", "POST"): {"delta": 1, "reason": "received"},
    ("/api/v1/webhooks/{id}", "PATCH"): {"description": "x"},
    ("/api/v1/webhooks/{id}/rotate-secret", "POST"): {},
    ("/api/v1/webhooks/{id}/test", "POST"): None,
    ("/api/v1/webhooks/{id}/recover", "POST"): {"since": "2020-01-01T00:00:00Z"},
    ("/api/v1/webhooks/{id}/deliveries/{deliveryId}/retry", "POST"): None,
}
WITH_ID = [
    (route.path, method) for route in ROUTES if "{id}" in route.path for method in route.scopes
]


async def _org(platform: Platform, http: Any) -> tuple[Till, Till]:
    org = jsoncodec.loads(
        cli(platform.env, "org", "create", "--name", "Tenant", "--plan", "enterprise", "--json")
    )
    keys = [
        jsoncodec.loads(
            cli(platform.env, "key", "create", "--org", org["id"], "--mode", mode, "--json")
        )["key"]
        for mode in ("live", "test")
    ]
    base = platform.url("gateway", "")
    return (
        Till(http, base, keys[0], org["defaultLocationId"], org["id"]),
        Till(http, base, keys[1], org["defaultLocationId"], org["id"]),
    )


async def test_every_route_with_an_id_is_404_for_other_tenants_and_modes(
    platform: Platform, receiver: Receiver
) -> None:
    async with client() as http:
        owner, owner_test = await _org(platform, http)
        stranger, _ = await _org(platform, http)
        await until(lambda: _location_ready(owner), what="the default location")
        # One of everything, owned by `owner` in live mode.
        product_id, item_id = await owner.stocked_product(5)
        category = await owner.ok("POST", "/api/v1/categories", {"name": "Iso"}, 201)
        customer = await owner.ok("POST", "/api/v1/customers", {"email": "iso@example.com"}, 201)
        order = await owner.ok("POST", "/api/v1/orders", owner.order(product_id), 201)
        location = await owner.ok("POST", "/api/v1/locations", {"name": "Back room"}, 201)
        endpoint = await owner.ok(
            "POST", "/api/v1/webhooks", {"url": receiver.url + "/iso", "events": ["*"]}, 201
        )
        await owner.ok("PATCH", f"/api/v1/customers/{customer['id']}", {"note": "VIP"})
        deliveries: list[Any] = []

        async def delivered() -> bool:
            deliveries[:] = await owner.ok("GET", f"/api/v1/webhooks/{endpoint['id']}/deliveries")
            return bool(deliveries)

        await until(delivered, what="a delivery")
        event_id = deliveries[0]["eventId"]
        ids = {
            "products": product_id,
            "categories": category["id"],
            "orders": order["id"],
            "customers": customer["id"],
            "locations": location["id"],
            "inventory": item_id,
            "webhooks": endpoint["id"],
            "events": event_id,
        }
        checked = 0
        for path, method in WITH_ID:
            resource = path.split("/")[3]
            concrete = path.replace("{id}", ids[resource]).replace(
                "{deliveryId}", deliveries[0]["id"]
            )
            body = BODIES.get((path, method))
            if method in ("PUT", "PATCH") or (method == "POST" and (path, method) not in BODIES):
                assert (path, method) in BODIES, f"add a sample body for {method} {path}"
            for outsider in (stranger, owner_test):
                code, response = await outsider.call(method, concrete, body)
                assert (code, response["error"]["code"]) == (404, "NOT_FOUND"), (
                    method,
                    concrete,
                    outsider is owner_test,
                    response,
                )
                checked += 1
            if method == "GET":
                assert (await owner.call(method, concrete))[0] == 200, concrete
        assert checked == 2 * len(WITH_ID)


async def _location_ready(till: Till) -> bool:
    return (await till.call("GET", f"/api/v1/locations/{till.location_id}"))[0] == 200


KEY = re.compile(r"nxp_(live|test)_[0-9A-Za-z]{12}_[0-9a-f]{32}")
WEBHOOK_SECRET = re.compile(r"whsec_[A-Za-z0-9+/]{20,}")


async def test_no_key_or_webhook_secret_reaches_the_logs(platform: Platform) -> None:
    """Runs last in this module: the log holds the whole module's traffic by now."""
    log = platform.log()
    assert "webhooks.attempt" in log  # deliveries (signed with the secrets) were logged
    assert KEY.search(log) is None
    assert WEBHOOK_SECRET.search(log) is None
