from typing import Literal

OrderEventModeType0 = Literal["live", "test"]

ORDER_EVENT_MODE_TYPE_0_VALUES: set[OrderEventModeType0] = {
    "live",
    "test",
}


def check_order_event_mode_type_0(value: str) -> OrderEventModeType0:
    if value in ORDER_EVENT_MODE_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {ORDER_EVENT_MODE_TYPE_0_VALUES!r}"
    )
