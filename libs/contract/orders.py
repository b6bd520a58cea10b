"""The orders service's contract: orders and customers, their requests, answers and
operations."""

from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema

from libs.common.errors import Conflict, InsufficientStock
from libs.common.listing import ListQuery
from libs.common.resources import Amount, At, Resource
from libs.common.validation import (
    ApiModel,
    CustomerId,
    Integer,
    LocationId,
    Metadata,
    Money,
    OrderId,
    PatchModel,
    ProductId,
    Version,
    trimmed,
)
from libs.contract.base import Crud
from libs.contract.catalog import EventList
from libs.contract.events import typed_event

Text = Annotated[str, StringConstraints(max_length=2000)]
Name = Annotated[str, *trimmed(max_length=100)]
# Trimmed, then 3 to 32 of digits, spaces and ( ) . / -, after an optional +. The document
# asks for a digit-or-punctuation character at each end, so what it allows, the API takes.
Phone = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=3, max_length=32, pattern=r"^\+?[0-9 ()./-]+$"
    ),
    WithJsonSchema(
        {
            "type": "string",
            "maxLength": 32,
            "pattern": r"^\s*\+?[0-9()./-][0-9 ()./-]+[0-9()./-]\s*$",
            "example": "+44 20 7946 0000",
        }
    ),
]
# An email address as the API takes it, and the document says: a local part, an @, a domain
# with a dot, no spaces, at most 320 characters (RFC 5321's 64 + 1 + 255). Looser than a
# validator that refuses reserved domains: no schema can say which those are, and a till
# records the address the customer gives.
_EMAIL = r"^[^@\s\u0000]+@[^@\s\u0000]+\.[^@\s\u0000]+$"
Email = Annotated[
    str,
    StringConstraints(max_length=320, pattern=_EMAIL),
    WithJsonSchema(
        {
            "type": "string",
            "format": "email",
            "maxLength": 320,
            "pattern": _EMAIL,
            "example": "ada@example.com",
        }
    ),
]
Status = Literal["pending", "completed", "cancelled"]
Payment = Literal["cash", "card", "other"]


class CustomerCreate(ApiModel):
    email: Email
    first_name: Name | None = None
    last_name: Name | None = None
    phone: Phone | None = None
    note: Text | None = None
    metadata: Metadata = Field(default_factory=dict)


class CustomerReplace(CustomerCreate):
    version: Version | None = None


CUSTOMER_REQUIRED = frozenset({"email", "metadata"})


class CustomerUpdate(PatchModel):
    non_null = CUSTOMER_REQUIRED

    email: Email | None = None
    first_name: Name | None = None
    last_name: Name | None = None
    phone: Phone | None = None
    note: Text | None = None
    metadata: Metadata | None = None
    version: Version | None = None


class CustomerList(ListQuery):
    starting_after: CustomerId | None = None
    email: Annotated[str, StringConstraints(max_length=320)] | None = None
    q: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None


class OrderItem(ApiModel):
    product_id: ProductId
    quantity: Annotated[int, Field(ge=1, le=10_000), Integer]
    unit_price: Money | None = None


class OrderCreate(ApiModel):
    location_id: LocationId
    items: Annotated[list[OrderItem], Field(min_length=1, max_length=500)]
    payment_method: Payment
    status: Literal["pending", "completed"] = "completed"
    customer_id: CustomerId | None = None
    note: Text | None = None
    metadata: Metadata = Field(default_factory=dict)


class OrderReplace(ApiModel):
    """PUT: the mutable fields (status and bookkeeping); the lines are fixed at sale."""

    status: Status
    payment_method: Payment
    customer_id: CustomerId | None = None
    note: Text | None = None
    metadata: Metadata = Field(default_factory=dict)
    restock: bool | None = None
    version: Version | None = None


ORDER_REQUIRED = frozenset({"status", "payment_method", "metadata"})


class OrderUpdate(PatchModel):
    non_null = ORDER_REQUIRED

    status: Status | None = None
    payment_method: Payment | None = None
    customer_id: CustomerId | None = None
    note: Text | None = None
    metadata: Metadata | None = None
    restock: bool | None = None
    version: Version | None = None


class OrderList(ListQuery):
    starting_after: OrderId | None = None
    status: Status | None = None
    customer_id: CustomerId | None = None
    location_id: LocationId | None = None


def _example(**fields: Any) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": [fields]})


class OrderLine(BaseModel):
    """A line as sold: the product's name, SKU and price as they were at the sale."""

    model_config = ConfigDict(**Resource.model_config)

    product_id: str
    name: str
    sku: str | None
    unit_price: Amount
    quantity: int
    line_total: Amount


class OrderRead(Resource):
    model_config = _example(
        id="ord_2Nf8xQ4kLm9pRs7tUv",
        orderNumber="ORD-2024-0001",
        status="completed",
        items=[
            {
                "productId": "prod_2Nf8xQ4kLm9pRs7tUw",
                "name": "Bagel",
                "sku": "BGL-001",
                "unitPrice": 4.99,
                "quantity": 2,
                "lineTotal": 9.98,
            }
        ],
        subtotal=9.98,
        total=9.98,
        currency="USD",
        locationId="loc_2Nf8xQ4kLm9pRs7tUx",
        customerId=None,
        paymentMethod="cash",
        note=None,
        metadata={},
        restock=None,
        completedAt="2024-01-15T10:30:00Z",
        cancelledAt=None,
        version=2,
        createdAt="2024-01-15T10:30:00Z",
        updatedAt="2024-01-15T10:30:00Z",
    )
    kind: ClassVar[str] = "order"

    order_number: str
    status: Status
    items: list[OrderLine]
    # No taxes or discounts yet: the total is the subtotal, the sum of the line totals.
    subtotal: Amount
    total: Amount
    currency: str
    location_id: str
    customer_id: str | None
    payment_method: Payment
    note: str | None
    metadata: dict[str, str]
    # On an order cancelled after completion: whether its goods went back on the shelf.
    restock: bool | None = None
    completed_at: At | None = None
    cancelled_at: At | None = None


class CustomerRead(Resource):
    model_config = _example(
        id="cus_2Nf8xQ4kLm9pRs7tUv",
        email="ada@example.com",
        firstName="Ada",
        lastName="Lovelace",
        phone="+44 20 7946 0000",
        note=None,
        metadata={},
        ordersCount=3,
        totalSpent=27.45,
        version=1,
        createdAt="2024-01-15T10:30:00Z",
        updatedAt="2024-01-15T10:30:00Z",
    )
    kind: ClassVar[str] = "customer"

    email: str
    first_name: str | None
    last_name: str | None
    phone: str | None
    note: str | None
    metadata: dict[str, str]
    # Kept by the read model from order events (completed, not voided), not by the
    # customer's own events: an answer shows them as they are now.
    orders_count: int
    total_spent: Amount


OrderEvent = typed_event("OrderEvent", OrderRead)
CustomerEvent = typed_event("CustomerEvent", CustomerRead)
EVENTS = {
    "order.created": OrderEvent,
    "order.updated": OrderEvent,
    "order.completed": OrderEvent,
    "order.cancelled": OrderEvent,
    "customer.created": CustomerEvent,
    "customer.updated": CustomerEvent,
}

_orders = Crud(singular="Order", plural="Orders", service="orders", scope="orders", id_type=OrderId)
_customers = Crud(
    singular="Customer", plural="Customers", service="orders", scope="customers", id_type=CustomerId
)
OPERATIONS = [
    _orders.list(OrderList, OrderRead),
    _orders.create(
        OrderCreate,
        OrderRead,
        # Not enough stock; a product inactive, or of another currency than the others.
        errors=(InsufficientStock, Conflict),
        # The product docs' own example of a sale.
        example={
            "locationId": "loc_2Nf8xQ4kLm9pRs7tUx",
            "items": [{"productId": "prod_2Nf8xQ4kLm9pRs7tUw", "quantity": 2, "unitPrice": 4.99}],
            "paymentMethod": "cash",
        },
    ),
    _orders.get(OrderRead),
    # Conflict: a status change the lifecycle does not allow.
    _orders.replace(OrderReplace, OrderRead, errors=(Conflict,)),
    _orders.update(OrderUpdate, OrderRead, errors=(Conflict,), example={"status": "cancelled"}),
    _orders.events(EventList, OrderEvent),
    _customers.list(CustomerList, CustomerRead),
    _customers.create(
        CustomerCreate, CustomerRead, errors=(Conflict,), example={"email": "ada@example.com"}
    ),
    _customers.get(CustomerRead),
    _customers.replace(CustomerReplace, CustomerRead, errors=(Conflict,)),
    _customers.update(CustomerUpdate, CustomerRead, errors=(Conflict,)),
    _customers.events(EventList, CustomerEvent),
]
