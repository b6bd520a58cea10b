from typing import Literal

InventoryUpdateReasonType2 = Literal["hold", "release", "threshold"]

INVENTORY_UPDATE_REASON_TYPE_2_VALUES: set[InventoryUpdateReasonType2] = {
    "hold",
    "release",
    "threshold",
}


def check_inventory_update_reason_type_2(value: str) -> InventoryUpdateReasonType2:
    if value in INVENTORY_UPDATE_REASON_TYPE_2_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {INVENTORY_UPDATE_REASON_TYPE_2_VALUES!r}"
    )
