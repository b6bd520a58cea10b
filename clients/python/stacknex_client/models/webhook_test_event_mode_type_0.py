from typing import Literal

WebhookTestEventModeType0 = Literal["live", "test"]

WEBHOOK_TEST_EVENT_MODE_TYPE_0_VALUES: set[WebhookTestEventModeType0] = {
    "live",
    "test",
}


def check_webhook_test_event_mode_type_0(value: str) -> WebhookTestEventModeType0:
    if value in WEBHOOK_TEST_EVENT_MODE_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {WEBHOOK_TEST_EVENT_MODE_TYPE_0_VALUES!r}"
    )
