"""Tenant isolation, generated from the gateway's route table: every route with an id, called
with another organization's key or the other mode's key, answers 404 — so a new route cannot
escape the matrix. And no key or webhook secret ever reaches the logs, or rests unencrypted
in any table."""

import base64
import hashlib
import re
from typing import Any

import asyncpg

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
# Every API key and webhook signing secret this module was shown, for the at-rest search.
SHOWN: list[str] = []


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
    SHOWN.extend(keys)
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
        SHOWN.append(endpoint["secret"])
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


async def _post_twice(till: Till, path: str, body: Any, key: str) -> dict[str, Any]:
    """An idempotent POST and its replay: the replay is the first answer, byte for byte."""
    answers = []
    for _ in range(2):
        async with till.http.post(
            till.base + path,
            json=body,
            headers={"Authorization": f"Bearer {till.key}", "Idempotency-Key": key},
        ) as response:
            assert response.status in (200, 201), await response.text()
            answers.append((await response.read(), response.headers.get("Idempotent-Replayed")))
    (first, replayed_first), (second, replayed) = answers
    assert (first, replayed_first, replayed) == (second, None, "true")
    return jsoncodec.loads(first)["data"]  # type: ignore[no-any-return]


def _forms(secret: str) -> set[str]:
    """A secret as it could be written down: plain, base64 (both alphabets), hex; and for a
    webhook secret also its key material (the part after `whsec_`) decoded, in hex."""
    raw = secret.encode()
    forms = {
        secret,
        base64.b64encode(raw).decode(),
        base64.urlsafe_b64encode(raw).decode(),
        raw.hex(),
    }
    if secret.startswith("whsec_"):
        material = secret.removeprefix("whsec_")
        forms |= {material, base64.b64decode(material).hex()}
    else:
        forms.add(secret.rsplit("_", 1)[1])  # the key's secret part on its own
    return {form.rstrip("=") for form in forms}


async def _every_row_as_text(database_url: str) -> dict[str, str]:
    """Each table of every schema, every row as text (bytea as hex, jsonb as JSON)."""
    conn = await asyncpg.connect(database_url)
    try:
        tables = await conn.fetch(
            "SELECT table_schema, table_name FROM information_schema.tables"
            " WHERE table_type = 'BASE TABLE'"
            " AND table_schema NOT IN ('pg_catalog', 'information_schema')"
        )
        dump = {}
        for t in tables:
            name = f'"{t["table_schema"]}"."{t["table_name"]}"'
            rows = await conn.fetch(f"SELECT r::text AS line FROM {name} r")
            dump[name] = "\n".join(row["line"] for row in rows)
        return dump
    finally:
        await conn.close()


async def test_no_key_or_webhook_secret_rests_unencrypted_in_the_database(
    platform: Platform, database_url: str, receiver: Receiver
) -> None:
    """After the module's traffic plus idempotent creations and rotations (whose stored
    responses carry the secrets), no table holds any key or secret in any usual form."""
    async with client() as http:
        till, _ = await _org(platform, http)
        await until(lambda: _location_ready(till), what="the default location")
        endpoint = await _post_twice(
            till, "/api/v1/webhooks", {"url": receiver.url + "/rest", "events": ["*"]}, "we-1"
        )
        SHOWN.append(endpoint["secret"])
        rotated = await _post_twice(
            till, f"/api/v1/webhooks/{endpoint['id']}/rotate-secret", {}, "rotate-1"
        )
        SHOWN.append(rotated["secret"])
        await _post_twice(till, "/api/v1/products", {"name": "Sealed", "price": 1}, "p-1")
    assert len(SHOWN) >= 7  # two orgs' keys before, this org's keys, three secrets
    dump = await _every_row_as_text(database_url)
    assert '"gateway"."api_keys"' in dump and '"webhooks"."idempotency_keys"' in dump
    for secret in SHOWN:
        for form in _forms(secret):
            found = [table for table, text in dump.items() if form in text]
            assert not found, f"a {secret[:9]}… secret rests readable in {found}"
    # The key store holds hashes: each live/test key of the module is found by its hash.
    for key in (k for k in SHOWN if k.startswith("nxp_")):
        digest = hashlib.sha256(key.rsplit("_", 1)[1].encode()).hexdigest()
        assert digest in dump['"gateway"."api_keys"']


async def test_no_key_or_webhook_secret_reaches_the_logs(platform: Platform) -> None:
    """Runs last in this module: the log holds the whole module's traffic by now."""
    log = platform.log()
    assert "webhooks.attempt" in log  # deliveries (signed with the secrets) were logged
    assert KEY.search(log) is None
    assert WEBHOOK_SECRET.search(log) is None
