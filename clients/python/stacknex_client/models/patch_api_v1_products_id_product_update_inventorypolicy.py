from typing import Literal

PatchApiV1ProductsIdProductUpdateInventorypolicy = Literal["continue", "deny"]

PATCH_API_V1_PRODUCTS_ID_PRODUCT_UPDATE_INVENTORYPOLICY_VALUES: set[
    PatchApiV1ProductsIdProductUpdateInventorypolicy
] = {
    "continue",
    "deny",
}


def check_patch_api_v1_products_id_product_update_inventorypolicy(
    value: str,
) -> PatchApiV1ProductsIdProductUpdateInventorypolicy:
    if value in PATCH_API_V1_PRODUCTS_ID_PRODUCT_UPDATE_INVENTORYPOLICY_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {PATCH_API_V1_PRODUCTS_ID_PRODUCT_UPDATE_INVENTORYPOLICY_VALUES!r}"
    )
