"""Two replicas of every service, and an extra webhook worker, on one database, broker and
Redis: the guarantees hold across replicas — one shared rate limit, no double stock hold,
no delivery attempted twice at once."""

import asyncio
import itertools
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator

import pytest

from cli.keys import provision
from cli.registry import SERVICES
from libs.common import jsoncodec
from tests.conftest import AMQP_URL, REDIS_URL, free_port, unique, until
from tests.e2e.conftest import Till, answers, cli, client
from tests.e2e.receiver import Receiver

REPLICAS = 2


@pytest.fixture(scope="module")
async def replicas(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[dict[str, str], list[str]]]:
    """Returns the shared environment and the gateways' base URLs."""
    names = (*SERVICES, *(f"{name}_ops" for name in SERVICES), "tls")
    ports = {name: [free_port() for _ in range(REPLICAS)] for name in names}
    tls = tmp_path_factory.mktemp("tls")
    subprocess.run(["bash", "scripts/dev-cert.sh", str(tls)], check=True)
    base = {
        **os.environ,
        "STACKNEX_ENVIRONMENT": "test",
        "STACKNEX_DATABASE_URL": database_url,
        "STACKNEX_AMQP_URL": AMQP_URL,
        "STACKNEX_GATEWAY_REDIS_URL": REDIS_URL,
        "STACKNEX_EVENTS_EXCHANGE": unique("stacknex.events.scale"),
        "STACKNEX_SHUTDOWN_TIMEOUT": "5",
        "STACKNEX_WEBHOOKS_ALLOWED_PRIVATE_NETWORKS": '["127.0.0.0/8"]',
        "STACKNEX_WEBHOOKS_POLL_INTERVAL": "0.2",
        "STACKNEX_GATEWAY_TLS_CERT_FILE": str(tls / "cert.pem"),
        "STACKNEX_GATEWAY_TLS_KEY_FILE": str(tls / "key.pem"),
        **provision(tmp_path_factory.mktemp("keys")),
    }
    cli(base, "migrate")
    logs = tmp_path_factory.mktemp("scale")
    processes = []
    for index in range(REPLICAS):
        # Replica i of each service talks to replica i of the others.
        env = {
            **base,
            "STACKNEX_GATEWAY_TLS_PORT": str(ports["tls"][index]),
            **{f"STACKNEX_{name.upper()}_PORT": str(ports[name][index]) for name in SERVICES},
            **{
                f"STACKNEX_{name.upper()}_OPS_PORT": str(ports[f"{name}_ops"][index])
                for name in SERVICES
            },
            **{
                f"STACKNEX_{name.upper()}_URL": f"http://127.0.0.1:{ports[name][index]}"
                for name in SERVICES
            },
        }
        for name in SERVICES:
            with open(logs / f"{name}-{index}.log", "wb") as log:
                processes.append(
                    subprocess.Popen(
                        [sys.executable, "-m", f"services.{name}"],
                        env=env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    )
                )
    worker_env = {
        **base,
        "STACKNEX_WEBHOOKS_ROLE": "worker",
        "STACKNEX_WEBHOOKS_PORT": str(free_port()),
        "STACKNEX_WEBHOOKS_OPS_PORT": str(free_port()),
    }
    processes.append(
        subprocess.Popen(
            [sys.executable, "-m", "services.webhooks"],
            env=worker_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    )
    gateways = [f"https://127.0.0.1:{port}" for port in ports["tls"]]
    try:
        async with client() as http:
            # Every replica's ops listener, the gateways' included.
            for url in [f"http://127.0.0.1:{p}" for name in SERVICES for p in ports[f"{name}_ops"]]:
                await until(
                    lambda u=url: answers(http, u + "/readyz"), timeout=60, what=f"{url} ready"
                )
        yield base, gateways
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            await asyncio.to_thread(process.wait, 30)
        cli(base, "migrate", "--down")


async def test_every_guarantee_holds_across_two_replicas_of_everything(
    replicas: tuple[dict[str, str], list[str]], receiver: Receiver
) -> None:
    env, gateways = replicas
    org = jsoncodec.loads(
        cli(env, "org", "create", "--name", "Scaled", "--plan", "professional", "--json")
    )
    key = jsoncodec.loads(
        cli(env, "key", "create", "--org", org["id"], "--mode", "live", "--json")
    )["key"]
    async with client() as http:
        tills = [Till(http, url, key, org["defaultLocationId"], org["id"]) for url in gateways]

        async def location_ready() -> bool:
            return (await tills[1].call("GET", f"/api/v1/locations/{org['defaultLocationId']}"))[
                0
            ] == 200

        await until(location_ready, what="the default location")
        await tills[0].ok(
            "POST",
            "/api/v1/webhooks",
            {"url": receiver.url + "/scale", "events": ["order.created"]},
            201,
        )
        product_id, item_id = await tills[1].stocked_product(30)

        # No double stock hold: 100 sales of the last 30 units, over both replicas.
        outcomes = await asyncio.gather(
            *(
                tills[i % REPLICAS].call("POST", "/api/v1/orders", tills[0].order(product_id))
                for i in range(100)
            )
        )
        codes = Counter(code for code, _ in outcomes)
        assert codes == {201: 30, 409: 70}, codes
        sold = {body["data"]["id"] for code, body in outcomes if code == 201}
        item = await tills[0].item(item_id)
        assert (item["onHand"], item["committed"]) == (0, 0)

        # No delivery twice at once, none lost: each sale's event arrives exactly once.
        await until(
            lambda: {r.json["data"]["id"] for r in receiver.at("/scale")} >= sold,
            timeout=60,
            what="every sale's webhook",
        )
        by_id: dict[str, list] = {}  # type: ignore[type-arg]
        for hit in receiver.at("/scale"):
            by_id.setdefault(hit.headers["X-Webhook-Id"], []).append(hit)
        assert all(len(hits) == 1 for hits in by_id.values())
        for hits in by_id.values():
            for before, after in itertools.pairwise(sorted(hits, key=lambda h: h.started)):
                assert before.ended is not None and before.ended <= after.started

        # One rate limit shared by both gateways: the 1,001st request of the hour is refused.
        headers = await tills[0].call_with_headers("GET", "/api/v1/products")
        remaining = int(headers["X-RateLimit-Remaining"])
        started = time.monotonic()
        for start in range(0, remaining, 50):  # spend the rest, alternating gateways
            await asyncio.gather(
                *(
                    tills[(start // 50 + i) % REPLICAS].call("GET", "/api/v1/products")
                    for i in range(min(50, remaining - start))
                )
            )
        # One request frees up every 3.6 s: if spending took longer, that many more pass.
        admitted = 0
        for till in tills:
            while (answer := await till.call("GET", "/api/v1/products"))[0] != 429:
                admitted += 1
                assert admitted <= (time.monotonic() - started) / 3.6 + 1, answer
            assert answer[1]["error"]["code"] == "RATE_LIMITED"
