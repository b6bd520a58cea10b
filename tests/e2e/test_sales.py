"""Selling through the whole platform over TLS: the seed's order, the lifecycle, stock,
customers, idempotent retries and modes, with the gateway in front of it all."""

import asyncio

import asyncpg

from libs.common import identity, jsoncodec
from libs.common.ids import new_id
from tests.conftest import keyring, until
from tests.e2e.conftest import Platform, Till, cli


async def test_the_seed_order_returns_9_98_and_takes_the_stock(tills: tuple[Till, Till]) -> None:
    till, _ = tills
    product_id, item_id = await till.stocked_product(10)
    order = await till.ok(
        "POST",
        "/api/v1/orders",
        {
            "locationId": till.location_id,
            "items": [{"productId": product_id, "quantity": 2, "unitPrice": 4.99}],
            "paymentMethod": "cash",
        },
        201,
    )
    assert order["id"].startswith("ord_") and order["status"] == "completed"
    assert order["total"] == 9.98 and order["subtotal"] == 9.98
    assert order["items"] == [
        {
            "productId": product_id,
            "name": "Bagel",
            "sku": None,
            "unitPrice": 4.99,
            "quantity": 2,
            "lineTotal": 9.98,
        }
    ]
    assert order["orderNumber"].startswith("ORD-") and order["orderNumber"].endswith("-0001")
    assert order["completedAt"] and order["cancelledAt"] is None
    item = await till.item(item_id)
    assert (item["onHand"], item["committed"], item["available"]) == (8, 0, 8)
    ledger = await till.ok("GET", f"/api/v1/inventory/{item_id}/adjustments")
    assert [(line["delta"], line["reason"], line["orderId"]) for line in ledger] == [
        (-2, "sale", order["id"]),
        (10, "received", None),
    ]
    second = await till.ok("POST", "/api/v1/orders", till.order(product_id), 201)
    assert second["orderNumber"].endswith("-0002")


async def test_the_lifecycle_moves_stock_and_refuses_what_it_must(
    tills: tuple[Till, Till], database_url: str
) -> None:
    till, _ = tills
    product_id, item_id = await till.stocked_product(10)

    async def stock_is(on_hand: int, committed: int) -> None:
        # Read your writes: each status change has moved the stock by the time it answers
        # (checked at once, not polled).
        item = await till.item(item_id)
        assert (item["onHand"], item["committed"]) == (on_hand, committed)

    ticket = await till.ok(
        "POST", "/api/v1/orders", till.order(product_id, 3, status="pending"), 201
    )
    await stock_is(10, 3)  # held at once, synchronously
    assert (await till.item(item_id))["available"] == 7
    paid = await till.ok("PATCH", f"/api/v1/orders/{ticket['id']}", {"status": "completed"})
    assert paid["status"] == "completed" and paid["completedAt"]
    await stock_is(7, 0)
    voided = await till.ok("PATCH", f"/api/v1/orders/{ticket['id']}", {"status": "cancelled"})
    assert voided["restock"] is True and voided["cancelledAt"]
    await stock_is(10, 0)

    dropped = await till.ok(
        "POST", "/api/v1/orders", till.order(product_id, 2, status="pending"), 201
    )
    await stock_is(10, 2)
    await till.ok(
        "PUT", f"/api/v1/orders/{dropped['id']}", {"status": "cancelled", "paymentMethod": "cash"}
    )
    await stock_is(10, 0)

    spoiled = await till.ok("POST", "/api/v1/orders", till.order(product_id, 1), 201)
    await stock_is(9, 0)
    await till.ok(
        "PATCH", f"/api/v1/orders/{spoiled['id']}", {"status": "cancelled", "restock": False}
    )
    await stock_is(9, 0)  # voided, but the goods did not come back

    for order_id, status in (
        (ticket["id"], "completed"),
        (ticket["id"], "pending"),
        (spoiled["id"], "pending"),
    ):
        code, body = await till.call("PATCH", f"/api/v1/orders/{order_id}", {"status": status})
        assert (code, body["error"]["code"], body["error"]["details"]) == (
            409,
            "CONFLICT",
            {"field": "status"},
        )
    paid_again = await till.ok("POST", "/api/v1/orders", till.order(product_id), 201)
    code, body = await till.call(
        "PATCH", f"/api/v1/orders/{paid_again['id']}", {"status": "pending"}
    )
    assert code == 409
    code, body = await till.call(
        "PATCH", f"/api/v1/orders/{paid_again['id']}", {"note": "gift", "restock": False}
    )
    assert (code, body["error"]["details"]["field"]) == (409, "restock")  # not a cancellation
    ledger = await till.ok("GET", f"/api/v1/inventory/{item_id}/adjustments?limit=100")
    assert sum(line["delta"] for line in ledger) == (await till.item(item_id))["onHand"]
    # The orders' events reach the inventory later and find every hold where it is:
    # the stock does not move a second time.
    settled = await till.item(item_id)
    conn = await asyncpg.connect(database_url)
    try:
        orders = [ticket["id"], dropped["id"], spoiled["id"], paid_again["id"]]

        async def consumed() -> bool:
            left = await conn.fetchval(
                "SELECT count(*) FROM orders.events e WHERE e.stream_id = ANY($1::text[])"
                " AND e.type IN ('order.created', 'order.completed', 'order.cancelled')"
                " AND NOT EXISTS (SELECT 1 FROM inventory.processed_events p"
                " WHERE p.event_id = e.id)",
                orders,
            )
            return left == 0

        await until(consumed, what="the orders' events consumed by the inventory")
    finally:
        await conn.close()
    assert await till.item(item_id) == settled


async def test_a_deny_product_is_never_oversold_and_nothing_is_held(
    tills: tuple[Till, Till],
) -> None:
    till, _ = tills
    scarce, scarce_item = await till.stocked_product(1)
    plenty, plenty_item = await till.stocked_product(5)
    code, body = await till.call(
        "POST",
        "/api/v1/orders",
        {
            "locationId": till.location_id,
            "paymentMethod": "card",
            "items": [{"productId": plenty, "quantity": 2}, {"productId": scarce, "quantity": 2}],
        },
    )
    assert (code, body["error"]["code"]) == (409, "INSUFFICIENT_STOCK")
    assert body["error"]["details"]["items"] == [
        {"field": "items[1].quantity", "productId": scarce, "requested": 2, "available": 1}
    ]
    assert (await till.item(plenty_item))["onHand"] == 5  # refused whole: nothing moved
    assert (await till.item(scarce_item))["committed"] == 0
    relaxed, relaxed_item = await till.stocked_product(0, inventoryPolicy="continue")
    await till.ok("POST", "/api/v1/orders", till.order(relaxed, 3), 201)
    assert (await till.item(relaxed_item))["available"] == -3
    untracked = await till.ok(
        "POST", "/api/v1/products", {"name": "Gift card", "price": 25, "trackInventory": False}, 201
    )
    await till.ok("POST", "/api/v1/orders", till.order(untracked["id"], 4), 201)
    assert await till.ok("GET", f"/api/v1/inventory?productId={untracked['id']}") == []


async def test_references_are_checked_and_name_their_field(tills: tuple[Till, Till]) -> None:
    till, test_till = tills
    product_id, _ = await till.stocked_product(5)
    inactive = await till.ok(
        "POST", "/api/v1/products", {"name": "Old", "price": 1, "active": False}, 201
    )
    # A well-formed id this organization and mode does not have is a 404 naming the field
    # (CONVENTIONS: Identifiers), a product it has but does not sell now a 409, and a value
    # no state allows a 400.
    cases = [
        (
            {
                "items": [
                    {"productId": product_id, "quantity": 1},
                    {"productId": "prod_0354xIPEOJKu0fmmxXMXnj", "quantity": 1},
                ]
            },
            404,
            "items[1].productId",
        ),
        ({"items": [{"productId": inactive["id"], "quantity": 1}]}, 409, "items[0].productId"),
        ({"locationId": "loc_0354xIPEOJKu0fmmxXMXnj"}, 404, "locationId"),
        ({"customerId": "cus_0354xIPEOJKu0fmmxXMXnj"}, 404, "customerId"),
        ({"items": [{"productId": product_id, "quantity": 0}]}, 400, "items[0].quantity"),
        ({"items": [{"productId": product_id, "quantity": 10001}]}, 400, "items[0].quantity"),
        ({"items": [{"productId": "p1", "quantity": 1}]}, 400, "items[0].productId"),
        ({"items": []}, 400, "items"),
        ({"paymentMethod": "cheque"}, 400, "paymentMethod"),
        ({"status": "cancelled"}, 400, "status"),
    ]
    for override, status, field in cases:
        code, body = await till.call(
            "POST", "/api/v1/orders", {**till.order(product_id), **override}
        )
        assert (code, body["error"]["details"]["field"]) == (status, field), (override, body)
    # The sandbox sees none of the live catalog.
    code, body = await test_till.call("POST", "/api/v1/orders", test_till.order(product_id))
    assert (code, body["error"]["details"]["field"]) == (404, "items[0].productId")
    assert await test_till.ok("GET", "/api/v1/orders") == []


async def test_large_quantities_and_money_stay_exact(tills: tuple[Till, Till]) -> None:
    till, _ = tills
    product_id, _ = await till.stocked_product(0, price=0.1, inventoryPolicy="continue")
    other, _ = await till.stocked_product(0, price=0.2, inventoryPolicy="continue")
    order = await till.ok(
        "POST",
        "/api/v1/orders",
        {
            "locationId": till.location_id,
            "paymentMethod": "card",
            "items": [
                {"productId": product_id, "quantity": 1},
                {"productId": other, "quantity": 1},
            ],
        },
        201,
    )
    assert order["total"] == 0.3  # 0.1 + 0.2, not 0.30000000000000004
    bulk = await till.ok(
        "POST",
        "/api/v1/orders",
        till.order(
            product_id,
            10_000,
            items=[{"productId": product_id, "quantity": 10_000, "unitPrice": 4.99}],
        ),
        201,
    )
    assert bulk["total"] == 49_900 and bulk["items"][0]["lineTotal"] == 49_900
    code, body = await till.call(
        "POST",
        "/api/v1/orders",
        till.order(
            product_id,
            items=[{"productId": product_id, "quantity": 10_000, "unitPrice": 9_999_999.99}],
        ),
    )
    assert (code, body["error"]["details"]["field"]) == (400, "items")


async def test_a_retried_order_with_its_idempotency_key_sells_once(
    tills: tuple[Till, Till],
) -> None:
    till, _ = tills
    product_id, item_id = await till.stocked_product(5)
    key = {"Idempotency-Key": "till-7-sale-1"}
    first = await till.ok("POST", "/api/v1/orders", till.order(product_id, 2), 201, key)
    again = await till.ok("POST", "/api/v1/orders", till.order(product_id, 2), 201, key)
    assert again == first
    assert (await till.item(item_id))["onHand"] == 3
    assert len(await till.ok("GET", "/api/v1/orders")) == 1


async def test_customer_counters_follow_their_orders(
    platform: Platform, tills: tuple[Till, Till]
) -> None:
    till, _ = tills
    product_id, _ = await till.stocked_product(50)
    ada = await till.ok(
        "POST", "/api/v1/customers", {"email": "ada@example.com", "firstName": "Ada"}, 201
    )
    assert (ada["ordersCount"], ada["totalSpent"]) == (0, 0)
    code, body = await till.call("POST", "/api/v1/customers", {"email": "ADA@example.com"})
    assert (code, body["error"]["details"]) == (409, {"field": "email"})
    code, body = await till.call("POST", "/api/v1/customers", {"email": "not-an-email"})
    assert (code, body["error"]["details"]["field"]) == (400, "email")
    sale = till.order(product_id, 2, customerId=ada["id"])
    kept = await till.ok("POST", "/api/v1/orders", sale, 201)
    voided = await till.ok("POST", "/api/v1/orders", sale, 201)
    pending = await till.ok("POST", "/api/v1/orders", {**sale, "status": "pending"}, 201)
    await till.ok("PATCH", f"/api/v1/orders/{voided['id']}", {"status": "cancelled"})
    later = await till.ok("POST", "/api/v1/orders", {**sale, "status": "pending"}, 201)
    await till.ok("PATCH", f"/api/v1/orders/{later['id']}", {"status": "completed"})
    customer = await till.ok("GET", f"/api/v1/customers/{ada['id']}")
    assert (customer["ordersCount"], customer["totalSpent"]) == (2, 19.96)
    assert pending["status"] == "pending" and kept["total"] == 9.98
    found = await till.ok("GET", "/api/v1/customers?q=ada")
    assert [c["id"] for c in found] == [ada["id"]]
    # Across name and email as one text ("Ada ada@example.com"), as concat_ws() joined them.
    across = await till.ok("GET", "/api/v1/customers?q=ADA%20ada%40example")
    assert [c["id"] for c in across] == [ada["id"]]
    by_email = await till.ok("GET", "/api/v1/customers?email=ADA@example.com")
    assert [c["id"] for c in by_email] == [ada["id"]]
    mine = await till.ok("GET", f"/api/v1/orders?customerId={ada['id']}&status=completed")
    assert {o["id"] for o in mine} == {kept["id"], later["id"]}
    # The customer's own change neither resets nor freezes the counters its orders keep.
    noted = await till.ok("PATCH", f"/api/v1/customers/{ada['id']}", {"note": "regular"})
    assert (noted["ordersCount"], noted["totalSpent"], noted["version"]) == (2, 19.96, 2)
    await till.ok("PATCH", f"/api/v1/orders/{kept['id']}", {"status": "cancelled"})
    customer = await till.ok("GET", f"/api/v1/customers/{ada['id']}")
    assert (customer["ordersCount"], customer["totalSpent"]) == (1, 9.98)
    history = await till.ok("GET", f"/api/v1/customers/{ada['id']}/events")
    assert [e["data"]["note"] for e in history] == [None, "regular"]
    # The read models are their events' fold: a rebuild gives the very same answers.
    answers = [customer, await till.ok("GET", f"/api/v1/orders?customerId={ada['id']}")]
    await asyncio.to_thread(cli, platform.env, "projections", "rebuild", "orders")
    assert [
        await till.ok("GET", f"/api/v1/customers/{ada['id']}"),
        await till.ok("GET", f"/api/v1/orders?customerId={ada['id']}"),
    ] == answers


async def test_an_orders_history_is_every_state_it_went_through(
    tills: tuple[Till, Till],
) -> None:
    till, sandbox = tills
    product_id, _ = await till.stocked_product(5)
    placed = await till.ok("POST", "/api/v1/orders", till.order(product_id, 2), 201)
    assert placed["version"] == 2  # placed and paid at once: created, then completed
    voided = await till.ok(
        "PATCH", f"/api/v1/orders/{placed['id']}", {"status": "cancelled", "note": "wrong size"}
    )
    history = await till.ok("GET", f"/api/v1/orders/{placed['id']}/events")
    assert [e["event"] for e in history] == ["order.created", "order.completed", "order.cancelled"]
    assert [e["data"]["version"] for e in history] == [1, 2, 3]
    assert history[0]["data"]["status"] == "completed" and history[1]["data"] == placed
    assert history[2]["data"] == voided == await till.ok("GET", f"/api/v1/orders/{placed['id']}")
    assert sorted(history[2]["changedFields"]) == ["note", "restock", "status"]
    [listed] = [o for o in await till.ok("GET", "/api/v1/orders") if o["id"] == placed["id"]]
    assert listed == voided
    for path in (f"/api/v1/orders/{placed['id']}", f"/api/v1/orders/{placed['id']}/events"):
        code, body = await sandbox.call("GET", path)  # the other mode's data set
        assert (code, body["error"]["code"]) == (404, "NOT_FOUND")


async def test_a_hold_whose_order_never_arrived_is_given_back(
    platform: Platform, tills: tuple[Till, Till]
) -> None:
    till, _ = tills
    product_id, item_id = await till.stocked_product(4)
    product = await till.ok("GET", f"/api/v1/products/{product_id}")
    # As the orders service would, had it died right after holding the stock.
    who = identity.Identity(
        organization_id=till.org_id,
        mode="live",
        key_id="key_x",
        scopes=frozenset(),
        request_id="req_crash",
    )
    token = keyring(platform.keys_dir, "orders").sign(who, audience="inventory")
    async with till.http.post(
        platform.url("inventory", "/internal/v1/stock-holds"),
        json={
            "orderId": new_id("ord"),
            "locationId": till.location_id,
            "sold": False,
            "lines": [
                {
                    "productId": product_id,
                    "quantity": 3,
                    "trackInventory": True,
                    "inventoryPolicy": "deny",
                    "lowStockThreshold": None,
                    "productVersion": product["version"],
                }
            ],
        },
        headers={identity.HEADER: token},
    ) as response:
        assert response.status == 201
    assert (await till.item(item_id))["committed"] == 3

    async def released() -> bool:
        return (await till.item(item_id))["committed"] == 0

    await until(released, timeout=15, what="the sweeper to release the orphaned hold")
    assert (await till.item(item_id))["available"] == 4


async def test_counts_adjustments_thresholds_and_low_stock(
    platform: Platform, tills: tuple[Till, Till], database_url: str
) -> None:
    till, _ = tills
    product_id, item_id = await till.stocked_product(0, lowStockThreshold=5)
    item = await till.ok("PUT", f"/api/v1/inventory/{item_id}", {"onHand": 7})
    assert (item["onHand"], item["lowStockThreshold"], item["version"]) == (7, 5, 2)
    code, body = await till.call(
        "POST", f"/api/v1/inventory/{item_id}/adjustments", {"delta": -8, "reason": "damaged"}
    )
    assert (code, body["error"]["code"], body["error"]["details"]["field"]) == (
        409,
        "INSUFFICIENT_STOCK",
        "delta",
    )
    code, body = await till.call(
        "POST", f"/api/v1/inventory/{item_id}/adjustments", {"delta": 1, "reason": "theft"}
    )
    assert (code, body["error"]["details"]["field"]) == (400, "reason")
    code, body = await till.call("PUT", f"/api/v1/inventory/{item_id}", {"onHand": -1})
    assert (code, body["error"]["details"]["field"]) == (400, "onHand")
    code, body = await till.call(
        "PUT", f"/api/v1/inventory/{item_id}", {"onHand": 3}, {"If-Match": '"1"'}
    )
    assert (code, body["error"]["code"]) == (409, "VERSION_CONFLICT")
    assert [i["id"] for i in await till.ok("GET", "/api/v1/inventory?lowStock=true")] == []
    sale = await till.ok("POST", "/api/v1/orders", till.order(product_id, 3), 201)
    low = await till.ok("GET", f"/api/v1/inventory?lowStock=true&productId={product_id}")
    assert [i["id"] for i in low] == [item_id]
    # The item's own threshold wins over the product's; the product's follows its changes.
    assert (await till.ok("PUT", f"/api/v1/inventory/{item_id}", {"lowStockThreshold": 2}))[
        "lowStockThreshold"
    ] == 2
    assert await till.ok("GET", f"/api/v1/inventory?lowStock=true&productId={product_id}") == []
    ledger = await till.ok("GET", f"/api/v1/inventory/{item_id}/adjustments")
    assert [(line["delta"], line["reason"]) for line in ledger] == [(-3, "sale"), (7, "count")]
    webhooks = await asyncpg.connect(database_url)
    try:

        async def sale_event() -> bool:
            return bool(
                await webhooks.fetchval(
                    "SELECT count(*) FROM webhooks.event_log WHERE type = 'inventory.updated'"
                    " AND body->'data'->>'orderId' = $1",
                    sale["id"],
                )
            )

        await until(sale_event, what="the sale's inventory.updated on the bus")
        data = jsoncodec.loads(
            await webhooks.fetchval(
                "SELECT body->'data' FROM webhooks.event_log WHERE type = 'inventory.updated'"
                " AND body->'data'->>'orderId' = $1",
                sale["id"],
            )
        )
    finally:
        await webhooks.close()
    assert {
        k: data[k]
        for k in (
            "onHand",
            "available",
            "previousOnHand",
            "previousAvailable",
            "lowStockThreshold",
            "reason",
            "orderId",
        )
    } == {
        "onHand": 4,
        "available": 4,
        "previousOnHand": 7,
        "previousAvailable": 7,
        "lowStockThreshold": 5,
        "reason": "sale",
        "orderId": sale["id"],
    }


async def test_locations_and_their_items(tills: tuple[Till, Till]) -> None:
    till, test_till = tills
    product_id, _ = await till.stocked_product(0)
    kiosk = await till.ok("POST", "/api/v1/locations", {"name": "Kiosk"}, 201)
    assert kiosk["id"].startswith("loc_") and kiosk["isDefault"] is False
    renamed = await till.ok(
        "PATCH",
        f"/api/v1/locations/{kiosk['id']}",
        {"name": "Station kiosk", "address": "Platform 4"},
    )
    assert (renamed["name"], renamed["address"], renamed["version"]) == (
        "Station kiosk",
        "Platform 4",
        2,
    )
    listed = await till.ok("GET", "/api/v1/locations")
    assert [loc["id"] for loc in listed] == [kiosk["id"], till.location_id]
    items = await till.ok("GET", f"/api/v1/inventory?productId={product_id}")
    assert {i["locationId"] for i in items} == {kiosk["id"], till.location_id}
    assert (await test_till.call("GET", f"/api/v1/locations/{kiosk['id']}"))[0] == 404
    sandbox_default = await test_till.ok("GET", f"/api/v1/locations/{till.location_id}")
    assert sandbox_default["isDefault"] is True  # the default location exists in both modes
    code, body = await till.call("POST", "/api/v1/locations", {"name": ""})
    assert (code, body["error"]["details"]["field"]) == (400, "name")


async def test_a_product_write_is_in_the_stock_when_it_answers(tills: tuple[Till, Till]) -> None:
    """Read your writes across services: what a product write means for stock (its items,
    their threshold) is there when the write answers, checked at once, not polled."""
    till, _ = tills
    product = await till.ok(
        "POST", "/api/v1/products", {"name": "Rye", "price": 3.5, "trackInventory": False}, 201
    )
    listed = f"/api/v1/inventory?locationId={till.location_id}&limit=100"
    assert product["id"] not in {i["productId"] for i in await till.ok("GET", listed)}
    await till.ok(
        "PATCH",
        f"/api/v1/products/{product['id']}",
        {"trackInventory": True, "lowStockThreshold": 4},
    )
    [item] = [i for i in await till.ok("GET", listed) if i["productId"] == product["id"]]
    assert item["lowStockThreshold"] == 4
    await till.ok("PATCH", f"/api/v1/products/{product['id']}", {"lowStockThreshold": 9})
    assert (await till.item(item["id"]))["lowStockThreshold"] == 9


async def test_an_items_and_a_locations_history_is_theirs_and_their_owners_alone(
    platform: Platform, tills: tuple[Till, Till]
) -> None:
    till, test_till = tills
    _, item_id = await till.stocked_product(4)
    await till.ok("PUT", f"/api/v1/inventory/{item_id}", {"onHand": 6})
    history = await till.ok("GET", f"/api/v1/inventory/{item_id}/events")
    assert [(e["event"], e["data"]["onHand"]) for e in history] == [
        ("inventory_item.created", 0),
        ("inventory.updated", 4),
        ("inventory.updated", 6),
    ]
    counted = history[-1]["data"]
    assert (counted["reason"], counted["previousOnHand"], counted["available"]) == ("count", 4, 6)
    assert "thresholdOverride" not in counted  # what the threshold is made of stays inside
    code, first = await till.call("GET", f"/api/v1/inventory/{item_id}/events?limit=1")
    assert (code, first["pagination"]["hasMore"]) == (200, True)

    kiosk = await till.ok("POST", "/api/v1/locations", {"name": "Kiosk"}, 201)
    await till.ok("PATCH", f"/api/v1/locations/{kiosk['id']}", {"name": "Station kiosk"})
    events = await till.ok("GET", f"/api/v1/locations/{kiosk['id']}/events")
    assert [(e["event"], e["data"]["name"]) for e in events] == [
        ("location.created", "Kiosk"),
        ("location.updated", "Station kiosk"),
    ]
    assert events[-1]["changedFields"] == ["name"]
    # The default location's id is shared by both modes: each mode reads its own stream.
    path = f"/api/v1/locations/{till.location_id}/events"
    assert [e["mode"] for e in await till.ok("GET", path)] == ["live"]
    assert [e["mode"] for e in await test_till.ok("GET", path)] == ["test"]

    org = jsoncodec.loads(
        cli(platform.env, "org", "create", "--name", "Other Co", "--plan", "enterprise", "--json")
    )
    key = jsoncodec.loads(
        cli(platform.env, "key", "create", "--org", org["id"], "--mode", "live", "--json")
    )["key"]
    stranger = Till(till.http, till.base, key, org["defaultLocationId"], org["id"])
    for other in (test_till, stranger):  # another mode, another organization: not found
        for owned in (f"/api/v1/inventory/{item_id}", f"/api/v1/locations/{kiosk['id']}"):
            code, body = await other.call("GET", f"{owned}/events")
            assert (code, body["error"]["code"]) == (404, "NOT_FOUND")
