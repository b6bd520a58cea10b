"""Webhooks through the whole platform: real deliveries to a receiver on loopback, verified
by the seed's own Node function and by the Standard Webhooks library."""

import json
import subprocess
from typing import Any

from standardwebhooks import Webhook

from tests.conftest import until
from tests.e2e.conftest import Till
from tests.e2e.receiver import Receiver, respond

PLATFORM_ENV = {
    # the receiver listens on loopback
    "STACKNEX_WEBHOOKS_ALLOWED_PRIVATE_NETWORKS": '["127.0.0.0/8"]',
    "STACKNEX_WEBHOOKS_RETRY_SCHEDULE": "[0, 0.3, 0.3, 0.3]",
    "STACKNEX_WEBHOOKS_DELIVERY_TIMEOUT": "1.5",
    "STACKNEX_WEBHOOKS_RETRY_AFTER_CAP": "1.5",
    "STACKNEX_WEBHOOKS_POLL_INTERVAL": "0.2",
}


async def _endpoint(
    till: Till, receiver: Receiver, path: str, events: list[str] | None = None
) -> dict[str, Any]:
    return await till.ok(
        "POST", "/api/v1/webhooks", {"url": receiver.url + path, "events": events or ["*"]}, 201
    )


def _node_verifies(payload: bytes, signature: str, secret: str) -> bool:
    done = subprocess.run(
        ["node", "tests/e2e/verify_webhook.js"],
        check=True,
        capture_output=True,
        text=True,
        input=json.dumps({"payload": payload.decode(), "signature": signature, "secret": secret}),
    )
    return done.stdout == "true"


async def test_a_delivery_verifies_with_the_seed_function_and_standard_webhooks(
    tills: tuple[Till, Till], receiver: Receiver
) -> None:
    till, _ = tills
    endpoint = await _endpoint(till, receiver, "/hook", ["product.created"])
    secret = endpoint["secret"]
    assert secret.startswith("whsec_")
    assert (await till.ok("GET", f"/api/v1/webhooks/{endpoint['id']}/secret"))["secret"] == secret
    product = await till.ok("POST", "/api/v1/products", {"name": "Rye", "price": 3.5}, 201)
    await until(lambda: receiver.at("/hook"), what="the delivery")
    [hit] = receiver.at("/hook")
    body = hit.json
    assert body["event"] == "product.created" and body["data"] == product
    assert body["organizationId"] == till.org_id and body["mode"] == "live"
    assert hit.headers["Content-Type"] == "application/json"
    assert hit.headers["User-Agent"].startswith("StackNex-Webhooks/")
    assert hit.headers["X-Webhook-Event"] == "product.created"
    assert hit.headers["X-Webhook-Id"] == hit.headers["webhook-id"]
    assert _node_verifies(hit.body, hit.headers["X-Webhook-Signature"], secret)
    assert not _node_verifies(hit.body, hit.headers["X-Webhook-Signature"], secret + "x")
    Webhook(secret).verify(hit.body, hit.headers)

    rotated = await till.ok(
        "POST", f"/api/v1/webhooks/{endpoint['id']}/rotate-secret", {"expiresInSeconds": 3600}
    )
    new_secret = rotated["secret"]
    assert new_secret != secret and rotated["previousSecretExpiresAt"]
    await till.ok("PATCH", f"/api/v1/products/{product['id']}", {"price": 3.75})

    async def update_seen() -> bool:
        logged = await till.ok("GET", "/api/v1/events?type=product.updated")
        return any(e["data"]["price"] == 3.75 for e in logged)

    # The webhooks service has taken the 3.75 update (unsubscribed then) before the
    # subscription changes; otherwise it may fan it out late and send three, not two.
    await until(update_seen, what="the first update in the event log")
    await till.ok(
        "PATCH",
        f"/api/v1/webhooks/{endpoint['id']}",
        {"events": ["product.created", "product.updated"]},
    )
    await till.ok("PATCH", f"/api/v1/products/{product['id']}", {"price": 3.95})
    await until(lambda: len(receiver.at("/hook")) >= 2, what="the delivery after rotation")
    assert len(receiver.at("/hook")) == 2
    during = receiver.at("/hook")[1]
    assert during.json["data"]["price"] == 3.95
    assert len(during.headers["webhook-signature"].split(" ")) == 2  # both secrets sign
    assert _node_verifies(during.body, during.headers["X-Webhook-Signature"], new_secret)
    Webhook(new_secret).verify(during.body, during.headers)
    Webhook(secret).verify(during.body, during.headers)  # receivers not yet updated still verify


async def test_a_flaky_receiver_gets_three_attempts_under_one_webhook_id(
    tills: tuple[Till, Till], receiver: Receiver
) -> None:
    till, _ = tills
    receiver.behaviours["/flaky"] = lambda n: respond(500 if n <= 2 else 200, text=f"try {n}")
    endpoint = await _endpoint(till, receiver, "/flaky", ["customer.created"])
    await till.ok("POST", "/api/v1/customers", {"email": "flaky@example.com"}, 201)
    await until(lambda: len(receiver.at("/flaky")) == 3, what="three attempts")
    assert len({r.headers["X-Webhook-Id"] for r in receiver.at("/flaky")}) == 1
    [delivery] = await _deliveries(till, endpoint, "succeeded")
    detail = await till.ok("GET", f"/api/v1/webhooks/{endpoint['id']}/deliveries/{delivery['id']}")
    assert [(a["attempt"], a["httpStatus"], a["response"]) for a in detail["attemptLog"]] == [
        (1, 500, "try 1"),
        (2, 500, "try 2"),
        (3, 200, "try 3"),
    ]
    assert all(a["durationMs"] >= 0 and a["at"].endswith("Z") for a in detail["attemptLog"])


async def _deliveries(till: Till, endpoint: dict[str, Any], status: str) -> list[dict[str, Any]]:
    async def settled() -> list[dict[str, Any]]:
        return await till.ok("GET", f"/api/v1/webhooks/{endpoint['id']}/deliveries?status={status}")

    await until(settled, what=f"a {status} delivery")
    return await settled()


async def test_retry_after_is_honoured(tills: tuple[Till, Till], receiver: Receiver) -> None:
    till, _ = tills
    receiver.behaviours["/busy"] = lambda n: respond(
        503 if n == 1 else 200, headers={"Retry-After": "1"} if n == 1 else None
    )
    await _endpoint(till, receiver, "/busy", ["customer.created"])
    await till.ok("POST", "/api/v1/customers", {"email": "busy@example.com"}, 201)
    await until(lambda: len(receiver.at("/busy")) == 2, what="the second attempt")
    first, second = receiver.at("/busy")
    assert second.started - first.started >= 0.9  # not the 0.3 s of the schedule


async def test_410_disables_the_endpoint_with_a_visible_reason(
    tills: tuple[Till, Till], receiver: Receiver
) -> None:
    till, _ = tills
    receiver.behaviours["/gone"] = lambda n: respond(410)
    endpoint = await _endpoint(till, receiver, "/gone", ["customer.created"])
    await till.ok("POST", "/api/v1/customers", {"email": "gone@example.com"}, 201)
    await _deliveries(till, endpoint, "failed")
    current = await till.ok("GET", f"/api/v1/webhooks/{endpoint['id']}")
    assert current["enabled"] is False and "410" in current["disabledReason"]
    later = await till.ok("POST", "/api/v1/customers", {"email": "gone2@example.com"}, 201)

    async def logged() -> bool:  # the event has been through fan-out once it is listed
        events = await till.ok("GET", "/api/v1/events?type=customer.created")
        return any(e["data"]["id"] == later["id"] for e in events)

    await until(logged, what="the later event in the log")
    assert len(await till.ok("GET", f"/api/v1/webhooks/{endpoint['id']}/deliveries")) == 1
    assert len(receiver.at("/gone")) == 1
    enabled = await till.ok("PATCH", f"/api/v1/webhooks/{endpoint['id']}", {"enabled": True})
    assert enabled["disabledReason"] is None


async def test_a_receiver_that_hangs_past_the_timeout_is_an_attempt_that_failed(
    tills: tuple[Till, Till], receiver: Receiver
) -> None:
    till, _ = tills
    receiver.behaviours["/hang"] = lambda n: respond(200, delay=5 if n == 1 else 0)
    endpoint = await _endpoint(till, receiver, "/hang", ["customer.created"])
    await till.ok("POST", "/api/v1/customers", {"email": "hang@example.com"}, 201)
    [delivery] = await _deliveries(till, endpoint, "succeeded")
    detail = await till.ok("GET", f"/api/v1/webhooks/{endpoint['id']}/deliveries/{delivery['id']}")
    first, second = detail["attemptLog"]
    assert first["httpStatus"] is None and "1.5 s" in first["error"]
    assert second["httpStatus"] == 200


async def test_recover_resends_failed_deliveries_and_retry_sends_one_now(
    tills: tuple[Till, Till], receiver: Receiver
) -> None:
    till, _ = tills
    healthy = False
    receiver.behaviours["/down"] = lambda n: respond(200 if healthy else 500)
    endpoint = await _endpoint(till, receiver, "/down", ["customer.created"])
    before = (await till.ok("POST", "/api/v1/customers", {"email": "d1@example.com"}, 201))[
        "createdAt"
    ]
    await till.ok("POST", "/api/v1/customers", {"email": "d2@example.com"}, 201)
    await until(_count(till, endpoint, "failed", 2), what="both failed")
    healthy = True
    result = await till.ok(
        "POST", f"/api/v1/webhooks/{endpoint['id']}/recover", {"since": before}, 202
    )
    assert result["requeued"] == 2
    await until(_count(till, endpoint, "succeeded", 2), what="both recovered")
    [one, _] = await till.ok("GET", f"/api/v1/webhooks/{endpoint['id']}/deliveries")
    sent = len(receiver.at("/down"))
    await till.ok(
        "POST", f"/api/v1/webhooks/{endpoint['id']}/deliveries/{one['id']}/retry", status=202
    )
    await until(lambda: len(receiver.at("/down")) == sent + 1, what="the manual retry")


def _count(till: Till, endpoint: dict[str, Any], status: str, n: int):  # type: ignore[no-untyped-def]
    async def check() -> bool:
        rows = await till.ok("GET", f"/api/v1/webhooks/{endpoint['id']}/deliveries?status={status}")
        return len(rows) == n

    return check


async def test_inventory_low_fires_once_per_crossing(
    tills: tuple[Till, Till], receiver: Receiver
) -> None:
    till, _ = tills
    await _endpoint(till, receiver, "/low", ["inventory.low"])
    product_id, item_id = await till.stocked_product(10, lowStockThreshold=5)
    for _ in range(3):  # 10 -> 7 -> 4 (crosses) -> 1 (already low)
        await till.ok("POST", "/api/v1/orders", till.order(product_id, 3), 201)
    await until(lambda: receiver.at("/low"), what="the first inventory.low")
    await till.ok(
        "POST", f"/api/v1/inventory/{item_id}/adjustments", {"delta": 9, "reason": "received"}, 201
    )  # back to 10
    await till.ok("POST", "/api/v1/orders", till.order(product_id, 6), 201)  # 4: crosses again
    await until(lambda: len(receiver.at("/low")) == 2, what="the second inventory.low")
    first, second = (r.json for r in receiver.at("/low"))
    assert first["event"] == "inventory.low" and "changedFields" not in first
    assert set(first["data"]) == {
        "inventoryItemId",
        "productId",
        "locationId",
        "available",
        "onHand",
        "lowStockThreshold",
    }
    assert {
        k: first["data"][k]
        for k in ("productId", "inventoryItemId", "available", "onHand", "lowStockThreshold")
    } == {
        "productId": product_id,
        "inventoryItemId": item_id,
        "available": 4,
        "onHand": 4,
        "lowStockThreshold": 5,
    }
    assert second["data"]["available"] == 4
    listed = await till.ok("GET", "/api/v1/events?type=inventory.low")
    assert [e["id"] for e in listed] == [second["id"], first["id"]]
    assert await till.ok("GET", f"/api/v1/events/{first['id']}") == first


async def test_modes_never_mix_and_the_events_api_matches_the_deliveries(
    tills: tuple[Till, Till], receiver: Receiver
) -> None:
    live, test = tills
    await _endpoint(live, receiver, "/live", ["customer.created"])
    await _endpoint(test, receiver, "/test", ["customer.created"])
    await live.ok("POST", "/api/v1/customers", {"email": "live@example.com"}, 201)
    await test.ok("POST", "/api/v1/customers", {"email": "test@example.com"}, 201)
    await until(lambda: receiver.at("/live") and receiver.at("/test"), what="both deliveries")
    assert [r.json["data"]["email"] for r in receiver.at("/live")] == ["live@example.com"]
    assert [r.json["data"]["email"] for r in receiver.at("/test")] == ["test@example.com"]
    listed = await test.ok("GET", "/api/v1/events?type=customer.created")
    assert [e["id"] for e in listed] == [receiver.at("/test")[0].json["id"]]
    assert listed[0] == receiver.at("/test")[0].json  # the same JSON the webhook carried
    code, _ = await test.call("GET", f"/api/v1/events/{receiver.at('/live')[0].json['id']}")
    assert code == 404


async def test_the_test_event_is_delivered_now(
    tills: tuple[Till, Till], receiver: Receiver
) -> None:
    till, _ = tills
    endpoint = await _endpoint(till, receiver, "/ping", ["order.created"])
    sent = await till.ok("POST", f"/api/v1/webhooks/{endpoint['id']}/test", status=202)
    await until(lambda: receiver.at("/ping"), what="the test delivery")
    [hit] = receiver.at("/ping")
    assert hit.json["event"] == "webhook.test" and hit.json["id"] == sent["eventId"]
    assert hit.headers["X-Webhook-Id"] == sent["deliveryId"]
    Webhook(endpoint["secret"]).verify(hit.body, hit.headers)
