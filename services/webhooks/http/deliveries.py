"""/api/v1/webhooks/:id/deliveries, retries and recovery: every attempt, visible."""

import asyncpg
from aiohttp import web

from libs.common.errors import NotFound
from libs.common.identity import IDENTITY, callers
from libs.common.kit import OperationRoutes
from libs.common.listing import Where, fetch_page
from libs.common.validation import parse_body, parse_query, path_id
from libs.common.web import POOL, STORE, ok
from libs.common.writes import write
from libs.contract.deliveries import DeliveryDetail, DeliveryQueued
from libs.contract.webhooks import OPERATIONS, DeliveryList, Recover
from services.webhooks import actions
from services.webhooks.adapters.delivery_views import attempt_read, delivery_read
from services.webhooks.http.endpoints import mine

routes = OperationRoutes(OPERATIONS)


@routes.op("listWebhookDeliveries")
@callers("gateway", "dashboard")
async def list_deliveries(request: web.Request) -> web.Response:
    endpoint = await mine(request)
    query = parse_query(request, DeliveryList)
    where = Where(("endpoint_id = {}", endpoint.id))
    if query.status is not None:
        where.add("status = {}", query.status)
    if query.event is not None:
        where.add("event_type = {}", query.event)
    rows, pagination = await fetch_page(
        request.app[POOL], table="deliveries", where=where, query=query
    )
    return ok([delivery_read(r).dump() for r in rows], pagination=pagination)


@routes.op("getWebhookDelivery")
@callers("gateway", "dashboard")
async def get(request: web.Request) -> web.Response:
    endpoint = await mine(request)
    delivery_id = path_id(request, "del", name="deliveryId")
    pool = request.app[POOL]
    row = await pool.fetchrow(
        "SELECT * FROM deliveries WHERE id = $1 AND endpoint_id = $2", delivery_id, endpoint.id
    )
    if row is None:
        raise NotFound(f"No {DeliveryDetail.kind} {delivery_id}.")
    attempts = await pool.fetch(
        "SELECT * FROM delivery_attempts WHERE delivery_id = $1 ORDER BY attempt", delivery_id
    )
    detail = DeliveryDetail(
        **dict(delivery_read(row)), attempt_log=[attempt_read(a) for a in attempts]
    )
    return ok(detail.dump())


@routes.op("retryWebhookDelivery")
@callers("gateway", "dashboard")
async def retry(request: web.Request) -> web.Response:
    endpoint = await mine(request)
    delivery_id = path_id(request, "del", name="deliveryId")

    async def work(conn: asyncpg.Connection) -> web.Response:
        if not await actions.retry(
            conn,
            store=request.app[STORE],
            who=request[IDENTITY],
            endpoint_id=endpoint.id,
            delivery_id=delivery_id,
        ):
            raise NotFound(f"No {DeliveryDetail.kind} {delivery_id}.")
        return ok(DeliveryQueued(id=delivery_id).dump(), status=202)

    return await write(request, work)


@routes.op("recoverWebhookDeliveries")
@callers("gateway", "dashboard")
async def recover(request: web.Request) -> web.Response:
    endpoint_id = path_id(request, "we")
    body = await parse_body(request, Recover)

    async def work(conn: asyncpg.Connection) -> web.Response:
        recovered = await actions.recover(
            conn,
            store=request.app[STORE],
            who=request[IDENTITY],
            endpoint_id=endpoint_id,
            since=body.since,
        )
        return ok(recovered.dump(), status=202)

    return await write(request, work)
