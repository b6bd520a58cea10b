from typing import Literal

OrderReplacePaymentmethod = Literal["card", "cash", "other"]

ORDER_REPLACE_PAYMENTMETHOD_VALUES: set[OrderReplacePaymentmethod] = {
    "card",
    "cash",
    "other",
}


def check_order_replace_paymentmethod(value: str) -> OrderReplacePaymentmethod:
    if value in ORDER_REPLACE_PAYMENTMETHOD_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {ORDER_REPLACE_PAYMENTMETHOD_VALUES!r}"
    )
