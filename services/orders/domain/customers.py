"""The customer aggregate; `ordersCount` and `totalSpent` are kept by the read model from
order events, not by the customer's own events."""

from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any

from libs.common.clock import rfc3339
from libs.common.events import Mode
from services.orders.domain.errors import StaleVersion

CUSTOMER_CREATED = "customer.created"
CUSTOMER_UPDATED = "customer.updated"


@dataclass(frozen=True)
class CustomerFields:
    email: str
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    note: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)


MUTABLE = tuple(f.name for f in fields(CustomerFields))
_CAMEL = {"first_name": "firstName", "last_name": "lastName"}


@dataclass(frozen=True)
class Customer:
    id: str
    organization_id: str
    mode: Mode
    fields: CustomerFields
    version: int
    created_at: datetime
    updated_at: datetime

    def public(self, *, orders_count: int = 0, total_spent: Any = 0) -> dict[str, Any]:
        f = self.fields
        return {
            "id": self.id,
            "email": f.email,
            "firstName": f.first_name,
            "lastName": f.last_name,
            "phone": f.phone,
            "note": f.note,
            "metadata": f.metadata,
            "ordersCount": orders_count,
            "totalSpent": total_spent,
            "version": self.version,
            "createdAt": rfc3339(self.created_at),
            "updatedAt": rfc3339(self.updated_at),
        }


def create(
    *, customer_id: str, organization_id: str, mode: Mode, values: CustomerFields, now: datetime
) -> Customer:
    return Customer(
        id=customer_id,
        organization_id=organization_id,
        mode=mode,
        fields=values,
        version=1,
        created_at=now,
        updated_at=now,
    )


def update(
    customer: Customer, changes: dict[str, Any], *, expected: int | None, now: datetime
) -> tuple[Customer, list[str]]:
    if expected is not None and expected != customer.version:
        raise StaleVersion(customer.version)
    new_fields = replace(customer.fields, **changes)
    changed = [
        _CAMEL.get(n, n) for n in MUTABLE if getattr(new_fields, n) != getattr(customer.fields, n)
    ]
    if not changed:
        return customer, []
    return replace(
        customer, fields=new_fields, version=customer.version + 1, updated_at=now
    ), changed


def from_data(data: dict[str, Any], *, organization_id: str, mode: Mode) -> Customer:
    return Customer(
        id=data["id"],
        organization_id=organization_id,
        mode=mode,
        fields=CustomerFields(
            email=data["email"],
            first_name=data["firstName"],
            last_name=data["lastName"],
            phone=data["phone"],
            note=data["note"],
            metadata=data["metadata"],
        ),
        version=data["version"],
        created_at=datetime.fromisoformat(data["createdAt"]),
        updated_at=datetime.fromisoformat(data["updatedAt"]),
    )
