"""The webhooks and events APIs' contract: endpoints, their secrets, deliveries with their
attempts, the events this service emits, and the operations."""

from dataclasses import replace
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, Field, StringConstraints, WithJsonSchema

from libs.common.errors import EventExpiredError as EventExpired
from libs.common.listing import ListQuery
from libs.common.resources import At, Resource
from libs.common.validation import (
    ApiModel,
    DeliveryId,
    EndpointId,
    EventId,
    Integer,
    PatchModel,
    Timestamp,
    Version,
    trimmed,
)
from libs.contract import patterns
from libs.contract.base import Crud, Method, Operation
from libs.contract.catalog import EventList
from libs.contract.deliveries import (
    DeliveryDetail,
    DeliveryQueued,
    DeliveryRead,
    Recovered,
    View,
    WebhookTestQueued,
    example,
)
from libs.contract.events import PUBLIC_EVENTS, EventRead, typed_event


def _events(value: list[str]) -> list[str]:
    unknown = sorted(set(value) - PUBLIC_EVENTS - {"*"})
    if unknown:
        raise ValueError(f"unknown event type(s): {', '.join(unknown)}")
    if not value:
        raise ValueError('subscribe to at least one event type, or ["*"]')
    return sorted(set(value))


Url = Annotated[str, *trimmed(min_length=8, max_length=2048)]
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
    expires_in_seconds: Annotated[int, Field(ge=0, le=7 * 86400), Integer] = 86400


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


# The answers


_ENDPOINT = {
    "id": "we_2Yc9kQm4T7vXbN1pLs8d",
    "version": 1,
    "createdAt": "2024-01-15T10:30:00Z",
    "updatedAt": "2024-01-15T10:30:00Z",
    "url": "https://example.com/hooks/stacknex",
    "events": ["order.created", "order.completed"],
    "description": "Fulfilment",
    "enabled": True,
    "disabledReason": None,
}
_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


class WebhookEndpointRead(Resource):
    """An endpoint as GET shows it. Its signing secret is never part of it: only the answers
    that hand one out (create, rotate, GET …/secret) carry it."""

    kind: ClassVar[str] = "webhook endpoint"
    model_config = {**Resource.model_config, **example(_ENDPOINT)}

    url: str
    events: list[str]
    description: str | None
    enabled: bool
    # Why the platform turned it off (`410 Gone`, failing for too long); null when on.
    disabled_reason: str | None


class WebhookEndpointCreated(WebhookEndpointRead):
    """POST /webhooks: the endpoint and its signing secret, shown in full this once (GET
    …/secret shows it again to a key with webhooks:read)."""

    model_config = {
        **WebhookEndpointRead.model_config,
        **example({**_ENDPOINT, "secret": _SECRET}),
    }

    secret: str


class WebhookSecretRotated(WebhookEndpointCreated):
    """The endpoint after a rotation, its new secret, and until when the old one still signs
    (null: it stopped at once)."""

    model_config = {
        **WebhookEndpointRead.model_config,
        **example(
            {
                **_ENDPOINT,
                "version": 2,
                "updatedAt": "2024-01-16T09:00:00Z",
                "secret": _SECRET,
                "previousSecretExpiresAt": "2024-01-17T09:00:00Z",
            }
        ),
    }

    previous_secret_expires_at: At | None


class WebhookSecret(View):
    model_config = {
        **View.model_config,
        **example({"secret": _SECRET, "previousSecretExpiresAt": None}),
    }

    secret: str
    previous_secret_expires_at: At | None


# The events this service emits itself.


class InventoryLowRead(View):
    """`inventory.low`: an item fell below its threshold (once per fall, not per sale)."""

    model_config = {
        **View.model_config,
        **example(
            {
                "inventoryItemId": "inv_2Yc9kVb6Lm0sRt8nCx5f",
                "productId": "prod_2Yc9kWn3Pq7uYe1oDz6g",
                "locationId": "loc_2Yc9kXm5Rs9wAf2pEa7h",
                "available": 3,
                "onHand": 5,
                "lowStockThreshold": 5,
            }
        ),
    }

    inventory_item_id: str
    product_id: str
    location_id: str
    available: int
    on_hand: int
    low_stock_threshold: int


class WebhookTestRead(View):
    """`webhook.test`: what POST …/test sends, to that endpoint only."""

    model_config = {
        **View.model_config,
        **example({"webhookId": _ENDPOINT["id"], "message": "A test delivery from StackNex."}),
    }

    webhook_id: str
    message: str


InventoryLowEvent = typed_event("InventoryLowEvent", InventoryLowRead)
WebhookTestEvent = typed_event("WebhookTestEvent", WebhookTestRead)
WebhookEndpointEvent = typed_event("WebhookEndpointEvent", WebhookEndpointRead)
EVENTS = {"inventory.low": InventoryLowEvent, "webhook.test": WebhookTestEvent}


def _patterns(value: str) -> str:
    patterns.parse(value)  # refuses what names no event; the handler expands it
    return value


class StreamQuery(ApiModel):
    """GET /api/v1/events/stream. `lastEventId` is the query form of the `Last-Event-ID`
    header, for a first connection that cannot set headers (a browser's EventSource)."""

    # 500: every public type spelled out is under 200 characters, and 500 characters of
    # 4-byte UTF-8, percent-encoded, still fit the 8 KiB request line servers accept.
    types: (
        Annotated[
            str,
            StringConstraints(max_length=500),
            AfterValidator(_patterns),
            WithJsonSchema(
                {
                    "type": "string",
                    "maxLength": 500,
                    "description": "Comma-separated: public event types, <resource>.* or *",
                    "examples": ["order.*,inventory.low"],
                }
            ),
        ]
        | None
    ) = None
    last_event_id: EventId | None = None


# The operations.
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
    replace(_endpoints.list(EndpointList, WebhookEndpointRead), id="listWebhookEndpoints"),
    replace(
        _endpoints.create(
            EndpointCreate,
            WebhookEndpointCreated,
            example={"url": "https://example.com/hooks/stacknex", "events": ["order.created"]},
        ),
        summary="Register a webhook endpoint",
    ),
    _endpoints.get(WebhookEndpointRead),
    _endpoints.update(EndpointUpdate, WebhookEndpointRead, example={"enabled": False}),
    _endpoints.delete(),
    _endpoints.events(EventList, WebhookEndpointEvent),
    _webhook_op(
        "getWebhookSecret",
        "GET",
        "/secret",
        "Reveal an endpoint's signing secret",
        response=WebhookSecret,
    ),
    _webhook_op(
        "rotateWebhookSecret",
        "POST",
        "/rotate-secret",
        "Rotate the signing secret",
        body=Rotate,
        response=WebhookSecretRotated,
    ),
    _webhook_op(
        "sendTestWebhook",
        "POST",
        "/test",
        "Send a webhook.test event to the endpoint",
        status=202,
        response=WebhookTestQueued,
    ),
    _webhook_op(
        "recoverWebhookDeliveries",
        "POST",
        "/recover",
        "Send again the deliveries that failed since a moment",
        body=Recover,
        status=202,
        response=Recovered,
    ),
    _webhook_op(
        "listWebhookDeliveries",
        "GET",
        "/deliveries",
        "List an endpoint's deliveries, newest first",
        query=DeliveryList,
        page=True,
        response=DeliveryRead,
    ),
    _webhook_op(
        "getWebhookDelivery",
        "GET",
        "/deliveries/{deliveryId}",
        "Retrieve a delivery and its attempts",
        response=DeliveryDetail,
    ),
    _webhook_op(
        "retryWebhookDelivery",
        "POST",
        "/deliveries/{deliveryId}/retry",
        "Send a delivery again now",
        status=202,
        errors=(EventExpired,),
        response=DeliveryQueued,
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
        response=EventRead,
    ),
    # Before getEvent, whose `{id}` would otherwise read "stream" as an event id.
    Operation(
        "streamEvents",
        "GET",
        "/api/v1/events/stream",
        "webhooks",
        "events:read",
        "Stream the organization's events as they happen (server-sent events)",
        query=StreamQuery,
        headers={"Last-Event-ID": EventId},
        content_type="text/event-stream",
        errors=(EventExpired,),
        description="One message per event: `id: evt_…`, `event: <type>`, `data: <the event"
        " JSON, the bytes a webhook delivery carries>`; `: keepalive` comments every 15 s; the"
        " stream ends after 30 minutes (reconnect with `Last-Event-ID`, which wins over the"
        " `lastEventId` parameter). Errors before the stream starts are JSON envelopes; at most"
        " 10 open streams per organization and replica (429).",
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
