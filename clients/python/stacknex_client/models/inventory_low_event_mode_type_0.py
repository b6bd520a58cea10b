from typing import Literal

InventoryLowEventModeType0 = Literal["live", "test"]

INVENTORY_LOW_EVENT_MODE_TYPE_0_VALUES: set[InventoryLowEventModeType0] = {
    "live",
    "test",
}


def check_inventory_low_event_mode_type_0(value: str) -> InventoryLowEventModeType0:
    if value in INVENTORY_LOW_EVENT_MODE_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {INVENTORY_LOW_EVENT_MODE_TYPE_0_VALUES!r}"
    )
