from typing import Literal

EndpointCreateEventsItem = Literal[
    "*",
    "customer.created",
    "customer.updated",
    "inventory.low",
    "inventory.updated",
    "order.cancelled",
    "order.completed",
    "order.created",
    "order.updated",
    "product.created",
    "product.deleted",
    "product.updated",
]

ENDPOINT_CREATE_EVENTS_ITEM_VALUES: set[EndpointCreateEventsItem] = {
    "*",
    "customer.created",
    "customer.updated",
    "inventory.low",
    "inventory.updated",
    "order.cancelled",
    "order.completed",
    "order.created",
    "order.updated",
    "product.created",
    "product.deleted",
    "product.updated",
}


def check_endpoint_create_events_item(value: str) -> EndpointCreateEventsItem:
    if value in ENDPOINT_CREATE_EVENTS_ITEM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {ENDPOINT_CREATE_EVENTS_ITEM_VALUES!r}"
    )
