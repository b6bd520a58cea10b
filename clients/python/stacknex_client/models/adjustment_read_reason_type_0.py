from typing import Literal

AdjustmentReadReasonType0 = Literal["correction", "damaged", "other", "received", "returned"]

ADJUSTMENT_READ_REASON_TYPE_0_VALUES: set[AdjustmentReadReasonType0] = {
    "correction",
    "damaged",
    "other",
    "received",
    "returned",
}


def check_adjustment_read_reason_type_0(value: str) -> AdjustmentReadReasonType0:
    if value in ADJUSTMENT_READ_REASON_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {ADJUSTMENT_READ_REASON_TYPE_0_VALUES!r}"
    )
