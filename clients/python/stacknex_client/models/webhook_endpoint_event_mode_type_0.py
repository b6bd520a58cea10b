from typing import Literal

WebhookEndpointEventModeType0 = Literal["live", "test"]

WEBHOOK_ENDPOINT_EVENT_MODE_TYPE_0_VALUES: set[WebhookEndpointEventModeType0] = {
    "live",
    "test",
}


def check_webhook_endpoint_event_mode_type_0(value: str) -> WebhookEndpointEventModeType0:
    if value in WEBHOOK_ENDPOINT_EVENT_MODE_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {WEBHOOK_ENDPOINT_EVENT_MODE_TYPE_0_VALUES!r}"
    )
