from enum import StrEnum


class PatchApiV1OrdersIdOrderUpdateStatus(StrEnum):
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    PENDING = "pending"

    def __str__(self) -> str:
        return str(self.value)
