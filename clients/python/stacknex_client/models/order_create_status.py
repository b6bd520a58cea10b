from typing import Literal

OrderCreateStatus = Literal["completed", "pending"]

ORDER_CREATE_STATUS_VALUES: set[OrderCreateStatus] = {
    "completed",
    "pending",
}


def check_order_create_status(value: str) -> OrderCreateStatus:
    if value in ORDER_CREATE_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ORDER_CREATE_STATUS_VALUES!r}")
