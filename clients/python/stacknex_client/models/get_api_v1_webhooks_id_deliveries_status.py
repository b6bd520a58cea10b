from enum import StrEnum


class GetApiV1WebhooksIdDeliveriesStatus(StrEnum):
    FAILED = "failed"
    PENDING = "pending"
    SUCCEEDED = "succeeded"

    def __str__(self) -> str:
        return str(self.value)
