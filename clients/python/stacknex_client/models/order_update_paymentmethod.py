from typing import Literal

OrderUpdatePaymentmethod = Literal["card", "cash", "other"]

ORDER_UPDATE_PAYMENTMETHOD_VALUES: set[OrderUpdatePaymentmethod] = {
    "card",
    "cash",
    "other",
}


def check_order_update_paymentmethod(value: str) -> OrderUpdatePaymentmethod:
    if value in ORDER_UPDATE_PAYMENTMETHOD_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {ORDER_UPDATE_PAYMENTMETHOD_VALUES!r}"
    )
