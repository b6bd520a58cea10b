"""/api/v1/products: parse, run the use case in the shared write path, answer."""

from collections.abc import Awaitable, Callable

from aiohttp import web

from libs.common.identity import GATEWAY, IDENTITY, callers
from libs.common.internal import SERVICE_CLIENT
from libs.common.kit import (
    OperationRoutes,
    answer_deleted,
    get_one,
    history_page,
    list_page,
    owner,
    write_one,
)
from libs.common.validation import given_fields, parse_body, parse_query, path_id
from libs.common.web import STORE
from libs.common.writes import expected_version
from libs.contract.catalog import (
    OPERATIONS,
    EventList,
    ProductCreate,
    ProductList,
    ProductRead,
    ProductReplace,
    ProductUpdate,
)
from services.catalog import service
from services.catalog.adapters.inventory import tell_inventory

routes = OperationRoutes(OPERATIONS)


def _told(request: web.Request) -> Callable[[ProductRead], Awaitable[None]]:
    """After a product write commits, and before the client hears back, the inventory is
    told the product's facts (read your writes)."""

    async def tell(product: ProductRead) -> None:
        await tell_inventory(request.app[SERVICE_CLIENT], who=request[IDENTITY], product=product)

    return tell


@routes.op("createProduct")
async def create(request: web.Request) -> web.Response:
    body = await parse_body(request, ProductCreate)
    return await write_one(
        request,
        lambda conn: service.create_product(
            conn, store=request.app[STORE], who=request[IDENTITY], values=body
        ),
        status=201,
        after=_told(request),
    )


@routes.op("listProducts")
@callers(GATEWAY, "orders")  # orders reads the products of a sale as they are now
async def list_products(request: web.Request) -> web.Response:
    query = parse_query(request, ProductList)
    where = owner(request, live=True)
    if query.category_id is not None:
        where.add("category_id = {}", query.category_id)
    if query.ids is not None:
        where.add("id = ANY({})", query.ids)
    if query.active is not None:
        where.add("active = {}", query.active)
    if query.sku is not None:
        where.add("sku = {}", query.sku)
    if query.q is not None:
        where.contains("name", query.q)
    return await list_page(request, table="products", model=ProductRead, where=where, query=query)


@routes.op("getProduct")
@callers(GATEWAY, "inventory")  # inventory learns a product the bus has not brought yet
async def get(request: web.Request) -> web.Response:
    return await get_one(request, table="products", model=ProductRead, prefix="prod", live=True)


@routes.op("replaceProduct")
async def replace(request: web.Request) -> web.Response:
    product_id = path_id(request, "prod")
    body = await parse_body(request, ProductReplace)
    expected = expected_version(request, body.version)
    return await write_one(
        request,
        lambda conn: service.replace_product(
            conn,
            store=request.app[STORE],
            who=request[IDENTITY],
            product_id=product_id,
            values=body,
            expected=expected,
        ),
        after=_told(request),
    )


@routes.op("updateProduct")
async def update(request: web.Request) -> web.Response:
    product_id = path_id(request, "prod")
    body = await parse_body(request, ProductUpdate)
    changes = given_fields(body)
    expected = expected_version(request, body.version)
    return await write_one(
        request,
        lambda conn: service.change_product(
            conn,
            store=request.app[STORE],
            who=request[IDENTITY],
            product_id=product_id,
            changes=changes,
            expected=expected,
        ),
        after=_told(request),
    )


@routes.op("deleteProduct")
async def delete(request: web.Request) -> web.Response:
    product_id = path_id(request, "prod")
    expected = expected_version(request)
    return await write_one(
        request,
        lambda conn: service.delete_product(
            conn,
            store=request.app[STORE],
            who=request[IDENTITY],
            product_id=product_id,
            expected=expected,
        ),
        respond=answer_deleted,
        after=_told(request),
    )


@routes.op("listProductEvents")
async def history(request: web.Request) -> web.Response:
    return await history_page(request, prefix="prod", kind="product", query_model=EventList)
