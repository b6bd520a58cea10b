from typing import Literal

OrderCreatePaymentmethod = Literal["card", "cash", "other"]

ORDER_CREATE_PAYMENTMETHOD_VALUES: set[OrderCreatePaymentmethod] = {
    "card",
    "cash",
    "other",
}


def check_order_create_paymentmethod(value: str) -> OrderCreatePaymentmethod:
    if value in ORDER_CREATE_PAYMENTMETHOD_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {ORDER_CREATE_PAYMENTMETHOD_VALUES!r}"
    )
