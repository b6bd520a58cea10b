from typing import Literal

OrderReplaceStatus = Literal["cancelled", "completed", "pending"]

ORDER_REPLACE_STATUS_VALUES: set[OrderReplaceStatus] = {
    "cancelled",
    "completed",
    "pending",
}


def check_order_replace_status(value: str) -> OrderReplaceStatus:
    if value in ORDER_REPLACE_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ORDER_REPLACE_STATUS_VALUES!r}")
