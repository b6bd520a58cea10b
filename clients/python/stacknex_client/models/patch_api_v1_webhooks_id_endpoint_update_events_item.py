from typing import Literal

PatchApiV1WebhooksIdEndpointUpdateEventsItem = Literal[
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

PATCH_API_V1_WEBHOOKS_ID_ENDPOINT_UPDATE_EVENTS_ITEM_VALUES: set[
    PatchApiV1WebhooksIdEndpointUpdateEventsItem
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


def check_patch_api_v1_webhooks_id_endpoint_update_events_item(
    value: str,
) -> PatchApiV1WebhooksIdEndpointUpdateEventsItem:
    if value in PATCH_API_V1_WEBHOOKS_ID_ENDPOINT_UPDATE_EVENTS_ITEM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {PATCH_API_V1_WEBHOOKS_ID_ENDPOINT_UPDATE_EVENTS_ITEM_VALUES!r}"
    )
