from enum import StrEnum


class PostApiV1WebhooksEndpointCreateEventsItem(StrEnum):
    CUSTOMER_CREATED = "customer.created"
    CUSTOMER_UPDATED = "customer.updated"
    INVENTORY_LOW = "inventory.low"
    INVENTORY_UPDATED = "inventory.updated"
    ORDER_CANCELLED = "order.cancelled"
    ORDER_COMPLETED = "order.completed"
    ORDER_CREATED = "order.created"
    ORDER_UPDATED = "order.updated"
    PRODUCT_CREATED = "product.created"
    PRODUCT_DELETED = "product.deleted"
    PRODUCT_UPDATED = "product.updated"
    VALUE_0 = "*"

    def __str__(self) -> str:
        return str(self.value)
