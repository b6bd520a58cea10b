"""The order aggregate: a sale at a till. Lines are fixed when the order is placed (their
stock was held for exactly them); afterwards only the status and the bookkeeping fields
change, along the lifecycle below."""

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from libs.common.clock import rfc3339
from libs.common.events import Mode
from services.orders.domain.errors import IllegalTransition, InvalidInput, StaleVersion

ORDER_CREATED = "order.created"
ORDER_UPDATED = "order.updated"
ORDER_COMPLETED = "order.completed"
ORDER_CANCELLED = "order.cancelled"

Status = Literal["pending", "completed", "cancelled"]
PaymentMethod = Literal["cash", "card", "other"]
# pending -> completed (paid), pending -> cancelled, completed -> cancelled (a void).
TRANSITIONS = {("pending", "completed"), ("pending", "cancelled"), ("completed", "cancelled")}
CENT = Decimal("0.01")
# numeric(12,2) and exact as a JSON number (a double holds 15 significant digits).
MAX_TOTAL = Decimal("9999999999.99")


@dataclass(frozen=True)
class Line:
    product_id: str
    name: str
    sku: str | None
    unit_price: Decimal
    quantity: int

    @property
    def line_total(self) -> Decimal:
        return (self.unit_price * self.quantity).quantize(CENT)

    def public(self) -> dict[str, Any]:
        return {
            "productId": self.product_id,
            "name": self.name,
            "sku": self.sku,
            "unitPrice": self.unit_price,
            "quantity": self.quantity,
            "lineTotal": self.line_total,
        }


@dataclass(frozen=True)
class LineRequest:
    """A line as the till asks for it: the price is the catalog's unless given."""

    product_id: str
    quantity: int
    unit_price: Decimal | None


@dataclass(frozen=True)
class Order:
    id: str
    organization_id: str
    mode: Mode
    order_number: str
    status: Status
    lines: tuple[Line, ...]
    currency: str
    location_id: str
    customer_id: str | None
    payment_method: PaymentMethod
    note: str | None
    metadata: dict[str, str]
    version: int
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None = None
    cancelled_at: datetime | None = None
    restock: bool | None = None  # on a cancelled order: did its goods go back on the shelf?

    @property
    def subtotal(self) -> Decimal:
        return subtotal_of(self.lines)

    @property
    def total(self) -> Decimal:
        return self.subtotal  # no taxes or discounts yet: the till's price is the price

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "orderNumber": self.order_number,
            "status": self.status,
            "items": [line.public() for line in self.lines],
            "subtotal": self.subtotal,
            "total": self.total,
            "currency": self.currency,
            "locationId": self.location_id,
            "customerId": self.customer_id,
            "paymentMethod": self.payment_method,
            "note": self.note,
            "metadata": self.metadata,
            "restock": self.restock,
            "createdAt": rfc3339(self.created_at),
            "updatedAt": rfc3339(self.updated_at),
            "completedAt": rfc3339(self.completed_at) if self.completed_at else None,
            "cancelledAt": rfc3339(self.cancelled_at) if self.cancelled_at else None,
            "version": self.version,
        }


def order_number(year: int, sequence: int) -> str:
    return f"ORD-{year}-{sequence:04d}"


def place(
    *,
    order_id: str,
    organization_id: str,
    mode: Mode,
    number: str,
    status: Status,
    lines: tuple[Line, ...],
    currency: str,
    location_id: str,
    customer_id: str | None,
    payment_method: PaymentMethod,
    note: str | None,
    metadata: dict[str, str],
    now: datetime,
) -> Order:
    if status == "cancelled":
        raise InvalidInput("An order is placed pending or completed.", field="status")
    order = Order(
        id=order_id,
        organization_id=organization_id,
        mode=mode,
        order_number=number,
        status=status,
        lines=lines,
        currency=currency,
        location_id=location_id,
        customer_id=customer_id,
        payment_method=payment_method,
        note=note,
        metadata=metadata,
        version=1,
        created_at=now,
        updated_at=now,
        completed_at=now if status == "completed" else None,
    )
    check_total(lines)
    return order


def subtotal_of(lines: tuple[Line, ...]) -> Decimal:
    return sum((line.line_total for line in lines), Decimal("0.00"))


def check_total(lines: tuple[Line, ...]) -> None:
    """Checked before any stock is held: the total is the subtotal (no taxes yet)."""
    if subtotal_of(lines) > MAX_TOTAL:
        raise InvalidInput(f"An order's total is at most {MAX_TOTAL}.", field="items")


def change(
    order: Order, changes: dict[str, Any], *, expected: int | None, now: datetime
) -> tuple[Order, list[str], str]:
    """The changed order, the names of what changed, and the event type that records it."""
    if expected is not None and expected != order.version:
        raise StaleVersion(order.version)
    status = changes.pop("status", order.status)
    restock = changes.pop("restock", None)
    if restock is not None and not (status == "cancelled" and order.status == "completed"):
        raise InvalidInput(
            "restock applies only when cancelling a completed order.", field="restock"
        )
    updated = replace(order, **changes)
    kind = ORDER_UPDATED
    if status != order.status:
        if (order.status, status) not in TRANSITIONS:
            raise IllegalTransition(
                f"An order cannot go from {order.status} to {status}.", field="status"
            )
        updated = replace(updated, status=status)
        if status == "completed":
            kind, updated = ORDER_COMPLETED, replace(updated, completed_at=now)
        else:
            # A void puts the goods back unless the till says otherwise; a pending order
            # never took them off the shelf, so its stock is simply released.
            kind = ORDER_CANCELLED
            updated = replace(
                updated,
                cancelled_at=now,
                restock=(True if restock is None else restock)
                if order.status == "completed"
                else None,
            )
    names = {"customer_id": "customerId", "payment_method": "paymentMethod"}
    changed = [
        names.get(n, n)
        for n in ("status", "note", "metadata", "customer_id", "payment_method", "restock")
        if getattr(updated, n) != getattr(order, n)
    ]
    if not changed:
        return order, [], ORDER_UPDATED
    return replace(updated, version=order.version + 1, updated_at=now), changed, kind


def from_data(data: dict[str, Any], *, organization_id: str, mode: Mode) -> Order:
    def when(key: str) -> datetime | None:
        return datetime.fromisoformat(data[key]) if data.get(key) else None

    def money(value: Any) -> Decimal:
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)

    return Order(
        id=data["id"],
        organization_id=organization_id,
        mode=mode,
        order_number=data["orderNumber"],
        status=data["status"],
        lines=tuple(
            Line(
                product_id=i["productId"],
                name=i["name"],
                sku=i["sku"],
                unit_price=money(i["unitPrice"]).quantize(CENT),
                quantity=i["quantity"],
            )
            for i in data["items"]
        ),
        currency=data["currency"],
        location_id=data["locationId"],
        customer_id=data["customerId"],
        payment_method=data["paymentMethod"],
        note=data["note"],
        metadata=data["metadata"],
        version=data["version"],
        created_at=datetime.fromisoformat(data["createdAt"]),
        updated_at=datetime.fromisoformat(data["updatedAt"]),
        completed_at=when("completedAt"),
        cancelled_at=when("cancelledAt"),
        restock=data.get("restock"),
    )
