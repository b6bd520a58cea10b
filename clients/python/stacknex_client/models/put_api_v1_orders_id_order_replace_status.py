from typing import Literal

PutApiV1OrdersIdOrderReplaceStatus = Literal["cancelled", "completed", "pending"]

PUT_API_V1_ORDERS_ID_ORDER_REPLACE_STATUS_VALUES: set[PutApiV1OrdersIdOrderReplaceStatus] = {
    "cancelled",
    "completed",
    "pending",
}


def check_put_api_v1_orders_id_order_replace_status(
    value: str,
) -> PutApiV1OrdersIdOrderReplaceStatus:
    if value in PUT_API_V1_ORDERS_ID_ORDER_REPLACE_STATUS_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {PUT_API_V1_ORDERS_ID_ORDER_REPLACE_STATUS_VALUES!r}"
    )
