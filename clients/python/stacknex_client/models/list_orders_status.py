from typing import Literal

ListOrdersStatus = Literal["cancelled", "completed", "pending"]

LIST_ORDERS_STATUS_VALUES: set[ListOrdersStatus] = {
    "cancelled",
    "completed",
    "pending",
}


def check_list_orders_status(value: str) -> ListOrdersStatus:
    if value in LIST_ORDERS_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_ORDERS_STATUS_VALUES!r}")
