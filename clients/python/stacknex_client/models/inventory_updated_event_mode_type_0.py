from typing import Literal

InventoryUpdatedEventModeType0 = Literal["live", "test"]

INVENTORY_UPDATED_EVENT_MODE_TYPE_0_VALUES: set[InventoryUpdatedEventModeType0] = {
    "live",
    "test",
}


def check_inventory_updated_event_mode_type_0(value: str) -> InventoryUpdatedEventModeType0:
    if value in INVENTORY_UPDATED_EVENT_MODE_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {INVENTORY_UPDATED_EVENT_MODE_TYPE_0_VALUES!r}"
    )
