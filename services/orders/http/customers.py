"""/api/v1/customers."""

import asyncpg
from aiohttp import web

from libs.common.clock import rfc3339
from libs.common.errors import NotFound
from libs.common.identity import IDENTITY
from libs.common.listing import Where, fetch_page
from libs.common.validation import given_fields, parse_body, parse_query, path_id
from libs.common.web import POOL, STORE, ok
from libs.common.writes import etag, expected_version, write
from libs.contract.orders import (
    CUSTOMER_REQUIRED,
    CustomerCreate,
    CustomerList,
    CustomerReplace,
    CustomerUpdate,
)
from services.orders import service
from services.orders.domain.customers import CustomerFields

routes = web.RouteTableDef()


def public(row: asyncpg.Record) -> dict[str, object]:
    return {
        "id": row["id"],
        "email": row["email"],
        "firstName": row["first_name"],
        "lastName": row["last_name"],
        "phone": row["phone"],
        "note": row["note"],
        "metadata": row["metadata"],
        "ordersCount": row["orders_count"],
        "totalSpent": row["total_spent"],
        "version": row["version"],
        "createdAt": rfc3339(row["created_at"]),
        "updatedAt": rfc3339(row["updated_at"]),
    }


def _fields(body: CustomerCreate) -> CustomerFields:
    return CustomerFields(
        email=str(body.email),
        first_name=body.first_name,
        last_name=body.last_name,
        phone=body.phone,
        note=body.note,
        metadata=body.metadata,
    )


def _answer(data: dict[str, object], status: int = 200) -> web.Response:
    headers = etag(int(data["version"]))  # type: ignore[call-overload]
    if status == 201:
        headers["Location"] = f"/api/v1/customers/{data['id']}"
    return ok(data, status=status, headers=headers)


@routes.post("/api/v1/customers")
async def create(request: web.Request) -> web.Response:
    body = await parse_body(request, CustomerCreate)

    async def work(conn: asyncpg.Connection) -> web.Response:
        data = await service.create_customer(
            conn, request.app[STORE], request[IDENTITY], _fields(body)
        )
        return _answer(data, 201)

    return await write(request, work)


@routes.get("/api/v1/customers")
async def list_customers(request: web.Request) -> web.Response:
    query = parse_query(request, CustomerList)
    who = request[IDENTITY]
    where = Where(("organization_id = {}", who.organization_id), ("mode = {}", who.mode))
    if query.email is not None:
        where.add("lower(email) = lower({})", query.email)
    if query.q is not None:
        where.contains("search_text", query.q)  # name and email: migration 0002
    rows, pagination = await fetch_page(
        request.app[POOL], table="customers", where=where, query=query
    )
    return ok([public(r) for r in rows], pagination=pagination)


@routes.get("/api/v1/customers/{id}")
async def get(request: web.Request) -> web.Response:
    customer_id = path_id(request, "cus")
    who = request[IDENTITY]
    row = await request.app[POOL].fetchrow(
        "SELECT * FROM customers WHERE id = $1 AND organization_id = $2 AND mode = $3",
        customer_id,
        who.organization_id,
        who.mode,
    )
    if row is None:
        raise NotFound(f"No customer {customer_id}.")
    return _answer(public(row))


async def _change(
    request: web.Request, changes: dict[str, object], expected: int | None
) -> web.Response:
    customer_id = path_id(request, "cus")

    async def work(conn: asyncpg.Connection) -> web.Response:
        data = await service.change_customer(
            conn,
            request.app[STORE],
            request[IDENTITY],
            customer_id=customer_id,
            changes=changes,
            expected=expected,
        )
        return _answer(data)

    return await write(request, work)


@routes.put("/api/v1/customers/{id}")
async def replace(request: web.Request) -> web.Response:
    path_id(request, "cus")
    body = await parse_body(request, CustomerReplace)
    fields = _fields(body)
    return await _change(
        request,
        {
            name: getattr(fields, name)
            for name in ("email", "first_name", "last_name", "phone", "note", "metadata")
        },
        expected_version(request, body.version),
    )


@routes.patch("/api/v1/customers/{id}")
async def update(request: web.Request) -> web.Response:
    path_id(request, "cus")
    body = await parse_body(request, CustomerUpdate)
    changes = given_fields(body, required=CUSTOMER_REQUIRED)
    if "email" in changes:
        changes["email"] = str(changes["email"])
    return await _change(request, changes, expected_version(request, body.version))
