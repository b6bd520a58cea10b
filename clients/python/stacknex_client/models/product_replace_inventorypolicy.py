from typing import Literal

ProductReplaceInventorypolicy = Literal["continue", "deny"]

PRODUCT_REPLACE_INVENTORYPOLICY_VALUES: set[ProductReplaceInventorypolicy] = {
    "continue",
    "deny",
}


def check_product_replace_inventorypolicy(value: str) -> ProductReplaceInventorypolicy:
    if value in PRODUCT_REPLACE_INVENTORYPOLICY_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {PRODUCT_REPLACE_INVENTORYPOLICY_VALUES!r}"
    )
