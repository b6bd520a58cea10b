"""Request and query schemas of the webhooks and events APIs."""

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints, WithJsonSchema

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
from services.webhooks.domain import patterns
from services.webhooks.domain.endpoints import PUBLIC_EVENTS


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
