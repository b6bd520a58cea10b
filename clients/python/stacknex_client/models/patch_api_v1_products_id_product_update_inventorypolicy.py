from enum import StrEnum


class PatchApiV1ProductsIdProductUpdateInventorypolicy(StrEnum):
    CONTINUE = "continue"
    DENY = "deny"

    def __str__(self) -> str:
        return str(self.value)
