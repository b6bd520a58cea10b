"""The request log and usage pages: what the gateway recorded of the organization's API
requests in the page's mode, and this hour's count against the plan's limit with a chart
of the last 24 hours (server-rendered SVG: a picture, no script)."""

from typing import Any

from aiohttp import web

from libs.common.roles import Action
from services.dashboard.adapters.backends import BackendError
from services.dashboard.domain.chart import bar_chart
from services.dashboard.http.callers import GATEWAY, who
from services.dashboard.http.pages import STATUS, PageRoutes

routes = PageRoutes()

STATUS_CLASSES = ("2xx", "3xx", "4xx", "5xx")
PAGE_SIZE = 50


@routes.page("requests", "GET", "/{mode}/requests", action=Action.READ, title="Request log")
async def request_log(request: web.Request) -> dict[str, Any]:
    filters = {
        "status": request.query.get("status", ""),
        "path": request.query.get("path", "").strip(),
    }
    before = request.query.get("before", "")
    try:
        found = await request.app[GATEWAY].page(
            who(request), "/internal/v1/requests", limit=PAGE_SIZE, before=before, **filters
        )
    except BackendError as exc:
        if exc.status != 400:
            raise
        # A filter the gateway refused (a path not starting with /, a stale cursor): the
        # form again, with the message beside it, rather than an error page.
        request[STATUS] = 400
        found = {"data": [], "hasMore": False, "nextCursor": None}
        filters["error"] = exc.message
        filters["field"] = exc.field or ""
    older = None
    if found["nextCursor"]:
        query = {k: v for k, v in filters.items() if k in ("status", "path") and v}
        older = str(request.rel_url.with_query({**query, "before": found["nextCursor"]}))
    return {
        "requests": found["data"],
        "filters": filters,
        "statusClasses": STATUS_CLASSES,
        "older": older,
        "paged": bool(before),
    }


@routes.page("usage", "GET", "/{mode}/usage", action=Action.READ, title="Usage")
async def usage(request: web.Request) -> dict[str, Any]:
    figures = await request.app[GATEWAY].call(who(request), "GET", "/internal/v1/usage")
    return {"usage": figures, "chart": bar_chart(figures["hours"])}
