from typing import Literal

GetApiV1WebhooksIdDeliveriesStatus = Literal["failed", "pending", "succeeded"]

GET_API_V1_WEBHOOKS_ID_DELIVERIES_STATUS_VALUES: set[GetApiV1WebhooksIdDeliveriesStatus] = {
    "failed",
    "pending",
    "succeeded",
}


def check_get_api_v1_webhooks_id_deliveries_status(
    value: str,
) -> GetApiV1WebhooksIdDeliveriesStatus:
    if value in GET_API_V1_WEBHOOKS_ID_DELIVERIES_STATUS_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {GET_API_V1_WEBHOOKS_ID_DELIVERIES_STATUS_VALUES!r}"
    )
