from typing import Literal

InventoryItemEventModeType0 = Literal["live", "test"]

INVENTORY_ITEM_EVENT_MODE_TYPE_0_VALUES: set[InventoryItemEventModeType0] = {
    "live",
    "test",
}


def check_inventory_item_event_mode_type_0(value: str) -> InventoryItemEventModeType0:
    if value in INVENTORY_ITEM_EVENT_MODE_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {INVENTORY_ITEM_EVENT_MODE_TYPE_0_VALUES!r}"
    )
