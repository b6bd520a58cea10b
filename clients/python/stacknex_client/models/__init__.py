"""Contains all the data models used in inputs/outputs"""

from .error_envelope import ErrorEnvelope
from .error_envelope_error import ErrorEnvelopeError
from .error_envelope_error_code import ErrorEnvelopeErrorCode
from .error_envelope_error_details import ErrorEnvelopeErrorDetails
from .get_api_v1_orders_status import GetApiV1OrdersStatus
from .get_api_v1_webhooks_id_deliveries_status import GetApiV1WebhooksIdDeliveriesStatus
from .list_envelope import ListEnvelope
from .list_envelope_data_item import ListEnvelopeDataItem
from .list_envelope_pagination import ListEnvelopePagination
from .object_envelope import ObjectEnvelope
from .object_envelope_data import ObjectEnvelopeData
from .order_item import OrderItem
from .patch_api_v1_categories_id_category_update import PatchApiV1CategoriesIdCategoryUpdate
from .patch_api_v1_categories_id_category_update_metadata import (
    PatchApiV1CategoriesIdCategoryUpdateMetadata,
)
from .patch_api_v1_customers_id_customer_update import PatchApiV1CustomersIdCustomerUpdate
from .patch_api_v1_customers_id_customer_update_metadata import (
    PatchApiV1CustomersIdCustomerUpdateMetadata,
)
from .patch_api_v1_locations_id_location_update import PatchApiV1LocationsIdLocationUpdate
from .patch_api_v1_locations_id_location_update_metadata import (
    PatchApiV1LocationsIdLocationUpdateMetadata,
)
from .patch_api_v1_orders_id_order_update import PatchApiV1OrdersIdOrderUpdate
from .patch_api_v1_orders_id_order_update_metadata import PatchApiV1OrdersIdOrderUpdateMetadata
from .patch_api_v1_orders_id_order_update_paymentmethod import (
    PatchApiV1OrdersIdOrderUpdatePaymentmethod,
)
from .patch_api_v1_orders_id_order_update_status import PatchApiV1OrdersIdOrderUpdateStatus
from .patch_api_v1_products_id_product_update import PatchApiV1ProductsIdProductUpdate
from .patch_api_v1_products_id_product_update_currency import (
    PatchApiV1ProductsIdProductUpdateCurrency,
)
from .patch_api_v1_products_id_product_update_inventorypolicy import (
    PatchApiV1ProductsIdProductUpdateInventorypolicy,
)
from .patch_api_v1_products_id_product_update_metadata import (
    PatchApiV1ProductsIdProductUpdateMetadata,
)
from .patch_api_v1_webhooks_id_endpoint_update import PatchApiV1WebhooksIdEndpointUpdate
from .patch_api_v1_webhooks_id_endpoint_update_events_item import (
    PatchApiV1WebhooksIdEndpointUpdateEventsItem,
)
from .post_api_v1_categories_category_create import PostApiV1CategoriesCategoryCreate
from .post_api_v1_categories_category_create_metadata import (
    PostApiV1CategoriesCategoryCreateMetadata,
)
from .post_api_v1_customers_customer_create import PostApiV1CustomersCustomerCreate
from .post_api_v1_customers_customer_create_metadata import PostApiV1CustomersCustomerCreateMetadata
from .post_api_v1_inventory_id_adjustments_adjustment_create import (
    PostApiV1InventoryIdAdjustmentsAdjustmentCreate,
)
from .post_api_v1_inventory_id_adjustments_adjustment_create_reason import (
    PostApiV1InventoryIdAdjustmentsAdjustmentCreateReason,
)
from .post_api_v1_locations_location_create import PostApiV1LocationsLocationCreate
from .post_api_v1_locations_location_create_metadata import PostApiV1LocationsLocationCreateMetadata
from .post_api_v1_orders_order_create import PostApiV1OrdersOrderCreate
from .post_api_v1_orders_order_create_metadata import PostApiV1OrdersOrderCreateMetadata
from .post_api_v1_orders_order_create_paymentmethod import PostApiV1OrdersOrderCreatePaymentmethod
from .post_api_v1_orders_order_create_status import PostApiV1OrdersOrderCreateStatus
from .post_api_v1_products_product_create import PostApiV1ProductsProductCreate
from .post_api_v1_products_product_create_currency_type_0 import (
    PostApiV1ProductsProductCreateCurrencyType0,
)
from .post_api_v1_products_product_create_inventorypolicy import (
    PostApiV1ProductsProductCreateInventorypolicy,
)
from .post_api_v1_products_product_create_metadata import PostApiV1ProductsProductCreateMetadata
from .post_api_v1_webhooks_endpoint_create import PostApiV1WebhooksEndpointCreate
from .post_api_v1_webhooks_endpoint_create_events_item import (
    PostApiV1WebhooksEndpointCreateEventsItem,
)
from .post_api_v1_webhooks_id_recover_recover import PostApiV1WebhooksIdRecoverRecover
from .post_api_v1_webhooks_id_rotate_secret_rotate import PostApiV1WebhooksIdRotateSecretRotate
from .put_api_v1_customers_id_customer_replace import PutApiV1CustomersIdCustomerReplace
from .put_api_v1_customers_id_customer_replace_metadata import (
    PutApiV1CustomersIdCustomerReplaceMetadata,
)
from .put_api_v1_inventory_id_item_count import PutApiV1InventoryIdItemCount
from .put_api_v1_orders_id_order_replace import PutApiV1OrdersIdOrderReplace
from .put_api_v1_orders_id_order_replace_metadata import PutApiV1OrdersIdOrderReplaceMetadata
from .put_api_v1_orders_id_order_replace_paymentmethod import (
    PutApiV1OrdersIdOrderReplacePaymentmethod,
)
from .put_api_v1_orders_id_order_replace_status import PutApiV1OrdersIdOrderReplaceStatus
from .put_api_v1_products_id_product_replace import PutApiV1ProductsIdProductReplace
from .put_api_v1_products_id_product_replace_currency_type_0 import (
    PutApiV1ProductsIdProductReplaceCurrencyType0,
)
from .put_api_v1_products_id_product_replace_inventorypolicy import (
    PutApiV1ProductsIdProductReplaceInventorypolicy,
)
from .put_api_v1_products_id_product_replace_metadata import (
    PutApiV1ProductsIdProductReplaceMetadata,
)

__all__ = (
    "ErrorEnvelope",
    "ErrorEnvelopeError",
    "ErrorEnvelopeErrorCode",
    "ErrorEnvelopeErrorDetails",
    "GetApiV1OrdersStatus",
    "GetApiV1WebhooksIdDeliveriesStatus",
    "ListEnvelope",
    "ListEnvelopeDataItem",
    "ListEnvelopePagination",
    "ObjectEnvelope",
    "ObjectEnvelopeData",
    "OrderItem",
    "PatchApiV1CategoriesIdCategoryUpdate",
    "PatchApiV1CategoriesIdCategoryUpdateMetadata",
    "PatchApiV1CustomersIdCustomerUpdate",
    "PatchApiV1CustomersIdCustomerUpdateMetadata",
    "PatchApiV1LocationsIdLocationUpdate",
    "PatchApiV1LocationsIdLocationUpdateMetadata",
    "PatchApiV1OrdersIdOrderUpdate",
    "PatchApiV1OrdersIdOrderUpdateMetadata",
    "PatchApiV1OrdersIdOrderUpdatePaymentmethod",
    "PatchApiV1OrdersIdOrderUpdateStatus",
    "PatchApiV1ProductsIdProductUpdate",
    "PatchApiV1ProductsIdProductUpdateCurrency",
    "PatchApiV1ProductsIdProductUpdateInventorypolicy",
    "PatchApiV1ProductsIdProductUpdateMetadata",
    "PatchApiV1WebhooksIdEndpointUpdate",
    "PatchApiV1WebhooksIdEndpointUpdateEventsItem",
    "PostApiV1CategoriesCategoryCreate",
    "PostApiV1CategoriesCategoryCreateMetadata",
    "PostApiV1CustomersCustomerCreate",
    "PostApiV1CustomersCustomerCreateMetadata",
    "PostApiV1InventoryIdAdjustmentsAdjustmentCreate",
    "PostApiV1InventoryIdAdjustmentsAdjustmentCreateReason",
    "PostApiV1LocationsLocationCreate",
    "PostApiV1LocationsLocationCreateMetadata",
    "PostApiV1OrdersOrderCreate",
    "PostApiV1OrdersOrderCreateMetadata",
    "PostApiV1OrdersOrderCreatePaymentmethod",
    "PostApiV1OrdersOrderCreateStatus",
    "PostApiV1ProductsProductCreate",
    "PostApiV1ProductsProductCreateCurrencyType0",
    "PostApiV1ProductsProductCreateInventorypolicy",
    "PostApiV1ProductsProductCreateMetadata",
    "PostApiV1WebhooksEndpointCreate",
    "PostApiV1WebhooksEndpointCreateEventsItem",
    "PostApiV1WebhooksIdRecoverRecover",
    "PostApiV1WebhooksIdRotateSecretRotate",
    "PutApiV1CustomersIdCustomerReplace",
    "PutApiV1CustomersIdCustomerReplaceMetadata",
    "PutApiV1InventoryIdItemCount",
    "PutApiV1OrdersIdOrderReplace",
    "PutApiV1OrdersIdOrderReplaceMetadata",
    "PutApiV1OrdersIdOrderReplacePaymentmethod",
    "PutApiV1OrdersIdOrderReplaceStatus",
    "PutApiV1ProductsIdProductReplace",
    "PutApiV1ProductsIdProductReplaceCurrencyType0",
    "PutApiV1ProductsIdProductReplaceInventorypolicy",
    "PutApiV1ProductsIdProductReplaceMetadata",
)
