"""Counts and sizes at the edges the API documents, through the whole platform: stock past
2^31 on the request path and on the event path, and an order of the most distinct products."""

import asyncio
from typing import Any

from libs.common.listing import PAGE_MAX
from libs.contract.orders import OrderCreate
from services.inventory.domain.items import MAX_UNITS
from tests.conftest import until
from tests.e2e.conftest import Till

BILLION = 1_000_000_000
INT_MAX = 2**31 - 1  # what the counts' `integer` columns held
MAX_LINES = next(
    int(m.max_length)
    for m in OrderCreate.model_fields["items"].metadata
    if hasattr(m, "max_length")
)


async def _adjust(till: Till, item_id: str, delta: int) -> tuple[int, dict[str, Any]]:
    return await till.call(
        "POST", f"/api/v1/inventory/{item_id}/adjustments", {"delta": delta, "reason": "received"}
    )


async def test_the_third_billion_is_stocked_and_the_bound_refuses_whole(
    tills: tuple[Till, Till],
) -> None:
    till, _ = tills
    _, item_id = await till.stocked_product(0)
    for n in (1, 2, 3):
        status, body = await _adjust(till, item_id, BILLION)
        assert status == 201, body
        assert body["data"]["onHand"] == n * BILLION
    ledger = await till.ok("GET", f"/api/v1/inventory/{item_id}/adjustments")
    assert sum(line["delta"] for line in ledger) == 3 * BILLION
    assert ledger[0]["onHandAfter"] == 3 * BILLION
    # At the documented bound: a count of MAX_UNITS is taken; one unit more conflicts with
    # the count as it is (409 naming delta), and a count past the bound is a 400 (no state
    # allows it).
    counted = await till.ok("PUT", f"/api/v1/inventory/{item_id}", {"onHand": MAX_UNITS})
    assert counted["onHand"] == MAX_UNITS
    status, body = await _adjust(till, item_id, 1)
    assert (status, body["error"]["code"], body["error"]["details"]["field"]) == (
        409,
        "CONFLICT",
        "delta",
    )
    status, body = await till.call("PUT", f"/api/v1/inventory/{item_id}", {"onHand": MAX_UNITS + 1})
    assert (status, body["error"]["details"]["field"]) == (400, "onHand")
    after = await till.item(item_id)
    assert (after["onHand"], after["version"]) == (MAX_UNITS, counted["version"])


async def test_a_restock_from_an_order_event_past_2_31_is_applied_not_dead_lettered(
    tills: tuple[Till, Till],
) -> None:
    """The void's restock arrives as `order.cancelled` on the bus: it must be applied."""
    till, _ = tills
    product_id, item_id = await till.stocked_product(0)
    for delta in (BILLION, BILLION, INT_MAX - 2 * BILLION):
        assert (await _adjust(till, item_id, delta))[0] == 201
    sale = await till.ok("POST", "/api/v1/orders", till.order(product_id, 10_000), 201)
    assert (await _adjust(till, item_id, 10_000))[0] == 201  # back at 2^31 - 1
    await till.ok("PATCH", f"/api/v1/orders/{sale['id']}", {"status": "cancelled"})

    async def restocked() -> bool:
        return (await till.item(item_id))["onHand"] == INT_MAX + 10_000

    await until(restocked, timeout=30, what="the restock past 2^31 from order.cancelled")
    ledger = await till.ok("GET", f"/api/v1/inventory/{item_id}/adjustments")
    assert ledger[0]["reason"] == "restock" and ledger[0]["onHandAfter"] == INT_MAX + 10_000


async def test_an_order_of_the_most_distinct_products_is_sold(tills: tuple[Till, Till]) -> None:
    """More distinct products than one catalog lookup answers (PAGE_MAX): 500 lines."""
    till, _ = tills
    assert MAX_LINES > PAGE_MAX
    gate = asyncio.Semaphore(8)

    async def product(n: int) -> str:
        async with gate:
            body = {"name": f"Line {n}", "price": 0.5, "inventoryPolicy": "continue"}
            return str((await till.ok("POST", "/api/v1/products", body, 201))["id"])

    ids = await asyncio.gather(*(product(n) for n in range(MAX_LINES)))
    order = await till.ok(
        "POST",
        "/api/v1/orders",
        {
            "locationId": till.location_id,
            "items": [{"productId": p, "quantity": 2} for p in ids],
            "paymentMethod": "card",
        },
        201,
    )
    assert len(order["items"]) == MAX_LINES and order["total"] == MAX_LINES * 1.0
    assert {line["productId"] for line in order["items"]} == set(ids)
    [item] = await till.ok(
        "GET", f"/api/v1/inventory?productId={ids[-1]}&locationId={till.location_id}"
    )
    assert item["onHand"] == -2  # `continue`: sold without stock, and counted
