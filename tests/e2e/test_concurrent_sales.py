"""The proof that a `deny` product is never oversold: a rush of sales through two
processes of the orders service and two of the inventory service, on the real PostgreSQL
and RabbitMQ."""

import asyncio
import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pytest

from cli.keys import env as env_for_keys
from libs.common import identity
from libs.common.ids import new_id
from libs.common.keys import Keyring
from tests.conftest import AMQP_URL, free_port, unique, until
from tests.e2e.conftest import answers, cli

ORG = new_id("org")


def _headers(gateway: Keyring, audience: str) -> dict[str, str]:
    """As the gateway signs a client's identity: the services are spoken to directly."""
    who = identity.Identity(
        organization_id=ORG,
        mode="live",
        key_id="key_test",
        scopes=frozenset(),
        request_id="req_rush",
    )
    return {identity.HEADER: gateway.sign(who, audience=audience)}


@pytest.fixture(scope="module")
async def cluster(
    database_url: str, tmp_path_factory: pytest.TempPathFactory, keys_dir: Path
) -> AsyncIterator[dict[str, list[str]]]:
    """Two processes of each service involved in a sale: catalog, inventory and orders."""
    ports = {service: [free_port(), free_port()] for service in ("catalog", "inventory", "orders")}
    ops_ports = {service: [free_port(), free_port()] for service in ports}
    base = {
        **os.environ,
        "STACKNEX_ENVIRONMENT": "test",
        "STACKNEX_DATABASE_URL": database_url,
        "STACKNEX_AMQP_URL": AMQP_URL,
        "STACKNEX_SHUTDOWN_TIMEOUT": "5",
        "STACKNEX_EVENTS_EXCHANGE": unique("stacknex.events.rush"),
        **env_for_keys(keys_dir),
    }
    cli(base, "migrate", "catalog", "inventory", "orders")
    logs = tmp_path_factory.mktemp("rush")
    processes = []
    for service, service_ports in ports.items():
        for index, port in enumerate(service_ports):
            # Replica i of each service talks to replica i of the others.
            env = {
                **base,
                f"STACKNEX_{service.upper()}_PORT": str(port),
                f"STACKNEX_{service.upper()}_OPS_PORT": str(ops_ports[service][index]),
                **{
                    f"STACKNEX_{other.upper()}_URL": f"http://127.0.0.1:{ports[other][index]}"
                    for other in ports
                },
            }
            with open(logs / f"{service}-{index}.log", "wb") as log:
                processes.append(
                    subprocess.Popen(
                        [sys.executable, "-m", f"services.{service}"],
                        env=env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    )
                )
    urls = {s: [f"http://127.0.0.1:{p}" for p in ps] for s, ps in ports.items()}
    try:
        async with aiohttp.ClientSession() as http:
            for service_ports in ops_ports.values():
                for url in (f"http://127.0.0.1:{p}" for p in service_ports):
                    await until(
                        lambda u=url: answers(http, u + "/readyz"), timeout=60, what=f"{url} ready"
                    )
        yield urls
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            await asyncio.to_thread(process.wait, 30)
        cli(base, "migrate", "--down", "catalog", "inventory", "orders")


async def _call(
    http: aiohttp.ClientSession,
    gateway: Keyring,
    url: str,
    service: str,
    method: str,
    path: str,
    body: Any = None,
) -> tuple[int, dict[str, Any]]:
    headers = _headers(gateway, service)
    async with http.request(method, url + path, json=body, headers=headers) as r:
        return r.status, await r.json()


async def test_200_concurrent_sales_of_50_units_sell_exactly_50(
    cluster: dict[str, list[str]], database_url: str, gateway_keys: Keyring
) -> None:
    async with aiohttp.ClientSession() as http:
        inventory, catalog = cluster["inventory"][0], cluster["catalog"][0]
        _, location = await _call(
            http,
            gateway_keys,
            inventory,
            "inventory",
            "POST",
            "/api/v1/locations",
            {"name": "Stadium kiosk"},
        )
        location_id = location["data"]["id"]
        _, product = await _call(
            http,
            gateway_keys,
            catalog,
            "catalog",
            "POST",
            "/api/v1/products",
            {"name": "Final ticket", "price": 50, "inventoryPolicy": "deny"},
        )
        product_id = product["data"]["id"]
        _, items = await _call(
            http,
            gateway_keys,
            inventory,
            "inventory",
            "GET",
            f"/api/v1/inventory?productId={product_id}&locationId={location_id}",
        )
        item_id = items["data"][0]["id"]
        status, _ = await _call(
            http,
            gateway_keys,
            inventory,
            "inventory",
            "POST",
            f"/api/v1/inventory/{item_id}/adjustments",
            {"delta": 50, "reason": "received"},
        )
        assert status == 201
        sale = {
            "locationId": location_id,
            "paymentMethod": "card",
            "items": [{"productId": product_id, "quantity": 1}],
        }
        outcomes = await asyncio.gather(
            *(
                _call(
                    http,
                    gateway_keys,
                    cluster["orders"][i % 2],
                    "orders",
                    "POST",
                    "/api/v1/orders",
                    sale,
                )
                for i in range(200)
            )
        )
        codes = Counter(status for status, _ in outcomes)
        assert codes == {201: 50, 409: 150}, codes
        assert {body["error"]["code"] for status, body in outcomes if status == 409} == {
            "INSUFFICIENT_STOCK"
        }
        numbers = sorted(body["data"]["orderNumber"] for status, body in outcomes if status == 201)
        assert [int(n.rsplit("-", 1)[1]) for n in numbers] == list(range(1, 51))
        _, item = await _call(
            http,
            gateway_keys,
            cluster["inventory"][1],
            "inventory",
            "GET",
            f"/api/v1/inventory/{item_id}",
        )
        assert (item["data"]["onHand"], item["data"]["committed"]) == (0, 0)
    conn = await asyncpg.connect(database_url)
    try:
        ledger = await conn.fetchval(
            "SELECT sum(delta) FROM inventory.adjustments WHERE item_id = $1", item_id
        )
        assert ledger == 0
        history = await conn.fetch(
            "SELECT (data->>'onHand')::int AS on_hand, (data->>'available')::int AS available"
            " FROM inventory.events WHERE stream_id = $1 ORDER BY version",
            item_id,
        )
        assert len(history) == 52  # created, received, and 50 sales: nothing else moved
        assert min(h["on_hand"] for h in history) == 0  # never below zero, at any point
        assert min(h["available"] for h in history) == 0
    finally:
        await conn.close()
