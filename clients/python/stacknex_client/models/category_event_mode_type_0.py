from typing import Literal

CategoryEventModeType0 = Literal["live", "test"]

CATEGORY_EVENT_MODE_TYPE_0_VALUES: set[CategoryEventModeType0] = {
    "live",
    "test",
}


def check_category_event_mode_type_0(value: str) -> CategoryEventModeType0:
    if value in CATEGORY_EVENT_MODE_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {CATEGORY_EVENT_MODE_TYPE_0_VALUES!r}"
    )
