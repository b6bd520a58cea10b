"""Request and query schemas of the webhooks and events APIs."""

from dataclasses import replace
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, StringConstraints, WithJsonSchema

from libs.common.errors import EventExpiredError as EventExpired
from libs.common.listing import ListQuery
from libs.common.validation import (
    ApiModel,
    DeliveryId,
    EndpointId,
    EventId,
    PatchModel,
    Timestamp,
    Version,
)
from libs.contract.base import Crud, Method, Operation
from libs.contract.events import PUBLIC_EVENTS, EventRead


def _events(value: list[str]) -> list[str]:
    unknown = sorted(set(value) - PUBLIC_EVENTS - {"*"})
    if unknown:
        raise ValueError(f"unknown event type(s): {', '.join(unknown)}")
    if not value:
        raise ValueError('subscribe to at least one event type, or ["*"]')
    return sorted(set(value))


Url = Annotated[str, StringConstraints(strip_whitespace=True, min_length=8, max_length=2048)]
Events = Annotated[
    list[str],
    AfterValidator(_events),
    # The document says what the validator enforces, so a generated client (and the fuzzer)
    # knows the accepted values.
    WithJsonSchema(
        {"type": "array", "minItems": 1, "items": {"enum": sorted(PUBLIC_EVENTS | {"*"})}}
    ),
]
Description = Annotated[str, StringConstraints(max_length=500)]


class EndpointCreate(ApiModel):
    url: Url
    events: Events
    description: Description | None = None
    enabled: bool = True


ENDPOINT_REQUIRED = frozenset({"url", "events", "enabled"})


class EndpointUpdate(PatchModel):
    non_null = ENDPOINT_REQUIRED

    url: Url | None = None
    events: Events | None = None
    description: Description | None = None
    enabled: bool | None = None
    version: Version | None = None


class Rotate(ApiModel):
    # 24 h by default: long enough to roll a new secret out to every receiver; 7 days at most.
    expires_in_seconds: Annotated[int, Field(ge=0, le=7 * 86400)] = 86400


class Recover(ApiModel):
    since: Timestamp


class EndpointList(ListQuery):
    starting_after: EndpointId | None = None


class DeliveryList(ListQuery):
    starting_after: DeliveryId | None = None
    status: Literal["pending", "succeeded", "failed"] | None = None
    event: Annotated[str, StringConstraints(max_length=100)] | None = None


class EventQuery(ListQuery):
    starting_after: EventId | None = None
    type: Annotated[str, StringConstraints(max_length=100)] | None = None


# The operations. `response` is filled in as each resource gets its model (issue 13 §1).
_endpoints = Crud(
    singular="WebhookEndpoint",
    plural="Webhooks",
    service="webhooks",
    scope="webhooks",
    id_type=EndpointId,
)


def _webhook_op(op_id: str, method: Method, tail: str, summary: str, **kw: Any) -> Operation:
    params = {"id": EndpointId, **({"deliveryId": DeliveryId} if "{deliveryId}" in tail else {})}
    scope = "webhooks:read" if method == "GET" else "webhooks:write"
    return Operation(
        op_id,
        method,
        f"/api/v1/webhooks/{{id}}{tail}",
        "webhooks",
        scope,
        summary,
        params=params,
        **kw,
    )


OPERATIONS = [
    replace(_endpoints.list(EndpointList, None), id="listWebhookEndpoints"),
    replace(_endpoints.create(EndpointCreate, None), summary="Register a webhook endpoint"),
    _endpoints.get(None),
    _endpoints.update(EndpointUpdate, None),
    _endpoints.delete(),
    _webhook_op("getWebhookSecret", "GET", "/secret", "Reveal an endpoint's signing secret"),
    _webhook_op(
        "rotateWebhookSecret", "POST", "/rotate-secret", "Rotate the signing secret", body=Rotate
    ),
    _webhook_op(
        "sendTestWebhook", "POST", "/test", "Send a webhook.test event to the endpoint", status=202
    ),
    _webhook_op(
        "recoverWebhookDeliveries",
        "POST",
        "/recover",
        "Send again the deliveries that failed since a moment",
        body=Recover,
        status=202,
    ),
    _webhook_op(
        "listWebhookDeliveries",
        "GET",
        "/deliveries",
        "List an endpoint's deliveries, newest first",
        query=DeliveryList,
        page=True,
    ),
    _webhook_op("getWebhookDelivery", "GET", "/deliveries/{deliveryId}", "Retrieve a delivery"),
    _webhook_op(
        "retryWebhookDelivery",
        "POST",
        "/deliveries/{deliveryId}/retry",
        "Send a delivery again now",
        status=202,
        errors=(EventExpired,),
    ),
    Operation(
        "listEvents",
        "GET",
        "/api/v1/events",
        "webhooks",
        "events:read",
        "List the organization's events, newest first",
        query=EventQuery,
        page=True,
    ),
    Operation(
        "getEvent",
        "GET",
        "/api/v1/events/{id}",
        "webhooks",
        "events:read",
        "Retrieve an event",
        params={"id": EventId},
        response=EventRead,
    ),
]
