from enum import StrEnum


class PostApiV1InventoryIdAdjustmentsAdjustmentCreateReason(StrEnum):
    CORRECTION = "correction"
    DAMAGED = "damaged"
    OTHER = "other"
    RECEIVED = "received"
    RETURNED = "returned"

    def __str__(self) -> str:
        return str(self.value)
