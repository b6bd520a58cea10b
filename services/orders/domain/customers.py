"""The customer aggregate. Each event carries the whole customer after the change (a
`CustomerRead`); `ordersCount` and `totalSpent` are kept by the read model from order
events, not by the customer's own events."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from libs.contract.orders import CustomerCreate, CustomerRead

CUSTOMER_CREATED = "customer.created"
CUSTOMER_UPDATED = "customer.updated"
# What the read model keeps from order events, never from the customer's own.
COUNTERS = frozenset({"orders_count", "total_spent"})


def settable(values: CustomerCreate) -> dict[str, Any]:
    """Every field a client sets, as PUT replaces them: those left out at their defaults."""
    return values.model_dump(exclude={"version"})


def create(*, customer_id: str, values: CustomerCreate, now: datetime) -> CustomerRead:
    return CustomerRead(
        id=customer_id,
        version=1,
        created_at=now,
        updated_at=now,
        orders_count=0,
        total_spent=Decimal("0"),
        **settable(values),
    )
