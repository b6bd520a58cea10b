from typing import Literal

ProductCreateInventorypolicy = Literal["continue", "deny"]

PRODUCT_CREATE_INVENTORYPOLICY_VALUES: set[ProductCreateInventorypolicy] = {
    "continue",
    "deny",
}


def check_product_create_inventorypolicy(value: str) -> ProductCreateInventorypolicy:
    if value in PRODUCT_CREATE_INVENTORYPOLICY_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {PRODUCT_CREATE_INVENTORYPOLICY_VALUES!r}"
    )
