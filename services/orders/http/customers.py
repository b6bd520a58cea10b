"""/api/v1/customers: parse, run the use case in the shared write path, answer."""

from aiohttp import web

from libs.common import kit
from libs.common.validation import given_fields, parse_body, parse_query, path_id
from libs.common.writes import expected_version
from libs.contract.orders import (
    OPERATIONS,
    CustomerCreate,
    CustomerList,
    CustomerRead,
    CustomerReplace,
    CustomerUpdate,
    EventList,
)
from services.orders import service
from services.orders.domain import customers

routes = kit.OperationRoutes(OPERATIONS)


@routes.op("createCustomer")
async def create(request: web.Request) -> web.Response:
    body = await parse_body(request, CustomerCreate)
    return await kit.write_one(
        request, kit.use_case(request, service.create_customer, values=body), status=201
    )


@routes.op("listCustomers")
async def list_customers(request: web.Request) -> web.Response:
    query = parse_query(request, CustomerList)
    where = kit.owner(request)
    if query.email is not None:
        where.add("lower(email) = lower({})", query.email)
    if query.q is not None:
        where.contains("search_text", query.q)  # name and email: migration 0002
    return await kit.list_page(
        request, table="customers", model=CustomerRead, where=where, query=query
    )


@routes.op("getCustomer")
async def get(request: web.Request) -> web.Response:
    return await kit.get_one(request, table="customers", model=CustomerRead, prefix="cus")


async def _change(request: web.Request, body: CustomerUpdate | CustomerReplace) -> web.Response:
    customer_id = path_id(request, "cus")
    # PUT replaces every field (those left out at their defaults), PATCH the given ones.
    changes = customers.settable(body) if isinstance(body, CustomerReplace) else given_fields(body)
    change = kit.use_case(
        request,
        service.change_customer,
        customer_id=customer_id,
        changes=changes,
        expected=expected_version(request, body.version),
    )
    return await kit.write_one(request, change)


@routes.op("replaceCustomer")
async def replace(request: web.Request) -> web.Response:
    path_id(request, "cus")  # a bad id is named before the body is read
    return await _change(request, await parse_body(request, CustomerReplace))


@routes.op("updateCustomer")
async def update(request: web.Request) -> web.Response:
    path_id(request, "cus")
    return await _change(request, await parse_body(request, CustomerUpdate))


@routes.op("listCustomerEvents")
async def history(request: web.Request) -> web.Response:
    return await kit.history_page(request, prefix="cus", kind="customer", query_model=EventList)
