from typing import Literal

InventoryUpdateReasonType1 = Literal["count", "restock", "sale"]

INVENTORY_UPDATE_REASON_TYPE_1_VALUES: set[InventoryUpdateReasonType1] = {
    "count",
    "restock",
    "sale",
}


def check_inventory_update_reason_type_1(value: str) -> InventoryUpdateReasonType1:
    if value in INVENTORY_UPDATE_REASON_TYPE_1_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {INVENTORY_UPDATE_REASON_TYPE_1_VALUES!r}"
    )
