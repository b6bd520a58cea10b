"""Contains all the data models used in inputs/outputs"""

from .adjustment_create import AdjustmentCreate
from .adjustment_create_reason import AdjustmentCreateReason
from .adjustment_page import AdjustmentPage
from .adjustment_read import AdjustmentRead
from .adjustment_read_reason_type_0 import AdjustmentReadReasonType0
from .adjustment_read_reason_type_1 import AdjustmentReadReasonType1
from .attempt_read import AttemptRead
from .category_create import CategoryCreate
from .category_create_metadata import CategoryCreateMetadata
from .category_envelope import CategoryEnvelope
from .category_event import CategoryEvent
from .category_event_mode_type_0 import CategoryEventModeType0
from .category_event_page import CategoryEventPage
from .category_page import CategoryPage
from .category_read import CategoryRead
from .category_read_metadata import CategoryReadMetadata
from .category_update import CategoryUpdate
from .category_update_metadata import CategoryUpdateMetadata
from .customer_create import CustomerCreate
from .customer_create_metadata import CustomerCreateMetadata
from .customer_envelope import CustomerEnvelope
from .customer_event import CustomerEvent
from .customer_event_mode_type_0 import CustomerEventModeType0
from .customer_event_page import CustomerEventPage
from .customer_page import CustomerPage
from .customer_read import CustomerRead
from .customer_read_metadata import CustomerReadMetadata
from .customer_replace import CustomerReplace
from .customer_replace_metadata import CustomerReplaceMetadata
from .customer_update import CustomerUpdate
from .customer_update_metadata import CustomerUpdateMetadata
from .deleted import Deleted
from .deleted_envelope import DeletedEnvelope
from .delivery_detail import DeliveryDetail
from .delivery_detail_envelope import DeliveryDetailEnvelope
from .delivery_detail_status import DeliveryDetailStatus
from .delivery_page import DeliveryPage
from .delivery_queued import DeliveryQueued
from .delivery_queued_envelope import DeliveryQueuedEnvelope
from .delivery_read import DeliveryRead
from .delivery_read_status import DeliveryReadStatus
from .endpoint_create import EndpointCreate
from .endpoint_create_events_item import EndpointCreateEventsItem
from .endpoint_update import EndpointUpdate
from .endpoint_update_events_item import EndpointUpdateEventsItem
from .envelope import Envelope
from .envelope_data import EnvelopeData
from .error import Error
from .error_code import ErrorCode
from .error_details import ErrorDetails
from .error_envelope import ErrorEnvelope
from .event import Event
from .event_data import EventData
from .event_envelope import EventEnvelope
from .event_mode_type_0 import EventModeType0
from .event_page import EventPage
from .inventory_item_envelope import InventoryItemEnvelope
from .inventory_item_event import InventoryItemEvent
from .inventory_item_event_mode_type_0 import InventoryItemEventModeType0
from .inventory_item_event_page import InventoryItemEventPage
from .inventory_item_page import InventoryItemPage
from .inventory_item_read import InventoryItemRead
from .inventory_low_event import InventoryLowEvent
from .inventory_low_event_mode_type_0 import InventoryLowEventModeType0
from .inventory_low_read import InventoryLowRead
from .inventory_update import InventoryUpdate
from .inventory_update_reason_type_0 import InventoryUpdateReasonType0
from .inventory_update_reason_type_1 import InventoryUpdateReasonType1
from .inventory_update_reason_type_2 import InventoryUpdateReasonType2
from .inventory_updated_event import InventoryUpdatedEvent
from .inventory_updated_event_mode_type_0 import InventoryUpdatedEventModeType0
from .item_count import ItemCount
from .list_orders_status import ListOrdersStatus
from .list_webhook_deliveries_status import ListWebhookDeliveriesStatus
from .location_create import LocationCreate
from .location_create_metadata import LocationCreateMetadata
from .location_envelope import LocationEnvelope
from .location_event import LocationEvent
from .location_event_mode_type_0 import LocationEventModeType0
from .location_event_page import LocationEventPage
from .location_page import LocationPage
from .location_read import LocationRead
from .location_read_metadata import LocationReadMetadata
from .location_update import LocationUpdate
from .location_update_metadata import LocationUpdateMetadata
from .order_create import OrderCreate
from .order_create_metadata import OrderCreateMetadata
from .order_create_paymentmethod import OrderCreatePaymentmethod
from .order_create_status import OrderCreateStatus
from .order_envelope import OrderEnvelope
from .order_event import OrderEvent
from .order_event_mode_type_0 import OrderEventModeType0
from .order_event_page import OrderEventPage
from .order_item import OrderItem
from .order_line import OrderLine
from .order_page import OrderPage
from .order_read import OrderRead
from .order_read_metadata import OrderReadMetadata
from .order_read_paymentmethod import OrderReadPaymentmethod
from .order_read_status import OrderReadStatus
from .order_replace import OrderReplace
from .order_replace_metadata import OrderReplaceMetadata
from .order_replace_paymentmethod import OrderReplacePaymentmethod
from .order_replace_status import OrderReplaceStatus
from .order_update import OrderUpdate
from .order_update_metadata import OrderUpdateMetadata
from .order_update_paymentmethod import OrderUpdatePaymentmethod
from .order_update_status import OrderUpdateStatus
from .page import Page
from .page_data_item import PageDataItem
from .pagination import Pagination
from .product_create import ProductCreate
from .product_create_currency_type_0 import ProductCreateCurrencyType0
from .product_create_inventorypolicy import ProductCreateInventorypolicy
from .product_create_metadata import ProductCreateMetadata
from .product_envelope import ProductEnvelope
from .product_event import ProductEvent
from .product_event_mode_type_0 import ProductEventModeType0
from .product_event_page import ProductEventPage
from .product_page import ProductPage
from .product_read import ProductRead
from .product_read_inventorypolicy import ProductReadInventorypolicy
from .product_read_metadata import ProductReadMetadata
from .product_replace import ProductReplace
from .product_replace_currency_type_0 import ProductReplaceCurrencyType0
from .product_replace_inventorypolicy import ProductReplaceInventorypolicy
from .product_replace_metadata import ProductReplaceMetadata
from .product_update import ProductUpdate
from .product_update_currency import ProductUpdateCurrency
from .product_update_inventorypolicy import ProductUpdateInventorypolicy
from .product_update_metadata import ProductUpdateMetadata
from .recover import Recover
from .recovered import Recovered
from .recovered_envelope import RecoveredEnvelope
from .rotate import Rotate
from .webhook_endpoint_created import WebhookEndpointCreated
from .webhook_endpoint_created_envelope import WebhookEndpointCreatedEnvelope
from .webhook_endpoint_envelope import WebhookEndpointEnvelope
from .webhook_endpoint_event import WebhookEndpointEvent
from .webhook_endpoint_event_mode_type_0 import WebhookEndpointEventModeType0
from .webhook_endpoint_event_page import WebhookEndpointEventPage
from .webhook_endpoint_page import WebhookEndpointPage
from .webhook_endpoint_read import WebhookEndpointRead
from .webhook_secret import WebhookSecret
from .webhook_secret_envelope import WebhookSecretEnvelope
from .webhook_secret_rotated import WebhookSecretRotated
from .webhook_secret_rotated_envelope import WebhookSecretRotatedEnvelope
from .webhook_test_event import WebhookTestEvent
from .webhook_test_event_mode_type_0 import WebhookTestEventModeType0
from .webhook_test_queued import WebhookTestQueued
from .webhook_test_queued_envelope import WebhookTestQueuedEnvelope
from .webhook_test_read import WebhookTestRead

__all__ = (
    "AdjustmentCreate",
    "AdjustmentCreateReason",
    "AdjustmentPage",
    "AdjustmentRead",
    "AdjustmentReadReasonType0",
    "AdjustmentReadReasonType1",
    "AttemptRead",
    "CategoryCreate",
    "CategoryCreateMetadata",
    "CategoryEnvelope",
    "CategoryEvent",
    "CategoryEventModeType0",
    "CategoryEventPage",
    "CategoryPage",
    "CategoryRead",
    "CategoryReadMetadata",
    "CategoryUpdate",
    "CategoryUpdateMetadata",
    "CustomerCreate",
    "CustomerCreateMetadata",
    "CustomerEnvelope",
    "CustomerEvent",
    "CustomerEventModeType0",
    "CustomerEventPage",
    "CustomerPage",
    "CustomerRead",
    "CustomerReadMetadata",
    "CustomerReplace",
    "CustomerReplaceMetadata",
    "CustomerUpdate",
    "CustomerUpdateMetadata",
    "Deleted",
    "DeletedEnvelope",
    "DeliveryDetail",
    "DeliveryDetailEnvelope",
    "DeliveryDetailStatus",
    "DeliveryPage",
    "DeliveryQueued",
    "DeliveryQueuedEnvelope",
    "DeliveryRead",
    "DeliveryReadStatus",
    "EndpointCreate",
    "EndpointCreateEventsItem",
    "EndpointUpdate",
    "EndpointUpdateEventsItem",
    "Envelope",
    "EnvelopeData",
    "Error",
    "ErrorCode",
    "ErrorDetails",
    "ErrorEnvelope",
    "Event",
    "EventData",
    "EventEnvelope",
    "EventModeType0",
    "EventPage",
    "InventoryItemEnvelope",
    "InventoryItemEvent",
    "InventoryItemEventModeType0",
    "InventoryItemEventPage",
    "InventoryItemPage",
    "InventoryItemRead",
    "InventoryLowEvent",
    "InventoryLowEventModeType0",
    "InventoryLowRead",
    "InventoryUpdate",
    "InventoryUpdateReasonType0",
    "InventoryUpdateReasonType1",
    "InventoryUpdateReasonType2",
    "InventoryUpdatedEvent",
    "InventoryUpdatedEventModeType0",
    "ItemCount",
    "ListOrdersStatus",
    "ListWebhookDeliveriesStatus",
    "LocationCreate",
    "LocationCreateMetadata",
    "LocationEnvelope",
    "LocationEvent",
    "LocationEventModeType0",
    "LocationEventPage",
    "LocationPage",
    "LocationRead",
    "LocationReadMetadata",
    "LocationUpdate",
    "LocationUpdateMetadata",
    "OrderCreate",
    "OrderCreateMetadata",
    "OrderCreatePaymentmethod",
    "OrderCreateStatus",
    "OrderEnvelope",
    "OrderEvent",
    "OrderEventModeType0",
    "OrderEventPage",
    "OrderItem",
    "OrderLine",
    "OrderPage",
    "OrderRead",
    "OrderReadMetadata",
    "OrderReadPaymentmethod",
    "OrderReadStatus",
    "OrderReplace",
    "OrderReplaceMetadata",
    "OrderReplacePaymentmethod",
    "OrderReplaceStatus",
    "OrderUpdate",
    "OrderUpdateMetadata",
    "OrderUpdatePaymentmethod",
    "OrderUpdateStatus",
    "Page",
    "PageDataItem",
    "Pagination",
    "ProductCreate",
    "ProductCreateCurrencyType0",
    "ProductCreateInventorypolicy",
    "ProductCreateMetadata",
    "ProductEnvelope",
    "ProductEvent",
    "ProductEventModeType0",
    "ProductEventPage",
    "ProductPage",
    "ProductRead",
    "ProductReadInventorypolicy",
    "ProductReadMetadata",
    "ProductReplace",
    "ProductReplaceCurrencyType0",
    "ProductReplaceInventorypolicy",
    "ProductReplaceMetadata",
    "ProductUpdate",
    "ProductUpdateCurrency",
    "ProductUpdateInventorypolicy",
    "ProductUpdateMetadata",
    "Recover",
    "Recovered",
    "RecoveredEnvelope",
    "Rotate",
    "WebhookEndpointCreated",
    "WebhookEndpointCreatedEnvelope",
    "WebhookEndpointEnvelope",
    "WebhookEndpointEvent",
    "WebhookEndpointEventModeType0",
    "WebhookEndpointEventPage",
    "WebhookEndpointPage",
    "WebhookEndpointRead",
    "WebhookSecret",
    "WebhookSecretEnvelope",
    "WebhookSecretRotated",
    "WebhookSecretRotatedEnvelope",
    "WebhookTestEvent",
    "WebhookTestEventModeType0",
    "WebhookTestQueued",
    "WebhookTestQueuedEnvelope",
    "WebhookTestRead",
)
