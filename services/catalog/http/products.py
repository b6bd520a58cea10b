"""/api/v1/products: parse, run the use case in the shared write path, answer."""

from collections.abc import Awaitable, Callable

import asyncpg
from aiohttp import web

from libs.common.errors import NotFound
from libs.common.identity import GATEWAY, IDENTITY, callers
from libs.common.internal import SERVICE_CLIENT
from libs.common.listing import Where, fetch_page
from libs.common.validation import given_fields, parse_body, parse_query, path_id
from libs.common.web import POOL, STORE, ok
from libs.common.writes import etag, expected_version, write
from services.catalog import service
from services.catalog.adapters.inventory import tell_inventory
from services.catalog.adapters.projections import product_from_row
from services.catalog.domain.money import DEFAULT_CURRENCY
from services.catalog.domain.products import Product, ProductFields
from services.catalog.http.schemas import (
    PRODUCT_REQUIRED,
    EventList,
    ProductCreate,
    ProductList,
    ProductReplace,
    ProductUpdate,
)

routes = web.RouteTableDef()


def _fields(body: ProductCreate) -> ProductFields:
    return ProductFields(
        name=body.name,
        price=body.price,
        currency=body.currency or DEFAULT_CURRENCY,
        sku=body.sku,
        description=body.description,
        category_id=body.category_id,
        active=body.active,
        track_inventory=body.track_inventory,
        inventory_policy=body.inventory_policy,
        low_stock_threshold=body.low_stock_threshold,
        metadata=body.metadata,
    )


def _answer(product: Product, status: int = 200) -> web.Response:
    headers = etag(product.version)
    if status == 201:
        headers["Location"] = f"/api/v1/products/{product.id}"
    return ok(product.public(), status=status, headers=headers)


async def _write(
    request: web.Request,
    change: Callable[[asyncpg.Connection], Awaitable[Product]],
    answer: Callable[[Product], web.Response] = _answer,
) -> web.Response:
    """The shared write path, then the inventory is told the product's facts: after the
    commit, so stock never follows a write that failed, and before the response."""
    written: list[Product] = []

    async def work(conn: asyncpg.Connection) -> web.Response:
        written[:] = [await change(conn)]
        return answer(written[0])

    response = await write(request, work)
    for product in written:
        await tell_inventory(request.app[SERVICE_CLIENT], request[IDENTITY], product)
    return response


@routes.post("/api/v1/products")
async def create(request: web.Request) -> web.Response:
    body = await parse_body(request, ProductCreate)
    return await _write(
        request,
        lambda conn: service.create_product(
            conn, store=request.app[STORE], who=request[IDENTITY], values=_fields(body)
        ),
        lambda product: _answer(product, 201),
    )


@routes.get("/api/v1/products")
@callers(GATEWAY, "orders")  # orders reads the products of a sale as they are now
async def list_products(request: web.Request) -> web.Response:
    query = parse_query(request, ProductList)
    who = request[IDENTITY]
    where = Where(("organization_id = {}", who.organization_id), ("mode = {}", who.mode))
    where.clauses.append("deleted_at IS NULL")
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
    rows, pagination = await fetch_page(
        request.app[POOL], table="products", where=where, query=query
    )
    return ok([product_from_row(r).public() for r in rows], pagination=pagination)


@routes.get("/api/v1/products/{id}")
@callers(GATEWAY, "inventory")  # inventory learns a product the bus has not brought yet
async def get(request: web.Request) -> web.Response:
    product_id = path_id(request, "prod")
    who = request[IDENTITY]
    row = await request.app[POOL].fetchrow(
        "SELECT * FROM products WHERE id = $1 AND organization_id = $2 AND mode = $3"
        " AND deleted_at IS NULL",
        product_id,
        who.organization_id,
        who.mode,
    )
    if row is None:
        raise NotFound(f"No product {product_id}.")
    return _answer(product_from_row(row))


@routes.put("/api/v1/products/{id}")
async def replace(request: web.Request) -> web.Response:
    product_id = path_id(request, "prod")
    body = await parse_body(request, ProductReplace)
    expected = expected_version(request, body.version)

    return await _write(
        request,
        lambda conn: service.replace_product(
            conn,
            store=request.app[STORE],
            who=request[IDENTITY],
            product_id=product_id,
            values=_fields(body),
            expected=expected,
        ),
    )


@routes.patch("/api/v1/products/{id}")
async def update(request: web.Request) -> web.Response:
    product_id = path_id(request, "prod")
    body = await parse_body(request, ProductUpdate)
    changes = given_fields(body, required=PRODUCT_REQUIRED)
    expected = expected_version(request, body.version)

    return await _write(
        request,
        lambda conn: service.change_product(
            conn,
            store=request.app[STORE],
            who=request[IDENTITY],
            product_id=product_id,
            changes=changes,
            expected=expected,
        ),
    )


@routes.delete("/api/v1/products/{id}")
async def delete(request: web.Request) -> web.Response:
    product_id = path_id(request, "prod")
    expected = expected_version(request)

    return await _write(
        request,
        lambda conn: service.delete_product(
            conn,
            store=request.app[STORE],
            who=request[IDENTITY],
            product_id=product_id,
            expected=expected,
        ),
        lambda product: ok({"id": product.id, "deleted": True}, headers=etag(product.version)),
    )


@routes.get("/api/v1/products/{id}/events")
async def history(request: web.Request) -> web.Response:
    """The product's own events, oldest first: an audit trail that survives deletion."""
    product_id = path_id(request, "prod")
    query = parse_query(request, EventList)
    async with request.app[POOL].acquire() as conn:
        events = await service.product_history(
            conn, store=request.app[STORE], who=request[IDENTITY], product_id=product_id
        )
    if query.starting_after is not None:
        seen = [e.id for e in events]
        events = (
            events[seen.index(query.starting_after) + 1 :] if query.starting_after in seen else []
        )
    page = events[: query.limit]
    has_more = len(events) > query.limit
    return ok(
        [e.envelope().public() for e in page],
        pagination={"hasMore": has_more, "nextCursor": page[-1].id if has_more else None},
    )
