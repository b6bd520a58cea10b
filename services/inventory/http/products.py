"""/internal/v1/products: the catalog tells the inventory a product's facts right after it
wrote them, so that the stock a client reads next already reflects the write (its items,
its threshold). Not routed by the gateway; the product's events bring the same facts."""

import asyncpg
from aiohttp import web

from libs.common.identity import IDENTITY, callers
from libs.common.validation import parse_body, path_id
from libs.common.web import STORE, ok
from libs.common.writes import write
from services.inventory.http.schemas import ProductFacts
from services.inventory.service.stock import ProductInfo, learn_product

routes = web.RouteTableDef()


@routes.put("/internal/v1/products/{id}")
@callers("catalog")
async def learn(request: web.Request) -> web.Response:
    product_id = path_id(request, "prod")
    body = await parse_body(request, ProductFacts)
    product = ProductInfo(
        id=product_id,
        track_inventory=body.track_inventory,
        inventory_policy=body.inventory_policy,
        low_stock_threshold=body.low_stock_threshold,
        version=body.version,
        deleted=body.deleted,
    )

    async def work(conn: asyncpg.Connection) -> web.Response:
        await learn_product(conn, store=request.app[STORE], who=request[IDENTITY], product=product)
        return ok({"id": product_id, "version": product.version})

    return await write(request, work)
