from typing import Literal

PatchApiV1OrdersIdOrderUpdateStatus = Literal["cancelled", "completed", "pending"]

PATCH_API_V1_ORDERS_ID_ORDER_UPDATE_STATUS_VALUES: set[PatchApiV1OrdersIdOrderUpdateStatus] = {
    "cancelled",
    "completed",
    "pending",
}


def check_patch_api_v1_orders_id_order_update_status(
    value: str,
) -> PatchApiV1OrdersIdOrderUpdateStatus:
    if value in PATCH_API_V1_ORDERS_ID_ORDER_UPDATE_STATUS_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {PATCH_API_V1_ORDERS_ID_ORDER_UPDATE_STATUS_VALUES!r}"
    )
