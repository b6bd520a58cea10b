"""/api/v1/events: every public event of the organization and mode, as webhooks carry it,
so a client that missed deliveries can reconcile."""

from aiohttp import web

from libs.common.errors import NotFound
from libs.common.identity import IDENTITY, callers
from libs.common.kit import OperationRoutes
from libs.common.listing import Where, fetch_page
from libs.common.validation import parse_query, path_id
from libs.common.web import POOL, ok
from libs.contract.events import PUBLIC_EVENTS, EventRead
from libs.contract.webhooks import OPERATIONS, EventQuery

routes = OperationRoutes(OPERATIONS)


@routes.op("listEvents")
@callers("gateway", "dashboard")
async def list_events(request: web.Request) -> web.Response:
    query = parse_query(request, EventQuery)
    who = request[IDENTITY]
    where = Where(
        ("organization_id = {}", who.organization_id),
        ("mode = {}", who.mode),
        ("type = ANY({})", sorted(PUBLIC_EVENTS)),
    )
    if query.type is not None:
        where.add("type = {}", query.type)
    # An event's time is when it happened (occurred_at), not when this log received it.
    if query.created_after is not None:
        where.add("occurred_at > {}", query.created_after)
    if query.created_before is not None:
        where.add("occurred_at < {}", query.created_before)
    rows, pagination = await fetch_page(
        request.app[POOL],
        table="event_log",
        where=where,
        query=query.model_copy(update={"created_after": None, "created_before": None}),
    )
    return ok([EventRead.model_validate(r["body"]).dump() for r in rows], pagination=pagination)


@routes.op("getEvent")
@callers("gateway", "dashboard")
async def get(request: web.Request) -> web.Response:
    event_id = path_id(request, "evt")
    who = request[IDENTITY]
    body = await request.app[POOL].fetchval(
        "SELECT body FROM event_log WHERE id = $1 AND organization_id = $2 AND mode = $3"
        " AND type = ANY($4)",
        event_id,
        who.organization_id,
        who.mode,
        sorted(PUBLIC_EVENTS),
    )
    if body is None:
        raise NotFound(f"No event {event_id}.")
    return ok(EventRead.model_validate(body).dump())
