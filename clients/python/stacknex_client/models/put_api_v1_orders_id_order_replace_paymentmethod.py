from enum import StrEnum


class PutApiV1OrdersIdOrderReplacePaymentmethod(StrEnum):
    CARD = "card"
    CASH = "cash"
    OTHER = "other"

    def __str__(self) -> str:
        return str(self.value)
