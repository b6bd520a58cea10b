"""Per-stream order across replicas: two inventory processes share its queue, and the
events of one order arrive in rapid succession, some of them the wrong way round. Each
hold still ends where its order's history says (issue 12, §5)."""

import asyncio
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import asyncpg
import pytest

from libs.common.broker import Broker, event_message
from libs.common.events import StoredEvent
from libs.common.ids import new_id
from tests.conftest import AMQP_URL, free_port, until
from tests.e2e.conftest import Platform, Till, answers, client

ORDERS = 8


@pytest.fixture
async def second_inventory(
    platform: Platform, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[None]:
    port, ops_port = free_port(), free_port()
    log_path = tmp_path_factory.mktemp("inventory-2") / "inventory.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "services.inventory"],
            env={
                **platform.env,
                "STACKNEX_INVENTORY_PORT": str(port),
                "STACKNEX_INVENTORY_OPS_PORT": str(ops_port),
            },
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        async with client() as http:
            await until(
                lambda: answers(http, f"http://127.0.0.1:{ops_port}/readyz"),
                timeout=60,
                what=f"the second inventory replica ready\n{log_path.read_text()}",
            )
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.to_thread(process.wait, 30)


def _event(order: dict[str, Any], kind: str, **changes: Any) -> StoredEvent:
    data = {**order, **changes}
    return StoredEvent(
        position=0,
        id=new_id("evt"),
        stream_id=order["id"],
        version=data["version"],
        type=kind,
        data=data,
        organization_id=None,
        mode="live",
        occurred_at=datetime.now(UTC),
    )


async def test_an_orders_events_out_of_order_across_two_replicas_leave_the_right_stock(
    platform: Platform, tills: tuple[Till, Till], second_inventory: None, database_url: str
) -> None:
    till, _ = tills
    product_id, item_id = await till.stocked_product(20)
    placed = [
        await till.ok("POST", "/api/v1/orders", till.order(product_id, 1, status="pending"), 201)
        for _ in range(ORDERS)
    ]
    assert ((await till.item(item_id))["committed"]) == ORDERS
    now = datetime.now(UTC).isoformat()
    streams = []
    for order in placed:
        # As the orders service would record them: paid, then voided without a restock.
        paid = _event(order, "order.completed", status="completed", version=2, completedAt=now)
        voided = _event(
            order,
            "order.cancelled",
            status="cancelled",
            version=3,
            completedAt=now,
            cancelledAt=now,
            restock=False,
        )
        streams.append([replace(e, organization_id=till.org_id) for e in (paid, voided)])
    broker = Broker(url=AMQP_URL, exchange=platform.env["STACKNEX_EVENTS_EXCHANGE"])
    await broker.connect()
    try:
        channel = await broker.connection.channel()
        exchange = await broker.declare_events_exchange(channel)
        for index, events in enumerate(streams):
            # Half of the orders' events reach the bus the wrong way round: the void first.
            for event in reversed(events) if index % 2 else events:
                await exchange.publish(event_message(event, source="orders"), event.type)
    finally:
        await broker.close()
    ids = [event.id for events in streams for event in events]
    conn = await asyncpg.connect(database_url)
    try:

        async def applied() -> bool:
            done = await conn.fetchval(
                "SELECT count(*) FROM inventory.processed_events WHERE event_id = ANY($1::text[])",
                ids,
            )
            return done == len(ids)

        await until(applied, what="every event applied by one of the two replicas")
    finally:
        await conn.close()
    item = await till.item(item_id)
    # Every order was sold and voided without a restock: each unit left the shop.
    assert (item["onHand"], item["committed"]) == (20 - ORDERS, 0)
    ledger = await till.ok("GET", f"/api/v1/inventory/{item_id}/adjustments?limit=100")
    assert sum(line["delta"] for line in ledger) == item["onHand"]
