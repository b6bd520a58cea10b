"""/api/v1/webhooks/:id/deliveries, retries and recovery: every attempt, visible."""

from typing import Any

import asyncpg
from aiohttp import web

from libs.common.clock import rfc3339
from libs.common.errors import NotFound
from libs.common.identity import IDENTITY
from libs.common.listing import Where, fetch_page
from libs.common.validation import parse_body, parse_query, path_id
from libs.common.web import POOL, STORE, ok
from libs.common.writes import write
from libs.contract.webhooks import DeliveryList, Recover
from services.webhooks import service
from services.webhooks.http.endpoints import _mine

routes = web.RouteTableDef()


def _delivery(row: asyncpg.Record) -> dict[str, Any]:
    def when(value: Any) -> str | None:
        return rfc3339(value) if value else None

    return {
        "id": row["id"],
        "endpointId": row["endpoint_id"],
        "eventId": row["event_id"],
        "event": row["event_type"],
        "status": row["status"],
        "attempts": row["attempts"],
        "lastStatus": row["last_status"],
        "lastError": row["last_error"],
        "nextAttemptAt": when(row["next_attempt_at"]) if row["status"] == "pending" else None,
        "createdAt": when(row["created_at"]),
        "succeededAt": when(row["succeeded_at"]),
    }


@routes.get("/api/v1/webhooks/{id}/deliveries")
async def list_deliveries(request: web.Request) -> web.Response:
    endpoint = await _mine(request)
    query = parse_query(request, DeliveryList)
    where = Where(("endpoint_id = {}", endpoint.id))
    if query.status is not None:
        where.add("status = {}", query.status)
    if query.event is not None:
        where.add("event_type = {}", query.event)
    rows, pagination = await fetch_page(
        request.app[POOL], table="deliveries", where=where, query=query
    )
    return ok([_delivery(r) for r in rows], pagination=pagination)


@routes.get("/api/v1/webhooks/{id}/deliveries/{deliveryId}")
async def get(request: web.Request) -> web.Response:
    endpoint = await _mine(request)
    delivery_id = path_id(request, "del", name="deliveryId")
    pool = request.app[POOL]
    row = await pool.fetchrow(
        "SELECT * FROM deliveries WHERE id = $1 AND endpoint_id = $2", delivery_id, endpoint.id
    )
    if row is None:
        raise NotFound(f"No delivery {delivery_id}.")
    attempts = await pool.fetch(
        "SELECT * FROM delivery_attempts WHERE delivery_id = $1 ORDER BY attempt", delivery_id
    )
    return ok(
        {
            **_delivery(row),
            "attemptLog": [
                {
                    "attempt": a["attempt"],
                    "at": rfc3339(a["started_at"]),
                    "durationMs": a["duration_ms"],
                    "httpStatus": a["http_status"],
                    "response": a["response_body"],
                    "error": a["error"],
                }
                for a in attempts
            ],
        }
    )


@routes.post("/api/v1/webhooks/{id}/deliveries/{deliveryId}/retry")
async def retry(request: web.Request) -> web.Response:
    endpoint = await _mine(request)
    delivery_id = path_id(request, "del", name="deliveryId")

    async def work(conn: asyncpg.Connection) -> web.Response:
        if not await service.retry(
            conn, request[IDENTITY], endpoint_id=endpoint.id, delivery_id=delivery_id
        ):
            raise NotFound(f"No delivery {delivery_id}.")
        return ok({"id": delivery_id, "status": "pending"}, status=202)

    return await write(request, work)


@routes.post("/api/v1/webhooks/{id}/recover")
async def recover(request: web.Request) -> web.Response:
    endpoint_id = path_id(request, "we")
    body = await parse_body(request, Recover)

    async def work(conn: asyncpg.Connection) -> web.Response:
        requeued = await service.recover(
            conn, request.app[STORE], request[IDENTITY], endpoint_id=endpoint_id, since=body.since
        )
        answer = {"requeued": len(requeued.ids), "deliveryIds": requeued.ids}
        # Failed deliveries in the range whose event is past the event log's retention.
        return ok({**answer, "skipped": len(requeued.expired)}, status=202)

    return await write(request, work)
