from enum import StrEnum


class PostApiV1OrdersOrderCreateStatus(StrEnum):
    COMPLETED = "completed"
    PENDING = "pending"

    def __str__(self) -> str:
        return str(self.value)
