from typing import Literal

ProductUpdateInventorypolicy = Literal["continue", "deny"]

PRODUCT_UPDATE_INVENTORYPOLICY_VALUES: set[ProductUpdateInventorypolicy] = {
    "continue",
    "deny",
}


def check_product_update_inventorypolicy(value: str) -> ProductUpdateInventorypolicy:
    if value in PRODUCT_UPDATE_INVENTORYPOLICY_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {PRODUCT_UPDATE_INVENTORYPOLICY_VALUES!r}"
    )
