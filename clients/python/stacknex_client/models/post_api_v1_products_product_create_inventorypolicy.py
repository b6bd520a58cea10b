from enum import StrEnum


class PostApiV1ProductsProductCreateInventorypolicy(StrEnum):
    CONTINUE = "continue"
    DENY = "deny"

    def __str__(self) -> str:
        return str(self.value)
