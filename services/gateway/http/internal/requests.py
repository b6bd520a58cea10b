"""The request log and usage, for the dashboard: the organization and the mode are the
identity's (the member's organization, the page's mode), so no filter can reach another's.
Any role may read them: they hold no secret (no header, body or query string is logged)."""

from typing import Annotated

from aiohttp import web
from pydantic import Field, StringConstraints, field_validator

from libs.common.identity import callers
from libs.common.validation import ApiModel, parse_query
from libs.common.web import POOL, ok
from services.gateway.adapters.ratelimit import RATE_LIMITER
from services.gateway.http.internal.auth import acting, caller
from services.gateway.traffic import RequestFilter, StatusClass, list_requests, usage

routes = web.RouteTableDef()


class RequestsQuery(ApiModel):
    status: StatusClass | None = None
    # A prefix of the path as logged (no query string), e.g. `/api/v1/orders`.
    path: Annotated[str, StringConstraints(max_length=1024)] | None = None
    limit: int = Field(50, ge=1, le=100)
    before: Annotated[str, StringConstraints(max_length=64)] | None = None

    @field_validator("path")
    @classmethod
    def _absolute(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("/"):
            raise ValueError("must start with /, as in /api/v1/orders")
        return value


@routes.get("/internal/v1/requests")
@callers("dashboard")
async def requests(request: web.Request) -> web.Response:
    query = parse_query(request, RequestsQuery)
    member = await acting(request)
    rows, pagination = await list_requests(
        request.app[POOL],
        RequestFilter(
            organization_id=member.organization_id,
            mode=caller(request).mode,
            status=query.status,
            path=query.path,
            limit=query.limit,
            before=query.before,
        ),
    )
    return ok(rows, pagination=pagination)


@routes.get("/internal/v1/usage")
@callers("dashboard")
async def current_usage(request: web.Request) -> web.Response:
    member = await acting(request)
    return ok(
        await usage(
            request.app[POOL],
            request.app[RATE_LIMITER],
            organization_id=member.organization_id,
            mode=caller(request).mode,
        )
    )
