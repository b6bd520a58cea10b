"""/internal/v1/: what the dashboard's webhooks, events and security pages read beyond the
public API, for the member's organization and the page's mode (both from the identity)."""

from aiohttp import web
from pydantic import Field

from libs.common.errors import InsufficientScope, NotFound
from libs.common.identity import IDENTITY, Identity, callers
from libs.common.validation import ApiModel, EventId, parse_query, path_id
from libs.common.web import POOL, ok
from services.webhooks.adapters import dashboard_views

routes = web.RouteTableDef()


class SecurityQuery(ApiModel):
    limit: int = Field(50, ge=1, le=100)
    # The `id` of the last entry seen (`nextCursor`): ids sort by time.
    before: EventId | None = None


def _needs(who: Identity, scope: str) -> None:
    if scope not in who.scopes:
        raise InsufficientScope(
            f"This caller lacks the {scope} scope.", details={"requiredScope": scope}
        )


@routes.get("/internal/v1/webhooks/health")
@callers("dashboard")
async def health(request: web.Request) -> web.Response:
    who = request[IDENTITY]
    _needs(who, "webhooks:read")
    found = await dashboard_views.health(
        request.app[POOL], organization_id=who.organization_id, mode=who.mode
    )
    return ok(found)


@routes.get("/internal/v1/events/{id}/deliveries")
@callers("dashboard")
async def event_deliveries(request: web.Request) -> web.Response:
    who = request[IDENTITY]
    _needs(who, "events:read")
    event_id = path_id(request, "evt")
    found = await dashboard_views.event_deliveries(
        request.app[POOL], organization_id=who.organization_id, mode=who.mode, event_id=event_id
    )
    if found is None:
        raise NotFound(f"No event {event_id}.")
    return ok(found)


@routes.get("/internal/v1/security")
@callers("dashboard")
async def security(request: web.Request) -> web.Response:
    """Both modes: the history is the organization's, whichever mode the page is in."""
    who = request[IDENTITY]
    _needs(who, "webhooks:read")
    query = parse_query(request, SecurityQuery)
    found = await dashboard_views.security(
        request.app[POOL],
        organization_id=who.organization_id,
        limit=query.limit,
        before=query.before,
    )
    cursor = found.entries[-1]["id"] if found.has_more else None
    return ok(found.entries, pagination={"hasMore": found.has_more, "nextCursor": cursor})
