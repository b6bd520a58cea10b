"""Events as clients see them (CONVENTIONS: Events): in the Events API, in a resource's
history, in webhooks and on the stream. `data` is the resource as GET showed it after the
change; one typed event model per resource says so to the document and the client."""

from pydantic import BaseModel, create_model

from libs.common.events import Event

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


# The one envelope (`libs.common.events.Event`): the contract's name for it.
EventRead = Event


def typed_event(name: str, data: type[BaseModel]) -> type[Event]:
    """`ProductEvent`: an event whose `data` is a `ProductRead`."""
    return create_model(name, __base__=Event, data=(data, ...))
