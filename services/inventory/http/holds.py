"""/internal/v1/stock-holds: the orders service holds stock here before it records a sale,
and tells it where the order is after each status change. Not routed by the gateway; only
the orders service may call it."""

import asyncpg
from aiohttp import web

from libs.common.identity import IDENTITY, callers
from libs.common.validation import parse_body, path_id
from libs.common.web import STORE, ok
from libs.common.writes import write
from services.inventory.domain.holds import OrderState
from services.inventory.http.schemas import HoldCreate, HoldOrderState
from services.inventory.service import holds
from services.inventory.service.stock import ProductInfo

routes = web.RouteTableDef()


@routes.post("/internal/v1/stock-holds")
@callers("orders")
async def place(request: web.Request) -> web.Response:
    body = await parse_body(request, HoldCreate)
    lines = [
        holds.Request(
            product=ProductInfo(
                id=line.product_id,
                track_inventory=line.track_inventory,
                inventory_policy=line.inventory_policy,
                low_stock_threshold=line.low_stock_threshold,
                version=line.product_version,
            ),
            quantity=line.quantity,
        )
        for line in body.lines
    ]

    async def work(conn: asyncpg.Connection) -> web.Response:
        hold = await holds.place(
            conn,
            store=request.app[STORE],
            who=request[IDENTITY],
            order_id=body.order_id,
            location_id=body.location_id,
            lines=lines,
            sold=body.sold,
        )
        return ok(hold.model_dump(), status=201)

    return await write(request, work)


@routes.delete("/internal/v1/stock-holds/{id}")
@callers("orders")
async def release(request: web.Request) -> web.Response:
    """The order could not be recorded after all: give its stock back (idempotent)."""
    order_id = path_id(request, "ord")

    async def work(conn: asyncpg.Connection) -> web.Response:
        hold = await holds.release(
            conn, store=request.app[STORE], who=request[IDENTITY], order_id=order_id
        )
        return ok(hold.model_dump() if hold else {"orderId": order_id, "state": None})

    return await write(request, work)


@routes.put("/internal/v1/stock-holds/{id}/order")
@callers("orders")
async def follow(request: web.Request) -> web.Response:
    """The order's status changed: its stock moves now, in the caller's request, so the
    client reads the new stock as soon as it has the order's response (idempotent; the
    order's event, when it arrives, finds the hold there already)."""
    order_id = path_id(request, "ord")
    body = await parse_body(request, HoldOrderState)
    order = OrderState(
        order_id=order_id,
        status=body.status,
        was_completed=body.was_completed,
        restock=body.restock,
    )

    async def work(conn: asyncpg.Connection) -> web.Response:
        hold = await holds.follow(
            conn, store=request.app[STORE], who=request[IDENTITY], order=order
        )
        return ok(hold.model_dump() if hold else {"orderId": order_id, "state": None})

    return await write(request, work)
