"""The orders service's calls to its siblings, for what a sale cannot wait for: the
products as the catalog has them now, and their stock held at the inventory (then moved
when the order's status changes). Each answer becomes a domain outcome or a 503."""

import asyncio

from libs.common.errors import ServiceUnavailable
from libs.common.identity import Identity
from libs.common.internal import ServiceClient
from libs.common.listing import PAGE_MAX
from libs.common.logging import get_logger
from libs.contract.catalog import ProductRead
from libs.contract.orders import OrderItem, OrderRead
from services.orders.domain.errors import InvalidInput, MissingReference, Shortage, Unsellable

log = get_logger(__name__)


async def read_products(
    client: ServiceClient, *, who: Identity, items: list[OrderItem]
) -> dict[str, ProductRead]:
    """The catalog's products as they are now: a product created a moment ago is there.
    The catalog answers a page (PAGE_MAX ids) per call and an order may name 500 products,
    so they are asked for in batches, at once; a batch's URL stays under 3 KB."""
    ids = sorted({item.product_id for item in items})
    batches = [ids[start : start + PAGE_MAX] for start in range(0, len(ids), PAGE_MAX)]
    answers = await asyncio.gather(
        *(
            client.call(
                "catalog",
                "GET",
                f"/api/v1/products?limit={PAGE_MAX}&ids={','.join(batch)}",
                who=who,
            )
            for batch in batches
        )
    )
    if any(status != 200 for status, _ in answers):
        raise ServiceUnavailable(
            "The catalog could not be read; retry shortly.", headers={"Retry-After": "5"}
        )
    return {
        product["id"]: ProductRead.model_validate(product)
        for _, body in answers
        for product in body["data"]
    }


async def hold_stock(
    client: ServiceClient,
    *,
    who: Identity,
    order_id: str,
    location_id: str,
    items: list[OrderItem],
    products: dict[str, ProductRead],
    sold: bool,
) -> None:
    status, body = await client.call(
        "inventory",
        "POST",
        "/internal/v1/stock-holds",
        who=who,
        body={
            "orderId": order_id,
            "locationId": location_id,
            "sold": sold,
            "lines": [
                {
                    "productId": line.product_id,
                    "quantity": line.quantity,
                    "trackInventory": products[line.product_id].track_inventory,
                    "inventoryPolicy": products[line.product_id].inventory_policy,
                    "lowStockThreshold": products[line.product_id].low_stock_threshold,
                    "productVersion": products[line.product_id].version,
                }
                for line in items
            ],
        },
    )
    if status == 201:
        return
    error = body.get("error", {})
    if status == 409 and error.get("code") == "INSUFFICIENT_STOCK":
        raise Shortage(error["details"]["items"])
    # The inventory's refusals, in the same words: an unknown location is a 404 naming the
    # field, a stock bound a 409, an invalid value a 400.
    details = error.get("details") or {}
    message = error.get("message", "Invalid order.")
    if status == 404 and error.get("code") == "NOT_FOUND":
        raise MissingReference(message, field=details.get("field"))
    if status == 409 and error.get("code") == "CONFLICT":
        raise Unsellable(message, field=details.get("field"))
    if status == 400:
        raise InvalidInput(message, field=details.get("field"))
    raise ServiceUnavailable(
        "The inventory could not hold the stock; retry shortly.", headers={"Retry-After": "5"}
    )


async def release_stock(client: ServiceClient, *, who: Identity, order_id: str) -> None:
    try:
        await client.call("inventory", "DELETE", f"/internal/v1/stock-holds/{order_id}", who=who)
    except ServiceUnavailable:
        pass  # the inventory's sweeper releases holds whose order never appeared


async def move_stock(client: ServiceClient, *, who: Identity, order: OrderRead) -> None:
    """After an order's status change has committed, its stock moves before the client
    hears back (read your writes). The order's event moves it too, so if the inventory
    cannot be reached now the stock still follows, moments later: the change stands."""
    try:
        await client.call(
            "inventory",
            "PUT",
            f"/internal/v1/stock-holds/{order.id}/order",
            who=who,
            body={
                "status": order.status,
                "wasCompleted": order.completed_at is not None,
                "restock": order.restock,
            },
        )
    except ServiceUnavailable:
        log.warning("order.stock_follows_event", order_id=order.id)
