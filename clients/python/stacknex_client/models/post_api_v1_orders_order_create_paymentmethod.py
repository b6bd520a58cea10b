from typing import Literal

PostApiV1OrdersOrderCreatePaymentmethod = Literal["card", "cash", "other"]

POST_API_V1_ORDERS_ORDER_CREATE_PAYMENTMETHOD_VALUES: set[
    PostApiV1OrdersOrderCreatePaymentmethod
] = {
    "card",
    "cash",
    "other",
}


def check_post_api_v1_orders_order_create_paymentmethod(
    value: str,
) -> PostApiV1OrdersOrderCreatePaymentmethod:
    if value in POST_API_V1_ORDERS_ORDER_CREATE_PAYMENTMETHOD_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {POST_API_V1_ORDERS_ORDER_CREATE_PAYMENTMETHOD_VALUES!r}"
    )
