"""/api/v1/categories."""

from aiohttp import web

from libs.common.identity import IDENTITY
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
    CategoryCreate,
    CategoryList,
    CategoryRead,
    CategoryUpdate,
    EventList,
)
from services.catalog import service

routes = OperationRoutes(OPERATIONS)


@routes.op("createCategory")
async def create(request: web.Request) -> web.Response:
    body = await parse_body(request, CategoryCreate)
    return await write_one(
        request,
        lambda conn: service.create_category(
            conn, store=request.app[STORE], who=request[IDENTITY], values=body
        ),
        status=201,
    )


@routes.op("listCategories")
async def list_categories(request: web.Request) -> web.Response:
    query = parse_query(request, CategoryList)
    where = owner(request, live=True)
    if query.parent_id is not None:
        where.add("parent_id = {}", query.parent_id)
    if query.q is not None:
        where.contains("name", query.q)
    return await list_page(
        request, table="categories", model=CategoryRead, where=where, query=query
    )


@routes.op("getCategory")
async def get(request: web.Request) -> web.Response:
    return await get_one(request, table="categories", model=CategoryRead, prefix="cat", live=True)


@routes.op("updateCategory")
async def update(request: web.Request) -> web.Response:
    category_id = path_id(request, "cat")
    body = await parse_body(request, CategoryUpdate)
    changes = given_fields(body)
    expected = expected_version(request, body.version)
    return await write_one(
        request,
        lambda conn: service.change_category(
            conn,
            store=request.app[STORE],
            who=request[IDENTITY],
            category_id=category_id,
            changes=changes,
            expected=expected,
        ),
    )


@routes.op("deleteCategory")
async def delete(request: web.Request) -> web.Response:
    category_id = path_id(request, "cat")
    expected = expected_version(request)
    return await write_one(
        request,
        lambda conn: service.delete_category(
            conn,
            store=request.app[STORE],
            who=request[IDENTITY],
            category_id=category_id,
            expected=expected,
        ),
        respond=answer_deleted,
    )


@routes.op("listCategoryEvents")
async def history(request: web.Request) -> web.Response:
    return await history_page(request, prefix="cat", kind="category", query_model=EventList)
