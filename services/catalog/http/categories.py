"""/api/v1/categories."""

import asyncpg
from aiohttp import web

from libs.common.errors import NotFound
from libs.common.identity import IDENTITY
from libs.common.listing import Where, fetch_page
from libs.common.validation import given_fields, parse_body, parse_query, path_id
from libs.common.web import POOL, STORE, ok
from libs.common.writes import etag, expected_version, write
from services.catalog import service
from services.catalog.adapters.projections import category_from_row
from services.catalog.domain.categories import Category, CategoryFields
from services.catalog.http.schemas import (
    CATEGORY_REQUIRED,
    CategoryCreate,
    CategoryList,
    CategoryUpdate,
)

routes = web.RouteTableDef()


def _answer(category: Category, status: int = 200) -> web.Response:
    headers = etag(category.version)
    if status == 201:
        headers["Location"] = f"/api/v1/categories/{category.id}"
    return ok(category.public(), status=status, headers=headers)


@routes.post("/api/v1/categories")
async def create(request: web.Request) -> web.Response:
    body = await parse_body(request, CategoryCreate)
    values = CategoryFields(
        name=body.name,
        description=body.description,
        parent_id=body.parent_id,
        metadata=body.metadata,
    )

    async def work(conn: asyncpg.Connection) -> web.Response:
        category = await service.create_category(
            conn, store=request.app[STORE], who=request[IDENTITY], values=values
        )
        return _answer(category, 201)

    return await write(request, work)


@routes.get("/api/v1/categories")
async def list_categories(request: web.Request) -> web.Response:
    query = parse_query(request, CategoryList)
    who = request[IDENTITY]
    where = Where(("organization_id = {}", who.organization_id), ("mode = {}", who.mode))
    where.clauses.append("deleted_at IS NULL")
    if query.parent_id is not None:
        where.add("parent_id = {}", query.parent_id)
    if query.q is not None:
        where.contains("name", query.q)
    rows, pagination = await fetch_page(
        request.app[POOL], table="categories", where=where, query=query
    )
    return ok([category_from_row(r).public() for r in rows], pagination=pagination)


@routes.get("/api/v1/categories/{id}")
async def get(request: web.Request) -> web.Response:
    category_id = path_id(request, "cat")
    who = request[IDENTITY]
    row = await request.app[POOL].fetchrow(
        "SELECT * FROM categories WHERE id = $1 AND organization_id = $2 AND mode = $3"
        " AND deleted_at IS NULL",
        category_id,
        who.organization_id,
        who.mode,
    )
    if row is None:
        raise NotFound(f"No category {category_id}.")
    return _answer(category_from_row(row))


@routes.patch("/api/v1/categories/{id}")
async def update(request: web.Request) -> web.Response:
    category_id = path_id(request, "cat")
    body = await parse_body(request, CategoryUpdate)
    changes = given_fields(body, required=CATEGORY_REQUIRED)
    expected = expected_version(request, body.version)

    async def work(conn: asyncpg.Connection) -> web.Response:
        category = await service.change_category(
            conn,
            store=request.app[STORE],
            who=request[IDENTITY],
            category_id=category_id,
            changes=changes,
            expected=expected,
        )
        return _answer(category)

    return await write(request, work)


@routes.delete("/api/v1/categories/{id}")
async def delete(request: web.Request) -> web.Response:
    category_id = path_id(request, "cat")
    expected = expected_version(request)

    async def work(conn: asyncpg.Connection) -> web.Response:
        category = await service.delete_category(
            conn,
            store=request.app[STORE],
            who=request[IDENTITY],
            category_id=category_id,
            expected=expected,
        )
        return ok({"id": category.id, "deleted": True}, headers=etag(category.version))

    return await write(request, work)
