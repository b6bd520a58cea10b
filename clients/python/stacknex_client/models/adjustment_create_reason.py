from typing import Literal

AdjustmentCreateReason = Literal["correction", "damaged", "other", "received", "returned"]

ADJUSTMENT_CREATE_REASON_VALUES: set[AdjustmentCreateReason] = {
    "correction",
    "damaged",
    "other",
    "received",
    "returned",
}


def check_adjustment_create_reason(value: str) -> AdjustmentCreateReason:
    if value in ADJUSTMENT_CREATE_REASON_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {ADJUSTMENT_CREATE_REASON_VALUES!r}"
    )
