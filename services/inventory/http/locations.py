"""/api/v1/locations."""

from aiohttp import web

from libs.common.identity import IDENTITY
from libs.common.kit import (
    OperationRoutes,
    get_one,
    history_page,
    list_page,
    owner,
    write_one,
)
from libs.common.validation import given_fields, parse_body, parse_query, path_id
from libs.common.web import STORE
from libs.common.writes import expected_version
from libs.contract.inventory import (
    LOCATION_REQUIRED,
    OPERATIONS,
    EventList,
    LocationCreate,
    LocationList,
    LocationRead,
    LocationUpdate,
)
from services.inventory.domain.locations import stream_id
from services.inventory.service import locations

routes = OperationRoutes(OPERATIONS)


@routes.op("createLocation")
async def create(request: web.Request) -> web.Response:
    body = await parse_body(request, LocationCreate)
    return await write_one(
        request,
        lambda conn: locations.create(
            conn, store=request.app[STORE], who=request[IDENTITY], values=body
        ),
        status=201,
    )


@routes.op("listLocations")
async def list_locations(request: web.Request) -> web.Response:
    query = parse_query(request, LocationList)
    return await list_page(
        request, table="locations", model=LocationRead, where=owner(request), query=query
    )


@routes.op("getLocation")
async def get(request: web.Request) -> web.Response:
    return await get_one(request, table="locations", model=LocationRead, prefix="loc")


@routes.op("updateLocation")
async def update(request: web.Request) -> web.Response:
    location_id = path_id(request, "loc")
    body = await parse_body(request, LocationUpdate)
    changes = given_fields(body, required=LOCATION_REQUIRED)
    expected = expected_version(request, body.version)
    return await write_one(
        request,
        lambda conn: locations.change(
            conn,
            store=request.app[STORE],
            who=request[IDENTITY],
            location_id=location_id,
            changes=changes,
            expected=expected,
        ),
    )


@routes.op("listLocationEvents")
async def history(request: web.Request) -> web.Response:
    return await history_page(
        request,
        prefix="loc",
        kind="location",
        query_model=EventList,
        stream=lambda location_id, who: stream_id(location_id, who.mode),
    )
