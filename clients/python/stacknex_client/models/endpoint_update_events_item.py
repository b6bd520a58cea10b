from typing import Literal

EndpointUpdateEventsItem = Literal[
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

ENDPOINT_UPDATE_EVENTS_ITEM_VALUES: set[EndpointUpdateEventsItem] = {
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


def check_endpoint_update_events_item(value: str) -> EndpointUpdateEventsItem:
    if value in ENDPOINT_UPDATE_EVENTS_ITEM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {ENDPOINT_UPDATE_EVENTS_ITEM_VALUES!r}"
    )
