from typing import Literal

LocationEventModeType0 = Literal["live", "test"]

LOCATION_EVENT_MODE_TYPE_0_VALUES: set[LocationEventModeType0] = {
    "live",
    "test",
}


def check_location_event_mode_type_0(value: str) -> LocationEventModeType0:
    if value in LOCATION_EVENT_MODE_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LOCATION_EVENT_MODE_TYPE_0_VALUES!r}"
    )
