"""/api/v1/inventory: items, physical counts, adjustments and the ledger."""

import asyncpg
from aiohttp import web

from libs.common.clock import rfc3339
from libs.common.errors import NotFound
from libs.common.identity import IDENTITY, Identity
from libs.common.internal import SERVICE_CLIENT
from libs.common.listing import Where, fetch_page
from libs.common.validation import given_fields, parse_body, parse_query, path_id
from libs.common.web import POOL, STORE, ok
from libs.common.writes import etag, expected_version, write
from libs.contract.inventory import AdjustmentCreate, AdjustmentList, ItemCount, ItemList
from services.inventory.domain.items import Item
from services.inventory.service import stock

routes = web.RouteTableDef()


def _from_row(row: asyncpg.Record) -> Item:
    return Item(
        id=row["id"],
        organization_id=row["organization_id"],
        mode=row["mode"],
        product_id=row["product_id"],
        location_id=row["location_id"],
        on_hand=row["on_hand"],
        committed=row["committed"],
        threshold_override=row["threshold_override"],
        product_threshold=row["product_threshold"],
        version=row["version"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _answer(item: Item, status: int = 200) -> web.Response:
    return ok(item.public(), status=status, headers=etag(item.version))


async def _learn_product(request: web.Request, who: Identity, product_id: str) -> None:
    """A product created a moment ago may not have reached us through the bus yet: ask the
    catalog, so its items exist the moment a client looks for them."""
    pool = request.app[POOL]
    if await pool.fetchval(
        "SELECT 1 FROM products WHERE id = $1 AND organization_id = $2 AND mode = $3",
        product_id,
        who.organization_id,
        who.mode,
    ):
        return
    status, body = await request.app[SERVICE_CLIENT].call(
        "catalog", "GET", f"/api/v1/products/{product_id}", who=who
    )
    if status != 200:
        return
    product = body["data"]
    async with pool.acquire() as conn, conn.transaction():
        await stock.upsert_product(
            conn,
            who,
            stock.ProductInfo(
                id=product["id"],
                track_inventory=product["trackInventory"],
                inventory_policy=product["inventoryPolicy"],
                low_stock_threshold=product["lowStockThreshold"],
                version=product["version"],
            ),
        )
        await stock.ensure_items_for_product(conn, request.app[STORE], who, product["id"])


@routes.get("/api/v1/inventory")
async def list_items(request: web.Request) -> web.Response:
    query = parse_query(request, ItemList)
    who = request[IDENTITY]
    where = Where(("organization_id = {}", who.organization_id), ("mode = {}", who.mode))
    if query.product_id is not None:
        await _learn_product(request, who, query.product_id)
        where.add("product_id = {}", query.product_id)
    if query.location_id is not None:
        where.add("location_id = {}", query.location_id)
    if query.low_stock is not None:
        condition = "on_hand - committed < low_stock_threshold"
        where.clauses.append(condition if query.low_stock else f"NOT coalesce({condition}, false)")
    rows, pagination = await fetch_page(
        request.app[POOL], table="inventory_items", where=where, query=query
    )
    return ok([_from_row(r).public() for r in rows], pagination=pagination)


@routes.get("/api/v1/inventory/{id}")
async def get(request: web.Request) -> web.Response:
    item_id = path_id(request, "inv")
    who = request[IDENTITY]
    row = await request.app[POOL].fetchrow(
        "SELECT * FROM inventory_items WHERE id = $1 AND organization_id = $2 AND mode = $3",
        item_id,
        who.organization_id,
        who.mode,
    )
    if row is None:
        raise NotFound(f"No inventory item {item_id}.")
    return _answer(_from_row(row))


@routes.put("/api/v1/inventory/{id}")
async def count(request: web.Request) -> web.Response:
    item_id = path_id(request, "inv")
    body = await parse_body(request, ItemCount)
    changes = given_fields(body)
    expected = expected_version(request, body.version)

    async def work(conn: asyncpg.Connection) -> web.Response:
        item = await stock.count(
            conn,
            request.app[STORE],
            request[IDENTITY],
            item_id=item_id,
            changes=changes,
            expected=expected,
        )
        return _answer(item)

    return await write(request, work)


@routes.post("/api/v1/inventory/{id}/adjustments")
async def adjust(request: web.Request) -> web.Response:
    item_id = path_id(request, "inv")
    body = await parse_body(request, AdjustmentCreate)
    expected = expected_version(request)

    async def work(conn: asyncpg.Connection) -> web.Response:
        item = await stock.adjust(
            conn,
            request.app[STORE],
            request[IDENTITY],
            item_id=item_id,
            delta=body.delta,
            reason=body.reason,
            expected=expected,
        )
        return _answer(item, 201)

    return await write(request, work)


@routes.get("/api/v1/inventory/{id}/adjustments")
async def ledger(request: web.Request) -> web.Response:
    item_id = path_id(request, "inv")
    query = parse_query(request, AdjustmentList)
    who = request[IDENTITY]
    where = Where(
        ("item_id = {}", item_id),
        ("organization_id = {}", who.organization_id),
        ("mode = {}", who.mode),
    )
    if not await request.app[POOL].fetchval(
        "SELECT 1 FROM inventory_items WHERE id = $1 AND organization_id = $2 AND mode = $3",
        item_id,
        who.organization_id,
        who.mode,
    ):
        raise NotFound(f"No inventory item {item_id}.")
    rows, pagination = await fetch_page(
        request.app[POOL], table="adjustments", where=where, query=query
    )
    return ok(
        [
            {
                "id": r["id"],
                "inventoryItemId": r["item_id"],
                "delta": r["delta"],
                "reason": r["reason"],
                "orderId": r["order_id"],
                "onHandAfter": r["on_hand_after"],
                "createdAt": rfc3339(r["created_at"]),
            }
            for r in rows
        ],
        pagination=pagination,
    )
