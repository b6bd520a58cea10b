from typing import Literal

CustomerEventModeType0 = Literal["live", "test"]

CUSTOMER_EVENT_MODE_TYPE_0_VALUES: set[CustomerEventModeType0] = {
    "live",
    "test",
}


def check_customer_event_mode_type_0(value: str) -> CustomerEventModeType0:
    if value in CUSTOMER_EVENT_MODE_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {CUSTOMER_EVENT_MODE_TYPE_0_VALUES!r}"
    )
