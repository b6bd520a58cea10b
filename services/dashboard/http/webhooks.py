"""Webhooks: the mode's endpoints with their health, creating one (its secret shown once),
and one endpoint's page: edit, enable or disable, delete, and its delivery log. The actions
on an endpoint that reveal a secret or replay deliveries are in webhook_actions.py."""

from typing import Any

from aiohttp import web
from multidict import MultiMapping

from libs.common.roles import Action, may
from libs.contract.events import PUBLIC_EVENTS
from services.dashboard.adapters.backends import BackendError
from services.dashboard.http.callers import WEBHOOKS, who
from services.dashboard.http.pages import STATUS, PageRoutes, role, see_other, url

routes = PageRoutes()

EVENT_TYPES = sorted(PUBLIC_EVENTS)
# What the delivery log filters by: the public types and the test event.
DELIVERY_EVENTS = [*EVENT_TYPES, "webhook.test"]
DELIVERY_STATUSES = ("pending", "succeeded", "failed")
# A rotation keeps the old secret signing for this long: the receivers' roll-out window.
GRACES = (
    (0, "Stop the old secret now"),
    (3600, "1 hour"),
    (86400, "24 hours"),
    (3 * 86400, "3 days"),
    (7 * 86400, "7 days"),
)
NOTICES = {
    "saved": "Endpoint saved.",
    "enabled": "Endpoint enabled.",
    "disabled": "Endpoint disabled: no deliveries are sent to it until you enable it.",
    "deleted": "Endpoint deleted.",
    "test-sent": "Test event sent. Its delivery appears below; reload to follow it.",
    "recovered": "Failed deliveries queued again.",
    "retried": "Delivery queued again.",
}


def permissions(request: web.Request) -> dict[str, bool]:
    return {
        "can_manage": may(role(request), Action.MANAGE_WEBHOOKS),
        "can_reveal": may(role(request), Action.READ_SECRETS),
    }


def chosen_events(form: MultiMapping[Any]) -> list[str]:
    """ "All events" or the boxes ticked (none ticked: the backend names the field)."""
    if form.get("scope") == "all":
        return ["*"]
    return [str(value) for value in form.getall("events", [])]


def endpoint_body(form: MultiMapping[Any]) -> dict[str, Any]:
    description = str(form.get("description", "")).strip()
    return {
        "url": str(form.get("url", "")).strip(),
        "description": description or None,
        "events": chosen_events(form),
    }


async def _list(request: web.Request) -> dict[str, Any]:
    backend = request.app[WEBHOOKS]
    listed = await backend.page(
        who(request),
        "/api/v1/webhooks",
        limit=100,
        startingAfter=request.query.get("startingAfter"),
    )
    health = {
        h["endpointId"]: h
        for h in await backend.call(who(request), "GET", "/internal/v1/webhooks/health")
    }
    return {
        "endpoints": [{**e, "health": health.get(e["id"])} for e in listed["data"]],
        "hasMore": listed["hasMore"],
        "nextCursor": listed["nextCursor"],
        "eventTypes": EVENT_TYPES,
        "notice": NOTICES.get(request.query.get("done", "")),
        **permissions(request),
    }


@routes.page("webhooks", "GET", "/{mode}/webhooks", action=Action.READ, title="Webhooks")
async def webhooks(request: web.Request) -> dict[str, Any]:
    return {**await _list(request), "form": {"url": "", "description": "", "events": ["*"]}}


@routes.page(
    "webhook_create",
    "POST",
    "/{mode}/webhooks",
    action=Action.MANAGE_WEBHOOKS,
    title="Webhook endpoint",
    template="webhook_create.html",  # the new endpoint, or the list with the form's error
)
async def create(request: web.Request) -> dict[str, Any]:
    body = endpoint_body(await request.post())
    try:
        created = await request.app[WEBHOOKS].call(
            who(request), "POST", "/api/v1/webhooks", body=body
        )
    except BackendError as exc:
        if exc.status != 400:
            raise
        # The list again, the form as it was filled, the backend's words next to the field.
        request[STATUS] = 400
        return {
            **await _list(request),
            "created": False,
            "form": body,
            "error": exc.message,
            "field": exc.field,
        }
    # Shown here once: the page is rendered from this answer, never stored or redirected.
    return await detail(request, created["id"], secret=created["secret"], created=True)


async def detail(request: web.Request, endpoint_id: str, **extra: Any) -> dict[str, Any]:
    """One endpoint's page: the endpoint, its health, a page of its delivery log."""
    backend = request.app[WEBHOOKS]
    endpoint = await backend.call(who(request), "GET", f"/api/v1/webhooks/{endpoint_id}")
    health = {
        h["endpointId"]: h
        for h in await backend.call(who(request), "GET", "/internal/v1/webhooks/health")
    }
    status = request.query.get("status", "")
    event = request.query.get("event", "")
    log = await backend.page(
        who(request),
        f"/api/v1/webhooks/{endpoint_id}/deliveries",
        limit=20,
        status=status if status in DELIVERY_STATUSES else None,
        event=event if event in DELIVERY_EVENTS else None,
        startingAfter=request.query.get("startingAfter"),
    )
    return {
        "endpoint": endpoint,
        "health": health.get(endpoint_id),
        "deliveries": log["data"],
        "hasMore": log["hasMore"],
        "nextCursor": log["nextCursor"],
        "filters": {"status": status, "event": event},
        "statuses": DELIVERY_STATUSES,
        "deliveryEvents": DELIVERY_EVENTS,
        "eventTypes": EVENT_TYPES,
        "graces": GRACES,
        "notice": NOTICES.get(request.query.get("done", "")),
        "secret": None,
        "previousSecretExpiresAt": None,
        "created": False,
        "rotated": False,
        "form": endpoint,
        **permissions(request),
        **extra,
    }


@routes.page(
    "webhook", "GET", "/{mode}/webhooks/{id}", action=Action.READ, title="Webhook endpoint"
)
async def webhook(request: web.Request) -> dict[str, Any]:
    return await detail(request, request.match_info["id"])


def back(request: web.Request, done: str) -> web.HTTPSeeOther:
    return see_other(f"{url(request, 'webhook', id=request.match_info['id'])}?done={done}")


@routes.page(
    "webhook_update",
    "POST",
    "/{mode}/webhooks/{id}",
    action=Action.MANAGE_WEBHOOKS,
    title="Webhook endpoint",
    template="webhook.html",
)
async def update(request: web.Request) -> dict[str, Any]:
    endpoint_id = request.match_info["id"]
    body = endpoint_body(await request.post())
    try:
        await request.app[WEBHOOKS].call(
            who(request), "PATCH", f"/api/v1/webhooks/{endpoint_id}", body=body
        )
    except BackendError as exc:
        if exc.status != 400:
            raise
        request[STATUS] = 400
        return await detail(request, endpoint_id, form=body, error=exc.message, field=exc.field)
    raise back(request, "saved")


async def _switch(request: web.Request, enabled: bool) -> web.StreamResponse:
    endpoint_id = request.match_info["id"]
    await request.app[WEBHOOKS].call(
        who(request), "PATCH", f"/api/v1/webhooks/{endpoint_id}", body={"enabled": enabled}
    )
    raise back(request, "enabled" if enabled else "disabled")


@routes.page(
    "webhook_enable",
    "POST",
    "/{mode}/webhooks/{id}/enable",
    action=Action.MANAGE_WEBHOOKS,
    title="Enable endpoint",
)
async def enable(request: web.Request) -> web.StreamResponse:
    return await _switch(request, True)


@routes.page(
    "webhook_disable",
    "POST",
    "/{mode}/webhooks/{id}/disable",
    action=Action.MANAGE_WEBHOOKS,
    title="Disable endpoint",
)
async def disable(request: web.Request) -> web.StreamResponse:
    return await _switch(request, False)


@routes.page(
    "webhook_delete",
    "POST",
    "/{mode}/webhooks/{id}/delete",
    action=Action.MANAGE_WEBHOOKS,
    title="Delete endpoint",
)
async def delete(request: web.Request) -> web.StreamResponse:
    endpoint_id = request.match_info["id"]
    await request.app[WEBHOOKS].call(who(request), "DELETE", f"/api/v1/webhooks/{endpoint_id}")
    raise see_other(f"{url(request, 'webhooks')}?done=deleted")
