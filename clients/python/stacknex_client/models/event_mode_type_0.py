from typing import Literal

EventModeType0 = Literal["live", "test"]

EVENT_MODE_TYPE_0_VALUES: set[EventModeType0] = {
    "live",
    "test",
}


def check_event_mode_type_0(value: str) -> EventModeType0:
    if value in EVENT_MODE_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {EVENT_MODE_TYPE_0_VALUES!r}")
