"""Events as clients see them (CONVENTIONS: Events): in the Events API, in a resource's
history, in webhooks and on the stream. `data` is the resource as GET showed it after the
change; one typed event model per resource says so to the document and the client."""

from typing import Any

from pydantic import BaseModel, ConfigDict, create_model
from pydantic.alias_generators import to_camel

from libs.common.resources import At

# What endpoints may subscribe to: the public events of CONVENTIONS.md ("*": all of them).
PUBLIC_EVENTS = frozenset(
    {
        "order.created",
        "order.updated",
        "order.completed",
        "order.cancelled",
        "product.created",
        "product.updated",
        "product.deleted",
        "customer.created",
        "customer.updated",
        "inventory.low",
        "inventory.updated",
    }
)


class EventRead(BaseModel):
    model_config = ConfigDict(
        frozen=True,
        alias_generator=to_camel,
        populate_by_name=True,
        serialize_by_alias=True,
        extra="ignore",
    )

    id: str
    event: str
    timestamp: At
    organization_id: str | None = None
    mode: str | None = None
    data: dict[str, Any]
    # On `*.updated` events: the fields that changed (camelCase names, as in `data`).
    changed_fields: list[str] | None = None


def typed_event(name: str, data: type[BaseModel]) -> type[EventRead]:
    """`ProductEvent`: an event whose `data` is a `ProductRead`."""
    return create_model(name, __base__=EventRead, data=(data, ...))
