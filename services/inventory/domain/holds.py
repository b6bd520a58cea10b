"""Stock held for an order. The hold is made synchronously when the order is placed (so a
`deny` product is never oversold) and then follows the order's life through its events.
Every step is keyed by the order id, so a retry or a redelivered event never moves stock
twice, and a hold whose order was never recorded is found and released."""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from libs.common.clock import rfc3339

HOLD_PLACED = "stock_hold.placed"
HOLD_CONFIRMED = "stock_hold.confirmed"
HOLD_SOLD = "stock_hold.sold"
HOLD_RELEASED = "stock_hold.released"

# committed: a pending order holds it; sold: it left the shop; released: a pending order was
# cancelled (or never recorded); restocked: a sale was voided and the goods came back;
# voided: a sale was voided and the goods did not come back.
State = Literal["committed", "sold", "released", "restocked", "voided"]


@dataclass(frozen=True)
class Line:
    product_id: str
    quantity: int
    item_id: str | None  # None: the product's stock is not tracked


@dataclass(frozen=True)
class Hold:
    order_id: str
    location_id: str
    lines: tuple[Line, ...]
    state: State
    confirmed: bool
    version: int
    created_at: datetime

    def data(self) -> dict[str, Any]:
        return {
            "orderId": self.order_id,
            "locationId": self.location_id,
            "state": self.state,
            "confirmed": self.confirmed,
            "version": self.version,
            "createdAt": rfc3339(self.created_at),
            "lines": [
                {"productId": line.product_id, "quantity": line.quantity, "itemId": line.item_id}
                for line in self.lines
            ],
        }


def stream_id(order_id: str) -> str:
    return f"hold:{order_id}"


def from_data(data: dict[str, Any]) -> Hold:
    return Hold(
        order_id=data["orderId"],
        location_id=data["locationId"],
        state=data["state"],
        confirmed=data["confirmed"],
        version=data["version"],
        created_at=datetime.fromisoformat(data["createdAt"]),
        lines=tuple(
            Line(product_id=line["productId"], quantity=line["quantity"], item_id=line["itemId"])
            for line in data["lines"]
        ),
    )


def moved(hold: Hold, state: State) -> Hold:
    return replace(hold, state=state, version=hold.version + 1)


def confirmed(hold: Hold) -> Hold:
    return replace(hold, confirmed=True, version=hold.version + 1)
