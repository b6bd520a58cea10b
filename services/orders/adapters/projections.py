"""The orders service's read models, kept in the append's transaction; a row is the
resource's model, column for field (an order's lines in one jsonb column). A customer's
`ordersCount` and `totalSpent` follow from its orders: each order event takes back what the
order's previous state contributed and adds what its new state contributes."""

from collections.abc import Sequence
from decimal import Decimal

import asyncpg

from libs.common.events import StoredEvent
from libs.common.kit import upsert
from libs.contract.orders import CustomerRead, OrderRead
from services.orders.domain.customers import COUNTERS


class OrdersProjector:
    # order_numbers is not a projection: it is the counter the write path takes numbers from.
    tables: Sequence[str] = ("orders", "customers")
    # Every event carries the order or customer as it is after it, and the counters move by
    # the difference from the row as it was: an append's last event is all it takes.
    whole_states = True

    async def apply(self, conn: asyncpg.Connection, event: StoredEvent) -> None:
        if event.type.startswith("customer."):
            customer = CustomerRead.model_validate(event.data)
            await upsert(conn, table="customers", resource=customer, event=event, keep=COUNTERS)
        elif event.type.startswith("order."):
            order = OrderRead.model_validate(event.data)
            old = await conn.fetchrow(
                "SELECT customer_id, status, total FROM orders WHERE id = $1", order.id
            )
            if old is not None:
                await _count(conn, **old, sign=-1)
            await _count(
                conn, customer_id=order.customer_id, status=order.status, total=order.total, sign=1
            )
            await upsert(conn, table="orders", resource=order, event=event)


async def _count(
    conn: asyncpg.Connection, *, customer_id: str | None, status: str, total: Decimal, sign: int
) -> None:
    if customer_id is None or status != "completed":
        return
    await conn.execute(
        "UPDATE customers SET orders_count = orders_count + $2, total_spent = total_spent + $3"
        " WHERE id = $1",
        customer_id,
        sign,
        sign * total,
    )
