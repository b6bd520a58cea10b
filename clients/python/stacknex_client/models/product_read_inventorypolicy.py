from typing import Literal

ProductReadInventorypolicy = Literal["continue", "deny"]

PRODUCT_READ_INVENTORYPOLICY_VALUES: set[ProductReadInventorypolicy] = {
    "continue",
    "deny",
}


def check_product_read_inventorypolicy(value: str) -> ProductReadInventorypolicy:
    if value in PRODUCT_READ_INVENTORYPOLICY_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {PRODUCT_READ_INVENTORYPOLICY_VALUES!r}"
    )
