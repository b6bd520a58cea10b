"""/api/v1/webhooks: endpoints and their secrets."""

import asyncpg
from aiohttp import web

from libs.common.identity import IDENTITY
from libs.common.listing import Where, fetch_page
from libs.common.validation import given_fields, parse_body, parse_query, path_id
from libs.common.web import POOL, STORE, ok
from libs.common.writes import etag, expected_version, write
from libs.contract.webhooks import (
    ENDPOINT_REQUIRED,
    EndpointCreate,
    EndpointList,
    EndpointUpdate,
    Rotate,
)
from services.webhooks import service
from services.webhooks.adapters.projections import endpoint_from_row
from services.webhooks.adapters.secrets import SecretBox
from services.webhooks.adapters.targets import vet_url
from services.webhooks.domain.endpoints import Endpoint
from services.webhooks.domain.targets import Network
from services.webhooks.settings import WEBHOOKS_SETTINGS

routes = web.RouteTableDef()
SECRET_BOX = web.AppKey("secret_box", SecretBox)


def _private_networks(request: web.Request) -> list[Network]:
    return list(request.app[WEBHOOKS_SETTINGS].allowed_private_networks)


def _answer(endpoint: Endpoint, status: int = 200, **extra: object) -> web.Response:
    return ok({**endpoint.public(), **extra}, status=status, headers=etag(endpoint.version))


@routes.post("/api/v1/webhooks")
async def create(request: web.Request) -> web.Response:
    body = await parse_body(request, EndpointCreate)
    await vet_url(body.url, private_networks=_private_networks(request))

    async def work(conn: asyncpg.Connection) -> web.Response:
        endpoint, secret = await service.create(
            conn,
            request.app[STORE],
            request.app[SECRET_BOX],
            request[IDENTITY],
            url=body.url,
            events=body.events,
            description=body.description,
            enabled=body.enabled,
        )
        return _answer(endpoint, 201, secret=secret)

    return await write(request, work)


@routes.get("/api/v1/webhooks")
async def list_endpoints(request: web.Request) -> web.Response:
    query = parse_query(request, EndpointList)
    who = request[IDENTITY]
    where = Where(("organization_id = {}", who.organization_id), ("mode = {}", who.mode))
    where.clauses.append("deleted_at IS NULL")
    rows, pagination = await fetch_page(
        request.app[POOL], table="endpoints", where=where, query=query
    )
    return ok([endpoint_from_row(r).public() for r in rows], pagination=pagination)


async def _mine(request: web.Request) -> Endpoint:
    endpoint_id = path_id(request, "we")
    who = request[IDENTITY]
    row = await request.app[POOL].fetchrow(
        "SELECT * FROM endpoints WHERE id = $1 AND organization_id = $2 AND mode = $3"
        " AND deleted_at IS NULL",
        endpoint_id,
        who.organization_id,
        who.mode,
    )
    if row is None:
        raise service.EndpointNotFound(endpoint_id)
    return endpoint_from_row(row)


@routes.get("/api/v1/webhooks/{id}")
async def get(request: web.Request) -> web.Response:
    return _answer(await _mine(request))


@routes.get("/api/v1/webhooks/{id}/secret")
async def secret(request: web.Request) -> web.Response:
    endpoint = await _mine(request)
    box = request.app[SECRET_BOX]
    return ok(
        {
            "secret": box.open(endpoint.secret),
            "previousSecretExpiresAt": endpoint.state()["previousExpiresAt"],
        }
    )


@routes.patch("/api/v1/webhooks/{id}")
async def update(request: web.Request) -> web.Response:
    endpoint_id = path_id(request, "we")
    body = await parse_body(request, EndpointUpdate)
    changes = given_fields(body, required=ENDPOINT_REQUIRED)
    if "url" in changes:
        await vet_url(changes["url"], private_networks=_private_networks(request))
    expected = expected_version(request, body.version)

    async def work(conn: asyncpg.Connection) -> web.Response:
        endpoint = await service.change(
            conn,
            request.app[STORE],
            request[IDENTITY],
            endpoint_id=endpoint_id,
            changes=changes,
            expected=expected,
        )
        return _answer(endpoint)

    return await write(request, work)


@routes.delete("/api/v1/webhooks/{id}")
async def delete(request: web.Request) -> web.Response:
    endpoint_id = path_id(request, "we")

    async def work(conn: asyncpg.Connection) -> web.Response:
        endpoint = await service.delete(conn, request.app[STORE], request[IDENTITY], endpoint_id)
        return ok({"id": endpoint.id, "deleted": True})

    return await write(request, work)


@routes.post("/api/v1/webhooks/{id}/rotate-secret")
async def rotate(request: web.Request) -> web.Response:
    endpoint_id = path_id(request, "we")
    body = await parse_body(request, Rotate) if request.can_read_body else Rotate()

    async def work(conn: asyncpg.Connection) -> web.Response:
        endpoint, new_secret = await service.rotate(
            conn,
            request.app[STORE],
            request.app[SECRET_BOX],
            request[IDENTITY],
            endpoint_id=endpoint_id,
            keep_old_for=body.expires_in_seconds,
        )
        return _answer(
            endpoint,
            secret=new_secret,
            previousSecretExpiresAt=endpoint.state()["previousExpiresAt"],
        )

    return await write(request, work)


@routes.post("/api/v1/webhooks/{id}/test")
async def test(request: web.Request) -> web.Response:
    endpoint_id = path_id(request, "we")

    async def work(conn: asyncpg.Connection) -> web.Response:
        event_id, delivery_id = await service.send_test(
            conn, request.app[STORE], request[IDENTITY], endpoint_id
        )
        return ok({"eventId": event_id, "deliveryId": delivery_id, "status": "pending"}, status=202)

    return await write(request, work)
