from typing import Literal

PatchApiV1OrdersIdOrderUpdatePaymentmethod = Literal["card", "cash", "other"]

PATCH_API_V1_ORDERS_ID_ORDER_UPDATE_PAYMENTMETHOD_VALUES: set[
    PatchApiV1OrdersIdOrderUpdatePaymentmethod
] = {
    "card",
    "cash",
    "other",
}


def check_patch_api_v1_orders_id_order_update_paymentmethod(
    value: str,
) -> PatchApiV1OrdersIdOrderUpdatePaymentmethod:
    if value in PATCH_API_V1_ORDERS_ID_ORDER_UPDATE_PAYMENTMETHOD_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {PATCH_API_V1_ORDERS_ID_ORDER_UPDATE_PAYMENTMETHOD_VALUES!r}"
    )
