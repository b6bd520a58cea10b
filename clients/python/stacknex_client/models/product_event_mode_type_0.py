from typing import Literal

ProductEventModeType0 = Literal["live", "test"]

PRODUCT_EVENT_MODE_TYPE_0_VALUES: set[ProductEventModeType0] = {
    "live",
    "test",
}


def check_product_event_mode_type_0(value: str) -> ProductEventModeType0:
    if value in PRODUCT_EVENT_MODE_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {PRODUCT_EVENT_MODE_TYPE_0_VALUES!r}"
    )
