from typing import Literal

OrderReadPaymentmethod = Literal["card", "cash", "other"]

ORDER_READ_PAYMENTMETHOD_VALUES: set[OrderReadPaymentmethod] = {
    "card",
    "cash",
    "other",
}


def check_order_read_paymentmethod(value: str) -> OrderReadPaymentmethod:
    if value in ORDER_READ_PAYMENTMETHOD_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {ORDER_READ_PAYMENTMETHOD_VALUES!r}"
    )
