from typing import Literal

PostApiV1WebhooksEndpointCreateEventsItem = Literal[
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

POST_API_V1_WEBHOOKS_ENDPOINT_CREATE_EVENTS_ITEM_VALUES: set[
    PostApiV1WebhooksEndpointCreateEventsItem
] = {
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


def check_post_api_v1_webhooks_endpoint_create_events_item(
    value: str,
) -> PostApiV1WebhooksEndpointCreateEventsItem:
    if value in POST_API_V1_WEBHOOKS_ENDPOINT_CREATE_EVENTS_ITEM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {POST_API_V1_WEBHOOKS_ENDPOINT_CREATE_EVENTS_ITEM_VALUES!r}"
    )
