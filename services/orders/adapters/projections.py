"""The orders service's read models, kept in the append's transaction. A customer's
`ordersCount` and `totalSpent` follow from its orders: each order event takes back what the
order's previous state contributed and adds what its new state contributes."""

from collections.abc import Sequence
from decimal import Decimal

import asyncpg

from libs.common.events import StoredEvent
from services.orders.domain import customers, orders


class OrdersProjector:
    # order_numbers is not a projection: it is the counter the write path takes numbers from.
    tables: Sequence[str] = ("orders", "customers")

    async def apply(self, conn: asyncpg.Connection, event: StoredEvent) -> None:
        assert event.organization_id is not None and event.mode is not None
        if event.type.startswith("customer."):
            c = customers.from_data(
                event.data, organization_id=event.organization_id, mode=event.mode
            )
            f = c.fields
            await conn.execute(
                "INSERT INTO customers (id, organization_id, mode, email, first_name, last_name,"
                " phone, note, metadata, version, created_at, updated_at)"
                " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
                " ON CONFLICT (id) DO UPDATE SET email = $4, first_name = $5, last_name = $6,"
                " phone = $7, note = $8, metadata = $9, version = $10, updated_at = $12",
                c.id,
                c.organization_id,
                c.mode,
                f.email,
                f.first_name,
                f.last_name,
                f.phone,
                f.note,
                f.metadata,
                c.version,
                c.created_at,
                c.updated_at,
            )
        elif event.type.startswith("order."):
            order = orders.from_data(
                event.data, organization_id=event.organization_id, mode=event.mode
            )
            old = await conn.fetchrow(
                "SELECT customer_id, status, total FROM orders WHERE id = $1", order.id
            )
            if old is not None:
                await _count(conn, old["customer_id"], old["status"], old["total"], -1)
            await _count(conn, order.customer_id, order.status, order.total, +1)
            await conn.execute(
                "INSERT INTO orders (id, organization_id, mode, order_number, status,"
                " location_id, customer_id, payment_method, total, body, version, created_at)"
                " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
                " ON CONFLICT (id) DO UPDATE SET status = $5, customer_id = $7,"
                " payment_method = $8, body = $10, version = $11",
                order.id,
                order.organization_id,
                order.mode,
                order.order_number,
                order.status,
                order.location_id,
                order.customer_id,
                order.payment_method,
                order.total,
                order.public(),
                order.version,
                order.created_at,
            )


async def _count(
    conn: asyncpg.Connection, customer_id: str | None, status: str, total: Decimal, sign: int
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
