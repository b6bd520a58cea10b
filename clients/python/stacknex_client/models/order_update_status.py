from typing import Literal

OrderUpdateStatus = Literal["cancelled", "completed", "pending"]

ORDER_UPDATE_STATUS_VALUES: set[OrderUpdateStatus] = {
    "cancelled",
    "completed",
    "pending",
}


def check_order_update_status(value: str) -> OrderUpdateStatus:
    if value in ORDER_UPDATE_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ORDER_UPDATE_STATUS_VALUES!r}")
