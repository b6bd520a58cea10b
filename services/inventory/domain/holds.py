"""Stock held for an order. The hold is made synchronously when the order is placed (so a
`deny` product is never oversold) and then follows the order's life: synchronously when the
order's status changes, and again (a no-op by then) through the order's events.
Every step is keyed by the order id, so a retry or a redelivered event never moves stock
twice, and a hold whose order was never recorded is found and released.

The hold follows the order's *state*, not its events one by one: each order event carries
the whole order after it, `target` maps that to where the hold must be, and `path` walks
the hold forward to it. States only move forward (the graph below has no cycle, and an
order's lifecycle is forward-only too), so an event that arrives after a newer one maps to
a state the hold has already passed and moves nothing: events of one order may be applied
in any order, by any number of replicas, and the stock ends the same."""

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from libs.common.resources import At
from libs.contract.inventory import ChangeReason

HOLD_PLACED = "stock_hold.placed"
HOLD_CONFIRMED = "stock_hold.confirmed"
HOLD_SOLD = "stock_hold.sold"
HOLD_RELEASED = "stock_hold.released"

# committed: a pending order holds it; sold: it left the shop; released: a pending order was
# cancelled (or never recorded); restocked: a sale was voided and the goods came back;
# voided: a sale was voided and the goods did not come back.
State = Literal["committed", "sold", "released", "restocked", "voided"]


class _Value(BaseModel):
    # A hold is the inventory's own (its events and the internal API), shown camelCase.
    model_config = ConfigDict(
        frozen=True, alias_generator=to_camel, populate_by_name=True, serialize_by_alias=True
    )


class Line(_Value):
    product_id: str
    quantity: int
    item_id: str | None  # None: the product's stock is not tracked


class Hold(_Value):
    """Each hold event carries the whole hold after it (`model_dump`), folded back with
    `model_validate`."""

    order_id: str
    location_id: str
    state: State
    confirmed: bool
    version: int
    created_at: At
    lines: tuple[Line, ...]


def stream_id(order_id: str) -> str:
    return f"hold:{order_id}"


def moved(hold: Hold, state: State) -> Hold:
    return hold.model_copy(update={"state": state, "version": hold.version + 1})


def confirmed(hold: Hold) -> Hold:
    return hold.model_copy(update={"confirmed": True, "version": hold.version + 1})


@dataclass(frozen=True)
class Step:
    state: State
    reason: ChangeReason | None  # the movement's reason; None when the step moves no stock
    on_hand: int  # units moved per unit ordered
    committed: int


# The forward steps out of each state: a void is a sale whose goods did not come back.
STEPS: dict[State, tuple[Step, ...]] = {
    "committed": (Step("sold", "sale", -1, -1), Step("released", "release", 0, -1)),
    "sold": (Step("restocked", "restock", 1, 0), Step("voided", None, 0, 0)),
}


def target(*, status: str, was_completed: bool, restock: bool | None) -> State:
    """Where the stock of an order belongs: its status, whether it was ever completed (a
    cancelled order that was is a void), and, on a void, whether the goods came back."""
    if status == "pending":
        return "committed"
    if status == "completed":
        return "sold"
    if not was_completed:
        return "released"  # a pending order was cancelled: its goods never left
    return "restocked" if restock else "voided"


@dataclass(frozen=True)
class OrderState:
    """What the hold needs to know of its order, as the order is after a change."""

    order_id: str
    status: str
    was_completed: bool
    restock: bool | None

    @classmethod
    def of(cls, order: dict[str, Any]) -> "OrderState":
        """From the order as GET (and each of its events) shows it."""
        return cls(
            order_id=order["id"],
            status=order["status"],
            was_completed=order.get("completedAt") is not None,
            restock=order.get("restock"),
        )

    @property
    def target(self) -> State:
        return target(status=self.status, was_completed=self.was_completed, restock=self.restock)


def path(current: State, wanted: State) -> list[Step]:
    """The forward steps from `current` to `wanted`; none when `wanted` is behind or beside."""
    for step in STEPS.get(current, ()):
        if step.state == wanted:
            return [step]
        rest = path(step.state, wanted)
        if rest:
            return [step, *rest]
    return []
