from typing import Literal

DeliveryReadStatus = Literal["failed", "pending", "succeeded"]

DELIVERY_READ_STATUS_VALUES: set[DeliveryReadStatus] = {
    "failed",
    "pending",
    "succeeded",
}


def check_delivery_read_status(value: str) -> DeliveryReadStatus:
    if value in DELIVERY_READ_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {DELIVERY_READ_STATUS_VALUES!r}")
