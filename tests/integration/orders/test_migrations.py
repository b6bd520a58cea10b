"""Migration 0004 moves an order's answer out of `body` into a column per field: an order
recorded before it answers the same afterwards, and the way down gives `body` back."""

from libs.common.db import connect, migrate_down, migrate_up
from libs.contract.orders import OrderRead
from services.orders.app import SERVICE
from tests.conftest import unique

BEFORE = {
    "id": "ord_0000000000000000000001",
    "orderNumber": "ORD-2024-0001",
    "status": "cancelled",
    "items": [
        {
            "productId": "prod_0000000000000000000001",
            "name": "Bagel",
            "sku": None,
            "unitPrice": 4.99,
            "quantity": 2,
            "lineTotal": 9.98,
        }
    ],
    "subtotal": 9.98,
    "total": 9.98,
    "currency": "USD",
    "locationId": "loc_0000000000000000000001",
    "customerId": None,
    "paymentMethod": "cash",
    "note": "wrong size",
    "metadata": {"till": "2"},
    "restock": True,
    "createdAt": "2024-01-15T10:30:00Z",
    "updatedAt": "2024-01-15T10:31:00.250000Z",
    "completedAt": "2024-01-15T10:30:00Z",
    "cancelledAt": "2024-01-15T10:31:00.250000Z",
    "version": 3,
}


async def test_an_order_from_before_answers_the_same_after_and_back(database_url: str) -> None:
    schema = unique("orders_m")
    migrations = SERVICE.migrations()
    [columns] = [m for m in migrations if m.name.endswith("0004_order_columns")]
    before = [m for m in migrations if m is not columns]
    conn = await connect(database_url, schema=schema, app_name="test")
    try:
        await migrate_up(conn, schema=schema, migrations=before)
        await conn.execute(
            f"INSERT INTO {schema}.orders (id, organization_id, mode, order_number, status,"
            " location_id, customer_id, payment_method, total, body, version, created_at)"
            " VALUES ($1, 'org_x', 'live', $2, 'cancelled', $3, NULL, 'cash', 9.98, $4, 3, $5)",
            BEFORE["id"],
            BEFORE["orderNumber"],
            BEFORE["locationId"],
            BEFORE,
            OrderRead.model_validate(BEFORE).created_at,
        )
        await migrate_up(conn, schema=schema, migrations=migrations)
        row = await conn.fetchrow(f"SELECT * FROM {schema}.orders")
        assert OrderRead.model_validate(dict(row)).dump() == OrderRead.model_validate(BEFORE).dump()
        # 0004's way down alone (migrate_down reverts them all, then drops the schema).
        async with conn.transaction():
            assert columns.down is not None
            await conn.execute(columns.down)
            await conn.execute("DELETE FROM schema_migrations WHERE name = $1", columns.name)
        assert await conn.fetchval(f"SELECT body FROM {schema}.orders") == BEFORE
    finally:
        await migrate_down(conn, schema=schema, migrations=migrations)
        await conn.close()
