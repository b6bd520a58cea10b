"""Benchmark 2, the write path: POST /api/v1/orders end to end (gateway, idempotency-free
sale, stock hold, event append, publish, webhook delivered to a local receiver) at rising
concurrency. Orders/s, p50/p99 response time, p50/p99 from response to webhook received.

    python -m bench.write_path [--seconds 10] [--levels 1,4,16,32]
"""

import argparse
import asyncio
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
from aiohttp import web

from bench.gateway import ADMIN, AMQP, ROOT, free_port
from bench.report import py_spy, save
from cli.keys import provision
from cli.registry import SERVICES


def _cli(env: dict[str, str], *args: str) -> Any:
    out = subprocess.run(
        [sys.executable, "-m", "cli.main", *args, "--json"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 2)


async def main_async(args: argparse.Namespace) -> None:
    database = f"stacknex_bench_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(ADMIN)
    await admin.execute(f'CREATE DATABASE "{database}"')
    await admin.close()
    arrivals: dict[str, float] = {}

    async def receive(request: web.Request) -> web.Response:
        event = json.loads(await request.read())
        arrivals.setdefault(event["data"]["id"], time.time())
        return web.Response(text="ok")

    receiver = web.Application()
    receiver.router.add_post("/hook", receive)
    runner = web.AppRunner(receiver, access_log=None)
    await runner.setup()
    receiver_port = free_port()
    await web.TCPSite(runner, "127.0.0.1", receiver_port).start()

    work = Path(tempfile.mkdtemp(prefix="stacknex-bench-"))
    ports = {name: free_port() for name in (*SERVICES, *(f"{s}_ops" for s in SERVICES), "tls")}
    subprocess.run(["bash", str(ROOT / "scripts/dev-cert.sh"), str(work / "tls")], check=True)
    env = {
        **os.environ,
        "STACKNEX_DATABASE_URL": ADMIN.rsplit("/", 1)[0] + "/" + database,
        "STACKNEX_AMQP_URL": AMQP,
        "STACKNEX_EVENTS_EXCHANGE": f"bench.{database}",
        "STACKNEX_LOG_LEVEL": "WARNING",
        "STACKNEX_WEBHOOKS_ALLOWED_PRIVATE_NETWORKS": '["127.0.0.0/8"]',
        "STACKNEX_GATEWAY_TRUSTED_PROXIES": '["127.0.0.0/8"]',
        "STACKNEX_GATEWAY_TLS_PORT": str(ports["tls"]),
        "STACKNEX_GATEWAY_TLS_CERT_FILE": str(work / "tls/cert.pem"),
        "STACKNEX_GATEWAY_TLS_KEY_FILE": str(work / "tls/key.pem"),
        **provision(work / "keys"),
        **{f"STACKNEX_{n.upper()}_PORT": str(ports[n]) for n in SERVICES},
        **{f"STACKNEX_{n.upper()}_OPS_PORT": str(ports[f"{n}_ops"]) for n in SERVICES},
        **{
            f"STACKNEX_{n.upper()}_URL": f"http://127.0.0.1:{ports[n]}"
            for n in SERVICES
            if n != "gateway"
        },
    }
    subprocess.run(
        [sys.executable, "-m", "cli.main", "migrate"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    platform = subprocess.Popen(
        [sys.executable, "-m", "cli.devrun"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    gateway = f"http://127.0.0.1:{ports['gateway']}"
    runs: dict[str, dict[str, Any]] = {}
    try:
        await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "cli.devrun", "--wait-ready", "90"],
            env=env,
            cwd=ROOT,
            check=True,
        )
        org = _cli(env, "org", "create", "--name", "Bench", "--plan", "enterprise")
        key = _cli(env, "key", "create", "--org", org["id"], "--mode", "live")["key"]
        headers = {"Authorization": f"Bearer {key}", "X-Forwarded-Proto": "https"}
        async with aiohttp.ClientSession(headers=headers) as http:
            for _ in range(100):  # the default location arrives over the bus
                async with http.get(f"{gateway}/api/v1/locations/{org['defaultLocationId']}") as r:
                    if r.status == 200:
                        break
                await asyncio.sleep(0.1)
            products = []
            # One product: every sale queues on the same stock row (a kiosk's rush on one
            # item); many: sales of different items proceed side by side.
            for i in range(args.products):
                async with http.post(
                    f"{gateway}/api/v1/products",
                    json={"name": f"Item {i}", "price": 2.5, "inventoryPolicy": "continue"},
                ) as r:
                    products.append((await r.json())["data"]["id"])
            product = ",".join(products)
            async with http.post(
                f"{gateway}/api/v1/webhooks",
                json={"url": f"http://127.0.0.1:{receiver_port}/hook", "events": ["order.created"]},
            ) as r:
                assert r.status == 201, await r.text()

        async def measure(name: str, level: int, rate: float = 0.0) -> None:
            out = work / f"load-{level}-{rate}.jsonl"
            spy = None
            if args.profile == level and not rate:
                # Every service process at once; raw output keeps one line per stack with
                # the process at its root, for `python -m bench.profile_summary`.
                spy = py_spy(
                    platform.pid,
                    seconds=args.seconds,
                    output=f"write_path-{args.products}-products-profile.txt",
                    options=("--subprocesses", *(["--native"] if args.native else [])),
                )
            await asyncio.to_thread(
                subprocess.run,
                [
                    sys.executable,
                    "-m",
                    "bench.load_orders",
                    "--url",
                    gateway,
                    "--key",
                    key,
                    "--product",
                    product,
                    "--location",
                    org["defaultLocationId"],
                    "--out",
                    str(out),
                    "--concurrency",
                    str(level),
                    "--seconds",
                    str(args.seconds),
                    "--rate",
                    str(rate),
                ],
                cwd=ROOT,
                check=True,
            )
            if spy is not None:
                await asyncio.to_thread(spy.wait, 60)
            sales = [json.loads(line) for line in out.read_text().splitlines() if line]
            ok = [s for s in sales if s["status"] == 201]
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not all(s["orderId"] in arrivals for s in ok):
                await asyncio.sleep(0.2)  # poll: the last webhooks are still on their way
            lag = [arrivals[s["orderId"]] - s["answeredAt"] for s in ok if s["orderId"] in arrivals]
            runs[name] = {
                "orders_per_second": round(len(ok) / args.seconds, 1),
                "errors": len(sales) - len(ok),
                "p50_ms": _pct([s["seconds"] for s in ok], 0.5),
                "p99_ms": _pct([s["seconds"] for s in ok], 0.99),
                "webhook_p50_ms": _pct(lag, 0.5) if lag else None,
                "webhook_p99_ms": _pct(lag, 0.99) if lag else None,
                "webhooks_missing": len(ok) - len(lag),
            }

        for level in args.levels:
            await measure(f"concurrency {level}", level)
        if args.half_peak:
            # The latency goal is at half the peak: sales arriving at half the best
            # rate the levels reached, as tills ring them up, not as fast as answers come.
            peak = max(runs[f"concurrency {level}"]["orders_per_second"] for level in args.levels)
            await measure("half the peak", 64, rate=peak / 2)
            runs["half the peak"]["rate"] = round(peak / 2, 1)
    finally:
        platform.send_signal(signal.SIGTERM)
        await asyncio.to_thread(platform.wait, 60)
        await runner.cleanup()
        admin = await asyncpg.connect(ADMIN)
        await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await admin.close()
    first = runs[f"concurrency {args.levels[0]}"]["orders_per_second"]
    ratios = {
        f"orders/s at {level} vs {args.levels[0]}": round(
            runs[f"concurrency {level}"]["orders_per_second"] / first, 2
        )
        for level in args.levels[1:]
    }
    save(f"write_path-{args.products}-products", runs=runs, ratios=ratios, settings={**vars(args)})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument(
        "--products", type=int, default=1, help="sales spread over this many products"
    )
    parser.add_argument(
        "--levels", type=lambda v: [int(x) for x in v.split(",")], default=[1, 4, 16, 32]
    )
    parser.add_argument(
        "--profile", type=int, metavar="LEVEL", help="py-spy every service at this concurrency"
    )
    parser.add_argument("--native", action="store_true", help="profile C extensions' frames too")
    parser.add_argument(
        "--half-peak", action="store_true", help="then sales arriving at half the peak rate"
    )
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
