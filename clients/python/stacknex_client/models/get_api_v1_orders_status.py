from typing import Literal

GetApiV1OrdersStatus = Literal["cancelled", "completed", "pending"]

GET_API_V1_ORDERS_STATUS_VALUES: set[GetApiV1OrdersStatus] = {
    "cancelled",
    "completed",
    "pending",
}


def check_get_api_v1_orders_status(value: str) -> GetApiV1OrdersStatus:
    if value in GET_API_V1_ORDERS_STATUS_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {GET_API_V1_ORDERS_STATUS_VALUES!r}"
    )
