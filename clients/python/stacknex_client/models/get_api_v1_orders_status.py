from enum import StrEnum


class GetApiV1OrdersStatus(StrEnum):
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    PENDING = "pending"

    def __str__(self) -> str:
        return str(self.value)
