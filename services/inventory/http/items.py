"""/api/v1/inventory: items, physical counts, adjustments and the ledger."""

from aiohttp import web

from libs.common.errors import NotFound
from libs.common.identity import IDENTITY, Identity
from libs.common.internal import SERVICE_CLIENT
from libs.common.kit import OperationRoutes, get_one, history_page, list_page, owner, write_one
from libs.common.listing import fetch_page
from libs.common.validation import given_fields, parse_body, parse_query, path_id
from libs.common.web import POOL, STORE, ok
from libs.common.writes import etag, expected_version
from libs.contract.inventory import (
    OPERATIONS,
    AdjustmentCreate,
    AdjustmentList,
    EventList,
    InventoryItemRead,
    ItemCount,
    ItemList,
)
from services.inventory.adapters import ledger
from services.inventory.service import stock

routes = OperationRoutes(OPERATIONS)


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
    facts = stock.ProductInfo(
        id=product["id"],
        track_inventory=product["trackInventory"],
        inventory_policy=product["inventoryPolicy"],
        low_stock_threshold=product["lowStockThreshold"],
        version=product["version"],
    )
    async with pool.acquire() as conn, conn.transaction():
        await stock.upsert_product(conn, who=who, product=facts)
        await stock.ensure_items_for_product(
            conn, store=request.app[STORE], who=who, product_id=facts.id
        )


@routes.op("listInventoryItems")
async def list_items(request: web.Request) -> web.Response:
    query = parse_query(request, ItemList)
    where = owner(request)
    if query.product_id is not None:
        await _learn_product(request, request[IDENTITY], query.product_id)
        where.add("product_id = {}", query.product_id)
    if query.location_id is not None:
        where.add("location_id = {}", query.location_id)
    if query.low_stock is not None:
        condition = "on_hand - committed < low_stock_threshold"
        where.clauses.append(condition if query.low_stock else f"NOT coalesce({condition}, false)")
    return await list_page(
        request, table="inventory_items", model=InventoryItemRead, where=where, query=query
    )


@routes.op("getInventoryItem")
async def get(request: web.Request) -> web.Response:
    return await get_one(request, table="inventory_items", model=InventoryItemRead, prefix="inv")


@routes.op("setInventoryCount")
async def count(request: web.Request) -> web.Response:
    item_id = path_id(request, "inv")
    body = await parse_body(request, ItemCount)
    changes = given_fields(body)
    expected = expected_version(request, body.version)
    return await write_one(
        request,
        lambda conn: stock.count(
            conn,
            store=request.app[STORE],
            who=request[IDENTITY],
            item_id=item_id,
            changes=changes,
            expected=expected,
        ),
    )


@routes.op("createInventoryAdjustment")
async def adjust(request: web.Request) -> web.Response:
    item_id = path_id(request, "inv")
    body = await parse_body(request, AdjustmentCreate)
    expected = expected_version(request)
    return await write_one(
        request,
        lambda conn: stock.adjust(
            conn,
            store=request.app[STORE],
            who=request[IDENTITY],
            item_id=item_id,
            delta=body.delta,
            reason=body.reason,
            expected=expected,
        ),
        # 201 with the item it changed; the ledger line has no URL of its own to point at.
        respond=lambda item: ok(item.dump(), status=201, headers=etag(item.version)),
    )


@routes.op("listInventoryAdjustments")
async def list_adjustments(request: web.Request) -> web.Response:
    item_id = path_id(request, "inv")
    query = parse_query(request, AdjustmentList)
    item = owner(request).add("id = {}", item_id)
    pool = request.app[POOL]
    if not await pool.fetchval(f"SELECT 1 FROM inventory_items WHERE {item.sql()}", *item.params):
        raise NotFound(f"No inventory item {item_id}.")
    where = owner(request).add(f"{ledger.ITEM_COLUMN} = {{}}", item_id)
    rows, pagination = await fetch_page(pool, table="adjustments", where=where, query=query)
    return ok([ledger.from_row(r).dump() for r in rows], pagination=pagination)


@routes.op("listInventoryItemEvents")
async def history(request: web.Request) -> web.Response:
    return await history_page(request, prefix="inv", kind="inventory item", query_model=EventList)
