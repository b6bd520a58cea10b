from typing import Literal

PutApiV1OrdersIdOrderReplacePaymentmethod = Literal["card", "cash", "other"]

PUT_API_V1_ORDERS_ID_ORDER_REPLACE_PAYMENTMETHOD_VALUES: set[
    PutApiV1OrdersIdOrderReplacePaymentmethod
] = {
    "card",
    "cash",
    "other",
}


def check_put_api_v1_orders_id_order_replace_paymentmethod(
    value: str,
) -> PutApiV1OrdersIdOrderReplacePaymentmethod:
    if value in PUT_API_V1_ORDERS_ID_ORDER_REPLACE_PAYMENTMETHOD_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {PUT_API_V1_ORDERS_ID_ORDER_REPLACE_PAYMENTMETHOD_VALUES!r}"
    )
