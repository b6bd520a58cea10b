from enum import StrEnum


class PutApiV1OrdersIdOrderReplaceStatus(StrEnum):
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    PENDING = "pending"

    def __str__(self) -> str:
        return str(self.value)
