from enum import StrEnum


class PutApiV1ProductsIdProductReplaceInventorypolicy(StrEnum):
    CONTINUE = "continue"
    DENY = "deny"

    def __str__(self) -> str:
        return str(self.value)
