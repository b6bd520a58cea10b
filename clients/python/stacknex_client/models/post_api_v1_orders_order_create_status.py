from typing import Literal

PostApiV1OrdersOrderCreateStatus = Literal["completed", "pending"]

POST_API_V1_ORDERS_ORDER_CREATE_STATUS_VALUES: set[PostApiV1OrdersOrderCreateStatus] = {
    "completed",
    "pending",
}


def check_post_api_v1_orders_order_create_status(value: str) -> PostApiV1OrdersOrderCreateStatus:
    if value in POST_API_V1_ORDERS_ORDER_CREATE_STATUS_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {POST_API_V1_ORDERS_ORDER_CREATE_STATUS_VALUES!r}"
    )
