from typing import Literal

PostApiV1InventoryIdAdjustmentsAdjustmentCreateReason = Literal[
    "correction", "damaged", "other", "received", "returned"
]

POST_API_V1_INVENTORY_ID_ADJUSTMENTS_ADJUSTMENT_CREATE_REASON_VALUES: set[
    PostApiV1InventoryIdAdjustmentsAdjustmentCreateReason
] = {
    "correction",
    "damaged",
    "other",
    "received",
    "returned",
}


def check_post_api_v1_inventory_id_adjustments_adjustment_create_reason(
    value: str,
) -> PostApiV1InventoryIdAdjustmentsAdjustmentCreateReason:
    if value in POST_API_V1_INVENTORY_ID_ADJUSTMENTS_ADJUSTMENT_CREATE_REASON_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {POST_API_V1_INVENTORY_ID_ADJUSTMENTS_ADJUSTMENT_CREATE_REASON_VALUES!r}"
    )
