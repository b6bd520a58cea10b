from typing import Literal

OrderReadStatus = Literal["cancelled", "completed", "pending"]

ORDER_READ_STATUS_VALUES: set[OrderReadStatus] = {
    "cancelled",
    "completed",
    "pending",
}


def check_order_read_status(value: str) -> OrderReadStatus:
    if value in ORDER_READ_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ORDER_READ_STATUS_VALUES!r}")
