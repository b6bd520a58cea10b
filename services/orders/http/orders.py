"""/api/v1/orders: ringing up sales, and their lifecycle."""

import asyncpg
from aiohttp import web

from libs.common.errors import NotFound
from libs.common.identity import GATEWAY, IDENTITY, callers
from libs.common.internal import SERVICE_CLIENT
from libs.common.listing import Where, fetch_page
from libs.common.validation import given_fields, parse_body, parse_query, path_id
from libs.common.web import POOL, STORE, ok
from libs.common.writes import etag, expected_version, write
from libs.contract.orders import (
    ORDER_REQUIRED,
    OrderCreate,
    OrderList,
    OrderReplace,
    OrderUpdate,
)
from services.orders import service
from services.orders.adapters import siblings
from services.orders.domain.orders import LineRequest, Order

routes = web.RouteTableDef()


def _answer(order: Order, status: int = 200) -> web.Response:
    headers = etag(order.version)
    if status == 201:
        headers["Location"] = f"/api/v1/orders/{order.id}"
    return ok(order.public(), status=status, headers=headers)


@routes.post("/api/v1/orders")
async def create(request: web.Request) -> web.Response:
    body = await parse_body(request, OrderCreate)
    lines = [
        LineRequest(product_id=i.product_id, quantity=i.quantity, unit_price=i.unit_price)
        for i in body.items
    ]

    async def work(conn: asyncpg.Connection) -> web.Response:
        order = await service.place_order(
            conn,
            request.app[STORE],
            request.app[SERVICE_CLIENT],
            request[IDENTITY],
            location_id=body.location_id,
            lines=lines,
            status=body.status,
            payment_method=body.payment_method,
            customer_id=body.customer_id,
            note=body.note,
            metadata=body.metadata,
        )
        return _answer(order, 201)

    return await write(request, work)


@routes.get("/api/v1/orders")
async def list_orders(request: web.Request) -> web.Response:
    query = parse_query(request, OrderList)
    who = request[IDENTITY]
    where = Where(("organization_id = {}", who.organization_id), ("mode = {}", who.mode))
    for column, value in (
        ("status", query.status),
        ("customer_id", query.customer_id),
        ("location_id", query.location_id),
    ):
        if value is not None:
            where.add(f"{column} = {{}}", value)
    rows, pagination = await fetch_page(request.app[POOL], table="orders", where=where, query=query)
    return ok([r["body"] for r in rows], pagination=pagination)


@routes.get("/api/v1/orders/{id}")
@callers(GATEWAY, "inventory")  # the hold sweeper asks whether an order exists
async def get(request: web.Request) -> web.Response:
    order_id = path_id(request, "ord")
    who = request[IDENTITY]
    row = await request.app[POOL].fetchrow(
        "SELECT body, version FROM orders WHERE id = $1 AND organization_id = $2 AND mode = $3",
        order_id,
        who.organization_id,
        who.mode,
    )
    if row is None:
        raise NotFound(f"No order {order_id}.")
    return ok(row["body"], headers=etag(row["version"]))


async def _change(
    request: web.Request, changes: dict[str, object], expected: int | None
) -> web.Response:
    order_id = path_id(request, "ord")
    moved: list[Order] = []  # the order, when its status changed and its stock must follow

    async def work(conn: asyncpg.Connection) -> web.Response:
        order, status_changed = await service.change_order(
            conn,
            request.app[STORE],
            request[IDENTITY],
            order_id=order_id,
            changes=changes,
            expected=expected,
        )
        moved[:] = [order] if status_changed else []
        return _answer(order)

    response = await write(request, work)
    for order in moved:  # after the commit: the stock never moves for a change that failed
        await siblings.move_stock(request.app[SERVICE_CLIENT], request[IDENTITY], order)
    return response


@routes.put("/api/v1/orders/{id}")
async def replace(request: web.Request) -> web.Response:
    path_id(request, "ord")
    body = await parse_body(request, OrderReplace)
    changes = {
        name: getattr(body, name)
        for name in ("status", "payment_method", "customer_id", "note", "metadata")
    }
    if body.restock is not None:
        changes["restock"] = body.restock
    return await _change(request, changes, expected_version(request, body.version))


@routes.patch("/api/v1/orders/{id}")
async def update(request: web.Request) -> web.Response:
    path_id(request, "ord")
    body = await parse_body(request, OrderUpdate)
    return await _change(
        request,
        given_fields(body, required=ORDER_REQUIRED),
        expected_version(request, body.version),
    )
