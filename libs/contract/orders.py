"""Request and query schemas of the orders API."""

from typing import Annotated, Literal

from pydantic import EmailStr, Field, StringConstraints

from libs.common.errors import Conflict, InsufficientStock
from libs.common.listing import ListQuery
from libs.common.validation import (
    ApiModel,
    CustomerId,
    LocationId,
    Metadata,
    Money,
    OrderId,
    PatchModel,
    ProductId,
    Version,
)
from libs.contract.base import Crud

Text = Annotated[str, StringConstraints(max_length=2000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Phone = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=3, max_length=32, pattern=r"^\+?[0-9 ()./-]+$"
    ),
]
Status = Literal["pending", "completed", "cancelled"]
Payment = Literal["cash", "card", "other"]


class CustomerCreate(ApiModel):
    email: EmailStr
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

    email: EmailStr | None = None
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
    quantity: Annotated[int, Field(ge=1, le=10_000)]
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


# The operations. `response` is filled in as each resource gets its model (issue 13 §1).
_orders = Crud(singular="Order", plural="Orders", service="orders", scope="orders", id_type=OrderId)
_customers = Crud(
    singular="Customer", plural="Customers", service="orders", scope="customers", id_type=CustomerId
)
OPERATIONS = [
    _orders.list(OrderList, None),
    _orders.create(
        OrderCreate,
        None,
        errors=(InsufficientStock,),
        # The product docs' own example of a sale.
        example={
            "locationId": "loc_0354xIPEOJKu0fmmxXMXnj",
            "items": [
                {"productId": "prod_0354xIPEOJKu0fmmxXMXnj", "quantity": 2, "unitPrice": 4.99}
            ],
            "paymentMethod": "cash",
        },
    ),
    _orders.get(None),
    _orders.replace(OrderReplace, None, errors=(Conflict, InsufficientStock)),
    _orders.update(OrderUpdate, None, errors=(Conflict, InsufficientStock)),
    _customers.list(CustomerList, None),
    _customers.create(CustomerCreate, None, errors=(Conflict,)),
    _customers.get(None),
    _customers.replace(CustomerReplace, None, errors=(Conflict,)),
    _customers.update(CustomerUpdate, None, errors=(Conflict,)),
]
