from typing import Literal

AdjustmentReadReasonType1 = Literal["count", "restock", "sale"]

ADJUSTMENT_READ_REASON_TYPE_1_VALUES: set[AdjustmentReadReasonType1] = {
    "count",
    "restock",
    "sale",
}


def check_adjustment_read_reason_type_1(value: str) -> AdjustmentReadReasonType1:
    if value in ADJUSTMENT_READ_REASON_TYPE_1_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {ADJUSTMENT_READ_REASON_TYPE_1_VALUES!r}"
    )
