from typing import Literal

PutApiV1ProductsIdProductReplaceInventorypolicy = Literal["continue", "deny"]

PUT_API_V1_PRODUCTS_ID_PRODUCT_REPLACE_INVENTORYPOLICY_VALUES: set[
    PutApiV1ProductsIdProductReplaceInventorypolicy
] = {
    "continue",
    "deny",
}


def check_put_api_v1_products_id_product_replace_inventorypolicy(
    value: str,
) -> PutApiV1ProductsIdProductReplaceInventorypolicy:
    if value in PUT_API_V1_PRODUCTS_ID_PRODUCT_REPLACE_INVENTORYPOLICY_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {PUT_API_V1_PRODUCTS_ID_PRODUCT_REPLACE_INVENTORYPOLICY_VALUES!r}"
    )
