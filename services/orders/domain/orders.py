"""The order aggregate: a sale at a till. Each event carries the whole order after it (an
`OrderRead`). Lines are fixed when the order is placed (their stock was held for exactly
them); afterwards only the status and the bookkeeping fields change, along the lifecycle
below."""

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from libs.common.resources import check_version, revise
from libs.contract.orders import OrderCreate, OrderLine, OrderRead
from services.orders.domain.errors import IllegalTransition, InvalidInput

ORDER_CREATED = "order.created"
ORDER_UPDATED = "order.updated"
ORDER_COMPLETED = "order.completed"
ORDER_CANCELLED = "order.cancelled"

# pending -> completed (paid), pending -> cancelled, completed -> cancelled (a void).
TRANSITIONS = {("pending", "completed"), ("pending", "cancelled"), ("completed", "cancelled")}
CENT = Decimal("0.01")
# numeric(12,2) and exact as a JSON number (a double holds 15 significant digits).
MAX_TOTAL = Decimal("9999999999.99")
# Set by a status change itself; its event's changedFields name the status, not these.
_STAMPS = frozenset({"completedAt", "cancelledAt"})


def line(
    *, product_id: str, name: str, sku: str | None, unit_price: Decimal, quantity: int
) -> OrderLine:
    price = unit_price.quantize(CENT)
    return OrderLine(
        product_id=product_id,
        name=name,
        sku=sku,
        unit_price=price,
        quantity=quantity,
        line_total=(price * quantity).quantize(CENT),
    )


def order_number(year: int, sequence: int) -> str:
    return f"ORD-{year}-{sequence:04d}"


def subtotal_of(lines: list[OrderLine]) -> Decimal:
    return sum((item.line_total for item in lines), Decimal("0.00"))


def check_total(lines: list[OrderLine]) -> None:
    """Checked before any stock is held: the total is the subtotal (no taxes yet)."""
    if subtotal_of(lines) > MAX_TOTAL:
        raise InvalidInput(f"An order's total is at most {MAX_TOTAL}.", field="items")


def place(
    *,
    order_id: str,
    number: str,
    values: OrderCreate,
    lines: list[OrderLine],
    currency: str,
    now: datetime,
) -> OrderRead:
    """The order as the till placed it (pending or, paid at once, completed: OrderCreate
    allows no other status)."""
    check_total(lines)
    subtotal = subtotal_of(lines)
    return OrderRead(
        id=order_id,
        version=1,
        created_at=now,
        updated_at=now,
        order_number=number,
        items=lines,
        subtotal=subtotal,
        total=subtotal,  # no taxes or discounts yet: the till's price is the price
        currency=currency,
        completed_at=now if values.status == "completed" else None,
        **values.model_dump(exclude={"items"}),
    )


def change(
    order: OrderRead, changes: Mapping[str, Any], *, expected: int | None, now: datetime
) -> tuple[OrderRead, list[str], str]:
    """The changed order, the names of what changed, and the event type that records it."""
    check_version(order, expected)
    update = dict(changes)
    status = update.pop("status", order.status)
    restock = update.pop("restock", None)
    if restock is not None and not (status == "cancelled" and order.status == "completed"):
        raise IllegalTransition(
            "restock applies only when cancelling a completed order.", field="restock"
        )
    kind = ORDER_UPDATED
    if status != order.status:
        if (order.status, status) not in TRANSITIONS:
            raise IllegalTransition(
                f"An order cannot go from {order.status} to {status}.", field="status"
            )
        update["status"] = status
        if status == "completed":
            kind, update["completed_at"] = ORDER_COMPLETED, now
        else:
            # A void puts the goods back unless the till says otherwise; a pending order
            # never took them off the shelf, so its stock is simply released.
            kind, update["cancelled_at"] = ORDER_CANCELLED, now
            voided = order.status == "completed"
            update["restock"] = (True if restock is None else restock) if voided else None
    updated, changed = revise(order, update, expected=None, now=now)
    if not changed:
        return order, [], ORDER_UPDATED
    return updated, [name for name in changed if name not in _STAMPS], kind
