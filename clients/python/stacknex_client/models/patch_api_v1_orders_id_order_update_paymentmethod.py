from enum import StrEnum


class PatchApiV1OrdersIdOrderUpdatePaymentmethod(StrEnum):
    CARD = "card"
    CASH = "cash"
    OTHER = "other"

    def __str__(self) -> str:
        return str(self.value)
