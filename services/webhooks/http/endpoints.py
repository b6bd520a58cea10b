"""/api/v1/webhooks: endpoints and their secrets."""

import asyncpg
from aiohttp import web

from libs.common.errors import NotFound
from libs.common.identity import IDENTITY, callers
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
from libs.common.web import POOL, STORE, ok
from libs.common.writes import expected_version, write
from libs.contract.catalog import EventList
from libs.contract.webhooks import (
    ENDPOINT_REQUIRED,
    OPERATIONS,
    EndpointCreate,
    EndpointList,
    EndpointUpdate,
    Rotate,
    WebhookEndpointRead,
)
from services.webhooks import actions, service
from services.webhooks.adapters.secrets import SecretBox
from services.webhooks.adapters.targets import vet_url
from services.webhooks.domain.endpoints import Endpoint
from services.webhooks.settings import WEBHOOKS_SETTINGS

routes = OperationRoutes(OPERATIONS)
SECRET_BOX = web.AppKey("secret_box", SecretBox)


async def mine(request: web.Request) -> Endpoint:
    """The caller's endpoint of the path, with its sealed secrets (404 if deleted)."""
    endpoint_id = path_id(request, "we")
    where = owner(request, live=True).add("id = {}", endpoint_id)
    row = await request.app[POOL].fetchrow(
        f"SELECT * FROM endpoints WHERE {where.sql()}", *where.params
    )
    if row is None:
        raise NotFound(f"No {Endpoint.kind} {endpoint_id}.")
    return Endpoint.model_validate(dict(row))


async def _vet(request: web.Request, url: str) -> None:
    await vet_url(
        url, private_networks=list(request.app[WEBHOOKS_SETTINGS].allowed_private_networks)
    )


@routes.op("createWebhookEndpoint")
@callers("gateway", "dashboard")
async def create(request: web.Request) -> web.Response:
    body = await parse_body(request, EndpointCreate)
    await _vet(request, body.url)
    return await write_one(
        request,
        lambda conn: service.create(
            conn,
            store=request.app[STORE],
            box=request.app[SECRET_BOX],
            who=request[IDENTITY],
            url=body.url,
            events=body.events,
            description=body.description,
            enabled=body.enabled,
        ),
        status=201,
    )


@routes.op("listWebhookEndpoints")
@callers("gateway", "dashboard")
async def list_endpoints(request: web.Request) -> web.Response:
    query = parse_query(request, EndpointList)
    where = owner(request, live=True)
    return await list_page(
        request, table="endpoints", model=WebhookEndpointRead, where=where, query=query
    )


@routes.op("getWebhookEndpoint")
@callers("gateway", "dashboard")
async def get(request: web.Request) -> web.Response:
    return await get_one(
        request, table="endpoints", model=WebhookEndpointRead, prefix="we", live=True
    )


@routes.op("getWebhookSecret")
@callers("gateway", "dashboard")
async def secret(request: web.Request) -> web.Response:
    endpoint_id = path_id(request, "we")

    async def work(conn: asyncpg.Connection) -> web.Response:
        # Recorded in the same transaction: no secret leaves without its record.
        revealed = await actions.reveal(
            conn,
            store=request.app[STORE],
            box=request.app[SECRET_BOX],
            who=request[IDENTITY],
            endpoint_id=endpoint_id,
        )
        return ok(revealed.dump())

    return await write(request, work)


@routes.op("updateWebhookEndpoint")
@callers("gateway", "dashboard")
async def update(request: web.Request) -> web.Response:
    endpoint_id = path_id(request, "we")
    body = await parse_body(request, EndpointUpdate)
    changes = given_fields(body, required=ENDPOINT_REQUIRED)
    if "url" in changes:
        await _vet(request, changes["url"])
    expected = expected_version(request, body.version)
    return await write_one(
        request,
        lambda conn: service.change(
            conn,
            store=request.app[STORE],
            who=request[IDENTITY],
            endpoint_id=endpoint_id,
            changes=changes,
            expected=expected,
        ),
    )


@routes.op("deleteWebhookEndpoint")
@callers("gateway", "dashboard")
async def delete(request: web.Request) -> web.Response:
    endpoint_id = path_id(request, "we")
    expected = expected_version(request, None)
    return await write_one(
        request,
        lambda conn: service.delete(
            conn,
            store=request.app[STORE],
            who=request[IDENTITY],
            endpoint_id=endpoint_id,
            expected=expected,
        ),
        respond=answer_deleted,
    )


@routes.op("listWebhookEndpointEvents")
@callers("gateway", "dashboard")
async def history(request: web.Request) -> web.Response:
    # The endpoint's events carry its sealed secrets: each is shown as GET shows it.
    return await history_page(
        request,
        prefix="we",
        kind=WebhookEndpointRead.kind,
        query_model=EventList,
        shown=WebhookEndpointRead,
    )


@routes.op("rotateWebhookSecret")
@callers("gateway", "dashboard")
async def rotate(request: web.Request) -> web.Response:
    endpoint_id = path_id(request, "we")
    body = await parse_body(request, Rotate) if request.can_read_body else Rotate()
    return await write_one(
        request,
        lambda conn: service.rotate(
            conn,
            store=request.app[STORE],
            box=request.app[SECRET_BOX],
            who=request[IDENTITY],
            endpoint_id=endpoint_id,
            keep_old_for=body.expires_in_seconds,
        ),
    )


@routes.op("sendTestWebhook")
@callers("gateway", "dashboard")
async def test(request: web.Request) -> web.Response:
    endpoint_id = path_id(request, "we")

    async def work(conn: asyncpg.Connection) -> web.Response:
        queued = await actions.send_test(
            conn, store=request.app[STORE], who=request[IDENTITY], endpoint_id=endpoint_id
        )
        return ok(queued.dump(), status=202)

    return await write(request, work)
