"""An endpoint's actions beyond editing it: reveal and rotate its secret (each renders the
secret once, from the POST's own answer), send a test event, recover failed deliveries
since a moment, and one delivery's page with every attempt and its Retry button."""

from typing import Any

from aiohttp import web

from libs.common.roles import Action
from services.dashboard.adapters.backends import BackendError
from services.dashboard.http.callers import WEBHOOKS, who
from services.dashboard.http.pages import STATUS, PageRoutes, see_other, url
from services.dashboard.http.webhooks import GRACES, NOTICES, back, detail, permissions

routes = PageRoutes()
_GRACE_SECONDS = {seconds for seconds, _ in GRACES}


@routes.page(
    "webhook_reveal",
    "POST",
    "/{mode}/webhooks/{id}/secret",
    action=Action.READ_SECRETS,
    title="Webhook endpoint",
    template="webhook.html",
)
async def reveal(request: web.Request) -> dict[str, Any]:
    endpoint_id = request.match_info["id"]
    # The webhooks service records the reveal, with the member, before it answers.
    revealed = await request.app[WEBHOOKS].call(
        who(request), "GET", f"/api/v1/webhooks/{endpoint_id}/secret"
    )
    return await detail(
        request,
        endpoint_id,
        secret=revealed["secret"],
        previousSecretExpiresAt=revealed["previousSecretExpiresAt"],
    )


@routes.page(
    "webhook_rotate",
    "POST",
    "/{mode}/webhooks/{id}/rotate",
    action=Action.MANAGE_WEBHOOKS,
    title="Webhook endpoint",
    template="webhook.html",
)
async def rotate(request: web.Request) -> dict[str, Any]:
    endpoint_id = request.match_info["id"]
    form = await request.post()
    try:
        grace = int(str(form.get("grace", "")))
    except ValueError:
        grace = -1
    if grace not in _GRACE_SECONDS:
        request[STATUS] = 400
        return await detail(
            request,
            endpoint_id,
            error="Choose how long the old secret keeps signing.",
            field="grace",
        )
    rotated = await request.app[WEBHOOKS].call(
        who(request),
        "POST",
        f"/api/v1/webhooks/{endpoint_id}/rotate-secret",
        body={"expiresInSeconds": grace},
    )
    return await detail(
        request,
        endpoint_id,
        secret=rotated["secret"],
        previousSecretExpiresAt=rotated["previousSecretExpiresAt"],
        rotated=True,
    )


@routes.page(
    "webhook_test",
    "POST",
    "/{mode}/webhooks/{id}/test",
    action=Action.MANAGE_WEBHOOKS,
    title="Send a test event",
)
async def send_test(request: web.Request) -> web.StreamResponse:
    endpoint_id = request.match_info["id"]
    await request.app[WEBHOOKS].call(who(request), "POST", f"/api/v1/webhooks/{endpoint_id}/test")
    raise back(request, "test-sent")


def since_timestamp(value: str) -> str:
    """A `datetime-local` value (minutes, or seconds) read as UTC, in RFC 3339."""
    value = value.strip()
    if len(value) == len("2024-01-15T10:30"):
        return f"{value}:00Z"
    if len(value) == len("2024-01-15T10:30:00"):
        return f"{value}Z"
    return value  # anything else: the backend refuses it, naming `since`


@routes.page(
    "webhook_recover",
    "POST",
    "/{mode}/webhooks/{id}/recover",
    action=Action.MANAGE_WEBHOOKS,
    title="Webhook endpoint",
    template="webhook.html",
)
async def recover(request: web.Request) -> web.StreamResponse | dict[str, Any]:
    endpoint_id = request.match_info["id"]
    form = await request.post()
    try:
        recovered = await request.app[WEBHOOKS].call(
            who(request),
            "POST",
            f"/api/v1/webhooks/{endpoint_id}/recover",
            body={"since": since_timestamp(str(form.get("since", "")))},
        )
    except BackendError as exc:
        if exc.status != 400:
            raise
        request[STATUS] = 400
        return await detail(
            request, endpoint_id, error="Give the moment to recover from.", field="since"
        )
    target = url(request, "webhook", id=endpoint_id)
    raise see_other(
        f"{target}?done=recovered&requeued={recovered['requeued']}&skipped={recovered['skipped']}"
    )


@routes.page(
    "delivery",
    "GET",
    "/{mode}/webhooks/{id}/deliveries/{deliveryId}",
    action=Action.READ,
    title="Delivery",
)
async def delivery(request: web.Request) -> dict[str, Any]:
    endpoint_id = request.match_info["id"]
    delivery_id = request.match_info["deliveryId"]
    backend = request.app[WEBHOOKS]
    endpoint = await backend.call(who(request), "GET", f"/api/v1/webhooks/{endpoint_id}")
    found = await backend.call(
        who(request), "GET", f"/api/v1/webhooks/{endpoint_id}/deliveries/{delivery_id}"
    )
    return {
        "endpoint": endpoint,
        "delivery": found,
        "notice": NOTICES.get(request.query.get("done", "")),
        **permissions(request),
    }


@routes.page(
    "delivery_retry",
    "POST",
    "/{mode}/webhooks/{id}/deliveries/{deliveryId}/retry",
    action=Action.MANAGE_WEBHOOKS,
    title="Retry a delivery",
)
async def retry(request: web.Request) -> web.StreamResponse:
    endpoint_id = request.match_info["id"]
    delivery_id = request.match_info["deliveryId"]
    await request.app[WEBHOOKS].call(
        who(request),
        "POST",
        f"/api/v1/webhooks/{endpoint_id}/deliveries/{delivery_id}/retry",
    )
    target = url(request, "delivery", id=endpoint_id, deliveryId=delivery_id)
    raise see_other(f"{target}?done=retried")
