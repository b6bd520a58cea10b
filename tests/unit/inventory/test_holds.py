"""A hold follows its order's state: whatever order its events arrive in, the stock ends
where the order's history says it must."""

from itertools import permutations

import pytest

from libs.common import jsoncodec
from libs.common.events import NewEvent
from libs.common.identity import Identity
from services.inventory.domain.holds import Hold, OrderState, State, confirmed, moved, path
from services.inventory.service import holds as service

ORDER = "ord_01"
PENDING = OrderState(ORDER, "pending", was_completed=False, restock=None)
COMPLETED = OrderState(ORDER, "completed", was_completed=True, restock=None)
VOID_RESTOCKED = OrderState(ORDER, "cancelled", was_completed=True, restock=True)
VOID_KEPT = OrderState(ORDER, "cancelled", was_completed=True, restock=False)
DROPPED = OrderState(ORDER, "cancelled", was_completed=False, restock=None)

# Each history with the stock (on hand, committed) its last state means for 1 unit ordered,
# starting from a pending order's hold: on hand 0, committed 1.
HISTORIES = [
    ([PENDING], ("committed", 0, 1)),
    ([PENDING, COMPLETED], ("sold", -1, 0)),
    ([PENDING, DROPPED], ("released", 0, 0)),
    ([PENDING, COMPLETED, VOID_RESTOCKED], ("restocked", 0, 0)),
    ([PENDING, COMPLETED, VOID_KEPT], ("voided", -1, 0)),
]


def _apply(arrivals: tuple[OrderState, ...]) -> tuple[State, int, int]:
    state: State = "committed"
    on_hand, committed = 0, 1
    for order in arrivals:
        for step in path(state, order.target):
            on_hand += step.on_hand
            committed += step.committed
            state = step.state
    return state, on_hand, committed


@pytest.mark.parametrize(("history", "expected"), HISTORIES)
def test_every_arrival_order_of_an_orders_events_ends_in_the_same_stock(
    history: list[OrderState], expected: tuple[State, int, int]
) -> None:
    for arrivals in permutations(history):
        assert _apply(arrivals) == expected, arrivals
        assert _apply(arrivals + arrivals) == expected  # and every redelivery moves nothing


def test_a_state_behind_the_hold_moves_nothing() -> None:
    assert path("sold", "committed") == []
    assert path("restocked", "sold") == []
    assert path("released", "sold") == []  # a dropped order's hold never sells
    assert [step.state for step in path("committed", "voided")] == ["sold", "voided"]


def _stored(hold: Hold) -> dict[str, object]:
    # As the event store keeps its data: JSON (its lines a list).
    return jsoncodec.loads(jsoncodec.dumps(hold.model_dump()))


def test_a_hold_event_written_before_the_model_reads_back_the_same() -> None:
    data = {
        "orderId": ORDER,
        "locationId": "loc_01",
        "state": "committed",
        "confirmed": False,
        "version": 1,
        "createdAt": "2024-01-15T10:30:00Z",
        "lines": [{"productId": "prod_01", "quantity": 2, "itemId": None}],
    }
    hold = Hold.model_validate(data)
    assert _stored(hold) == data
    assert _stored(moved(confirmed(hold), "sold")) == {
        **data,
        "state": "sold",
        "confirmed": True,
        "version": 3,
    }


async def test_a_holds_events_stay_in_the_inventorys_store_off_the_bus() -> None:

    class Store:
        """Keeps what would be appended (a fake: the real store is tested against PostgreSQL)."""

        def __init__(self) -> None:
            self.appended: list[NewEvent] = []

        async def append(self, conn: object, **append: object) -> list[object]:
            self.appended.extend(append["events"])  # type: ignore[arg-type]
            return []

    hold = Hold.model_validate(
        {
            "orderId": ORDER,
            "locationId": "loc_01",
            "state": "committed",
            "confirmed": False,
            "version": 1,
            "createdAt": "2024-01-15T10:30:00Z",
            "lines": [],
        }
    )
    who = Identity("org_1", "live", "key_1", frozenset(), "req_1")
    store = Store()
    await service._append_hold(None, store=store, who=who, hold=hold, kind="stock_hold.placed")  # type: ignore[arg-type]
    assert [(e.type, e.publish) for e in store.appended] == [("stock_hold.placed", False)]
