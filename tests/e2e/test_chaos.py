"""Chaos: under a steady stream of sales with a webhook subscribed, every process is killed
in turn, RabbitMQ is stopped for 10 s, PostgreSQL restarted, Redis stopped, and the webhook
receiver taken down. Then a reconciler checks that nothing was lost.

`make test` runs it with the receiver down for 10 s; `make chaos` for the full minute.
"""

import asyncio
import os
import signal
import subprocess
from collections import Counter

import aiohttp
import asyncpg
import pytest

from cli.registry import SERVICES, with_database
from libs.common.ids import new_id
from tests.conftest import until
from tests.e2e.conftest import Platform, Till
from tests.e2e.receiver import Receiver
from tests.e2e.test_platform import _pid_on_port

RECEIVER_DOWN = float(os.environ.get("STACKNEX_CHAOS_RECEIVER_DOWN", "10"))
PLATFORM_ENV = {
    "STACKNEX_WEBHOOKS_ALLOWED_PRIVATE_NETWORKS": '["127.0.0.0/8"]',
    # Retries that outlast the receiver's outage within the test's patience.
    "STACKNEX_WEBHOOKS_RETRY_SCHEDULE": "[0, 1, 2, 4, 8, 15, 15, 15, 15, 15, 15]",
    "STACKNEX_WEBHOOKS_POLL_INTERVAL": "0.5",
}
STOCK = 1_000_000


class Load:
    """Sales at a steady pace, each retried with its own Idempotency-Key, as a till would."""

    def __init__(self, till: Till, product_id: str) -> None:
        self.till = till
        self.product_id = product_id
        self.accepted: dict[str, int] = {}  # order id -> quantity
        self.errors: Counter[str] = Counter()
        self.running = True

    async def sale(self, n: int) -> None:
        key = new_id("evt")  # any unique string will do
        quantity = 1 + n % 3
        for attempt in range(60):
            try:
                code, body = await self.till.call(
                    "POST",
                    "/api/v1/orders",
                    self.till.order(self.product_id, quantity),
                    {"Idempotency-Key": key},
                )
            except (TimeoutError, aiohttp.ClientError) as exc:
                self.errors[type(exc).__name__] += 1
            else:
                if code == 201:
                    self.accepted[body["data"]["id"]] = quantity
                    return
                self.errors[f"{code} {body.get('error', {}).get('code')}"] += 1
            await asyncio.sleep(min(0.2 * (attempt + 1), 2))  # a till's retry back-off
        self.errors["gave up"] += 1

    async def run(self) -> None:
        sales = []
        n = 0
        while self.running:
            sales.append(asyncio.create_task(self.sale(n)))
            n += 1
            await asyncio.sleep(0.1)  # ten sales a second: the steady load
        await asyncio.gather(*sales)


def _sh(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True, timeout=120)


async def _outage(what: str, stop: list[str], start: list[str], pause: float) -> None:
    await asyncio.to_thread(_sh, *stop)
    await asyncio.sleep(pause)  # the outage itself: its length is the fault being injected
    await asyncio.to_thread(_sh, *start)


@pytest.mark.timeout(900)
async def test_nothing_is_lost_when_everything_fails_once(
    platform: Platform, tills: tuple[Till, Till], receiver: Receiver, database_url: str
) -> None:
    till, _ = tills
    product_id, item_id = await till.stocked_product(STOCK)
    await till.ok(
        "POST",
        "/api/v1/webhooks",
        {"url": receiver.url + "/chaos", "events": ["order.created"]},
        201,
    )
    load = Load(till, product_id)
    traffic = asyncio.create_task(load.run())
    await until(lambda: len(load.accepted) >= 20, timeout=30, what="the load to flow")

    for name in SERVICES:  # each process SIGKILLed; the supervisor brings it back
        port = platform.ports["gateway_tls" if name == "gateway" else name]
        os.kill(await _pid_on_port(port), signal.SIGKILL)
        before = len(load.accepted)
        await until(
            lambda b=before: len(load.accepted) >= b + 10,
            timeout=60,
            what=f"sales after killing {name}",
        )
    await _outage(
        "rabbitmq", ["rabbitmqctl", "-q", "stop_app"], ["rabbitmqctl", "-q", "start_app"], 10
    )
    cluster = subprocess.run(
        ["pg_lsclusters", "-h"], capture_output=True, text=True, check=True
    ).stdout.split()
    await asyncio.to_thread(
        _sh, "pg_ctlcluster", "--skip-systemctl-redirect", cluster[0], cluster[1], "restart"
    )
    await _outage(
        "redis",
        ["redis-cli", "-p", "6379", "shutdown", "nosave"],
        [
            "redis-server",
            "--daemonize",
            "yes",
            "--bind",
            "127.0.0.1",
            "--port",
            "6379",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        3,
    )
    receiver_site = receiver.site
    await receiver_site.stop()
    await asyncio.sleep(RECEIVER_DOWN)  # the receiver's outage
    await receiver.restart()
    before = len(load.accepted)
    await until(lambda: len(load.accepted) >= before + 20, timeout=60, what="sales afterwards")
    load.running = False
    await traffic

    # Reconcile.
    accepted = load.accepted
    for order_id in accepted:
        assert (await till.call("GET", f"/api/v1/orders/{order_id}"))[0] == 200

    def delivered() -> set[str]:
        return {r.json["data"]["id"] for r in receiver.at("/chaos")}

    await until(
        lambda: set(accepted) <= delivered(),
        timeout=240,
        what="every accepted order's order.created at the receiver",
    )
    hits = Counter(r.headers["X-Webhook-Id"] for r in receiver.at("/chaos"))
    duplicates = sum(n - 1 for n in hits.values())
    assert all(
        len({r.json["id"] for r in receiver.at("/chaos") if r.headers["X-Webhook-Id"] == hook}) == 1
        for hook in hits
    )
    item = await till.item(item_id)
    ledger = await till.ok("GET", f"/api/v1/inventory/{item_id}/adjustments?limit=100")
    assert item["onHand"] == STOCK - sum(accepted.values())
    conn = await asyncpg.connect(database_url)
    try:
        assert (
            await conn.fetchval(
                "SELECT sum(delta) FROM inventory.adjustments WHERE item_id = $1", item_id
            )
            == item["onHand"]
        )

        async def stuck() -> dict[str, int]:
            counts = {
                f"{schema}.outbox": await conn.fetchval(f"SELECT count(*) FROM {schema}.outbox")
                for schema in with_database()
            }
            counts["pending deliveries"] = await conn.fetchval(
                "SELECT count(*) FROM webhooks.deliveries WHERE status = 'pending'"
            )
            counts["unconfirmed live holds"] = await conn.fetchval(
                "SELECT count(*) FROM inventory.stock_holds WHERE NOT confirmed"
                " AND state IN ('committed', 'sold')"
            )
            return {k: v for k, v in counts.items() if v}

        async def quiet() -> bool:
            return not await stuck()

        try:
            await until(quiet, timeout=120, what="nothing stuck")
        except pytest.fail.Exception:
            pytest.fail(f"still stuck after 120 s: {await stuck()}")
        orphans = await conn.fetchval(
            "SELECT count(*) FROM inventory.stock_holds WHERE state IN ('released', 'restocked')"
        )
    finally:
        await conn.close()
    print(
        f"\nchaos: {len(accepted)} sales accepted, errors returned {dict(load.errors)},"
        f" events lost 0, duplicate deliveries {duplicates}, orphaned holds released"
        f" {orphans}, ledger lines {len(ledger)}"
    )
