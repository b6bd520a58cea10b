from typing import Literal

PostApiV1ProductsProductCreateInventorypolicy = Literal["continue", "deny"]

POST_API_V1_PRODUCTS_PRODUCT_CREATE_INVENTORYPOLICY_VALUES: set[
    PostApiV1ProductsProductCreateInventorypolicy
] = {
    "continue",
    "deny",
}


def check_post_api_v1_products_product_create_inventorypolicy(
    value: str,
) -> PostApiV1ProductsProductCreateInventorypolicy:
    if value in POST_API_V1_PRODUCTS_PRODUCT_CREATE_INVENTORYPOLICY_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {POST_API_V1_PRODUCTS_PRODUCT_CREATE_INVENTORYPOLICY_VALUES!r}"
    )
