from typing import Literal

InventoryUpdateReasonType0 = Literal["correction", "damaged", "other", "received", "returned"]

INVENTORY_UPDATE_REASON_TYPE_0_VALUES: set[InventoryUpdateReasonType0] = {
    "correction",
    "damaged",
    "other",
    "received",
    "returned",
}


def check_inventory_update_reason_type_0(value: str) -> InventoryUpdateReasonType0:
    if value in INVENTORY_UPDATE_REASON_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {INVENTORY_UPDATE_REASON_TYPE_0_VALUES!r}"
    )
