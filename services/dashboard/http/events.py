"""Events: the mode's events by type and date, and one event as its deliveries carried it,
with the endpoints it went to."""

from datetime import date, timedelta
from typing import Any

import orjson
from aiohttp import web

from libs.common.roles import Action
from services.dashboard.adapters.backends import BackendError
from services.dashboard.http.callers import WEBHOOKS, who
from services.dashboard.http.pages import STATUS, PageRoutes
from services.dashboard.http.webhooks import EVENT_TYPES

routes = PageRoutes()


def _day(value: str, *, field: str, errors: dict[str, str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors[field] = "Give a date as YYYY-MM-DD."
        return None


@routes.page("events", "GET", "/{mode}/events", action=Action.READ, title="Events")
async def events(request: web.Request) -> dict[str, Any]:
    """Days in UTC, both ends included: `from` is that day's start, `to` the next day's."""
    query = request.query
    kind = query.get("type", "")
    errors: dict[str, str] = {}
    start = _day(query.get("from", ""), field="from", errors=errors)
    end = _day(query.get("to", ""), field="to", errors=errors)
    filters = {"type": kind, "from": query.get("from", ""), "to": query.get("to", "")}
    listed: dict[str, Any] = {"data": [], "hasMore": False, "nextCursor": None}
    if errors:
        request[STATUS] = 400
    else:
        try:
            listed = await request.app[WEBHOOKS].page(
                who(request),
                "/api/v1/events",
                limit=25,
                type=kind if kind in EVENT_TYPES else None,
                # Strictly after the moment before the day starts: the day's first event too.
                createdAfter=f"{start - timedelta(days=1)}T23:59:59.999999Z" if start else None,
                createdBefore=f"{end + timedelta(days=1)}T00:00:00Z" if end else None,
                startingAfter=query.get("startingAfter"),
            )
        except BackendError as exc:
            if exc.status != 400:
                raise
            request[STATUS] = 400
            errors[exc.field or "type"] = exc.message
    return {
        "events": listed["data"],
        "hasMore": listed["hasMore"],
        "nextCursor": listed["nextCursor"],
        "filters": filters,
        "eventTypes": EVENT_TYPES,
        "errors": errors,
    }


@routes.page("event", "GET", "/{mode}/events/{id}", action=Action.READ, title="Event")
async def event(request: web.Request) -> dict[str, Any]:
    event_id = request.match_info["id"]
    backend = request.app[WEBHOOKS]
    found = await backend.call(who(request), "GET", f"/api/v1/events/{event_id}")
    went_to = await backend.call(who(request), "GET", f"/internal/v1/events/{event_id}/deliveries")
    return {
        "event": found,
        # The event as deliveries carry it, indented for reading; fields in their order.
        "json": orjson.dumps(found, option=orjson.OPT_INDENT_2).decode(),
        "deliveries": went_to,
    }
