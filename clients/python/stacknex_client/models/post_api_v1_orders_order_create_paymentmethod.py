from enum import StrEnum


class PostApiV1OrdersOrderCreatePaymentmethod(StrEnum):
    CARD = "card"
    CASH = "cash"
    OTHER = "other"

    def __str__(self) -> str:
        return str(self.value)
