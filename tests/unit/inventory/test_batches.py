"""A batch of the inventory's events: each order followed once, to its newest state."""

from libs.common.clock import utcnow
from libs.common.events import Event
from libs.common.ids import new_id
from services.inventory.adapters.events import newest_per_order


def _event(kind: str, **data: object) -> Event:
    return Event(
        id=new_id("evt"),
        event=kind,
        timestamp=utcnow(),
        organization_id="org_1",
        mode="live",
        data=data,
    )


def test_only_each_orders_newest_event_is_kept_and_the_rest_in_order() -> None:
    product = _event("product.updated", id="prod_1", version=3)
    created = _event("order.created", id="ord_1", version=1)
    completed = _event("order.completed", id="ord_1", version=2)
    other = _event("order.created", id="ord_2", version=1)
    late = _event("order.created", id="ord_3", version=1)
    cancelled = _event("order.cancelled", id="ord_3", version=3)
    batch = [product, created, other, cancelled, completed, late]
    assert newest_per_order(batch) == [product, other, cancelled, completed]
