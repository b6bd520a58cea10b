"""/api/v1/locations."""

import asyncpg
from aiohttp import web

from libs.common.errors import NotFound
from libs.common.identity import IDENTITY
from libs.common.listing import Where, fetch_page
from libs.common.validation import given_fields, parse_body, parse_query, path_id
from libs.common.web import POOL, STORE, ok
from libs.common.writes import etag, expected_version, write
from libs.contract.inventory import (
    LOCATION_REQUIRED,
    LocationCreate,
    LocationList,
    LocationUpdate,
)
from services.inventory.domain.locations import Location
from services.inventory.service import locations

routes = web.RouteTableDef()


def _answer(location: Location, status: int = 200) -> web.Response:
    headers = etag(location.version)
    if status == 201:
        headers["Location"] = f"/api/v1/locations/{location.id}"
    return ok(location.public(), status=status, headers=headers)


def _from_row(row: asyncpg.Record) -> Location:
    return Location(
        id=row["id"],
        organization_id=row["organization_id"],
        mode=row["mode"],
        name=row["name"],
        is_default=row["is_default"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        version=row["version"],
        address=row["address"],
        metadata=row["metadata"],
    )


@routes.post("/api/v1/locations")
async def create(request: web.Request) -> web.Response:
    body = await parse_body(request, LocationCreate)

    async def work(conn: asyncpg.Connection) -> web.Response:
        location = await locations.create(
            conn,
            request.app[STORE],
            request[IDENTITY],
            name=body.name,
            address=body.address,
            metadata=body.metadata,
        )
        return _answer(location, 201)

    return await write(request, work)


@routes.get("/api/v1/locations")
async def list_locations(request: web.Request) -> web.Response:
    query = parse_query(request, LocationList)
    who = request[IDENTITY]
    where = Where(("organization_id = {}", who.organization_id), ("mode = {}", who.mode))
    rows, pagination = await fetch_page(
        request.app[POOL], table="locations", where=where, query=query
    )
    return ok([_from_row(r).public() for r in rows], pagination=pagination)


@routes.get("/api/v1/locations/{id}")
async def get(request: web.Request) -> web.Response:
    location_id = path_id(request, "loc")
    who = request[IDENTITY]
    row = await request.app[POOL].fetchrow(
        "SELECT * FROM locations WHERE id = $1 AND organization_id = $2 AND mode = $3",
        location_id,
        who.organization_id,
        who.mode,
    )
    if row is None:
        raise NotFound(f"No location {location_id}.")
    return _answer(_from_row(row))


@routes.patch("/api/v1/locations/{id}")
async def update(request: web.Request) -> web.Response:
    location_id = path_id(request, "loc")
    body = await parse_body(request, LocationUpdate)
    changes = given_fields(body, required=LOCATION_REQUIRED)
    expected = expected_version(request, body.version)

    async def work(conn: asyncpg.Connection) -> web.Response:
        location = await locations.change(
            conn,
            request.app[STORE],
            request[IDENTITY],
            location_id=location_id,
            changes=changes,
            expected=expected,
        )
        return _answer(location)

    return await write(request, work)
