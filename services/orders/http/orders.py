"""/api/v1/orders: ringing up sales, and their lifecycle."""

from typing import Any

import asyncpg
from aiohttp import web

from libs.common import kit
from libs.common.identity import GATEWAY, IDENTITY, callers
from libs.common.internal import SERVICE_CLIENT
from libs.common.validation import given_fields, parse_body, parse_query, path_id
from libs.common.web import STORE
from libs.common.writes import expected_version
from libs.contract.orders import (
    OPERATIONS,
    EventList,
    OrderCreate,
    OrderList,
    OrderRead,
    OrderReplace,
    OrderUpdate,
)
from services.orders import service
from services.orders.adapters import siblings

routes = kit.OperationRoutes(OPERATIONS)


@routes.op("createOrder")
async def create(request: web.Request) -> web.Response:
    body = await parse_body(request, OrderCreate)
    sale = service.Sale(
        store=request.app[STORE],
        client=request.app[SERVICE_CLIENT],
        who=request[IDENTITY],
        values=body,
    )
    return await kit.write_one(request, sale.record, status=201, reservation=sale)


@routes.op("listOrders")
async def list_orders(request: web.Request) -> web.Response:
    query = parse_query(request, OrderList)
    where = kit.owner(request)
    for column, value in (
        ("status", query.status),
        ("customer_id", query.customer_id),
        ("location_id", query.location_id),
    ):
        if value is not None:
            where.add(f"{column} = {{}}", value)
    return await kit.list_page(request, table="orders", model=OrderRead, where=where, query=query)


@routes.op("getOrder")
@callers(GATEWAY, "inventory")  # the hold sweeper asks whether an order exists
async def get(request: web.Request) -> web.Response:
    return await kit.get_one(request, table="orders", model=OrderRead, prefix="ord")


async def _change(
    request: web.Request, changes: dict[str, Any], expected: int | None
) -> web.Response:
    run = kit.use_case(
        request,
        service.change_order,
        order_id=path_id(request, "ord"),
        changes=changes,
        expected=expected,
    )
    status_changed = False

    async def change(conn: asyncpg.Connection) -> OrderRead:
        nonlocal status_changed
        order, status_changed = await run(conn)
        return order

    async def follow(order: OrderRead) -> None:
        # After the commit: the stock never moves for a change that failed.
        if status_changed:
            await siblings.move_stock(
                request.app[SERVICE_CLIENT], who=request[IDENTITY], order=order
            )

    return await kit.write_one(request, change, after=follow)


@routes.op("replaceOrder")
async def replace(request: web.Request) -> web.Response:
    path_id(request, "ord")  # a bad id is named before the body is read
    body = await parse_body(request, OrderReplace)
    changes = body.model_dump(exclude={"version", "restock"})
    if body.restock is not None:
        changes["restock"] = body.restock
    return await _change(request, changes, expected_version(request, body.version))


@routes.op("updateOrder")
async def update(request: web.Request) -> web.Response:
    path_id(request, "ord")
    body = await parse_body(request, OrderUpdate)
    return await _change(request, given_fields(body), expected_version(request, body.version))


@routes.op("listOrderEvents")
async def history(request: web.Request) -> web.Response:
    return await kit.history_page(request, prefix="ord", kind="order", query_model=EventList)
