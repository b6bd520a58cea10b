"""Benchmark 3, webhook fan-out: N events x M endpoints delivered by the webhooks service (one
worker process: claim, sign, send, record) to a local receiver, against a bare asyncio
client posting the same bodies to the same receiver with the same concurrency (the ceiling).

    python -m bench.fanout [--events 2000] [--endpoints 5]
"""

import argparse
import asyncio
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import asyncpg

from bench.gateway import ADMIN, AMQP, ROOT, free_port, wait_http
from bench.report import py_spy, save
from cli.keys import provision
from libs.common import jsoncodec
from libs.common.clock import utcnow
from libs.common.db import create_pool, migrate_up
from libs.common.eventstore import EventStore
from libs.common.identity import Identity
from libs.common.ids import new_id
from services.webhooks import service
from services.webhooks.adapters import deliveries
from services.webhooks.adapters.projections import WebhooksProjector
from services.webhooks.adapters.secrets import SecretBox
from services.webhooks.app import SERVICE
from services.webhooks.settings import DEV_SECRETS_KEY

CONCURRENCY_PER_ENDPOINT = 10  # the engine's default per-endpoint cap


async def prepare(dsn: str, receiver: str, endpoints: int) -> tuple[asyncpg.Pool, list[str]]:
    conn = await asyncpg.connect(dsn)
    await migrate_up(conn, schema="webhooks", migrations=SERVICE.migrations())
    await conn.close()
    pool = await create_pool(dsn, schema="webhooks", max_size=4)
    store = EventStore(schema="webhooks", projector=WebhooksProjector())
    who = Identity(
        organization_id=new_id("org"),
        mode="live",
        key_id="key_bench",
        scopes=frozenset(),
        request_id="bench",
    )
    ids = []
    async with pool.acquire() as conn, conn.transaction():
        for i in range(endpoints):
            endpoint = await service.create(
                conn,
                store=store,
                box=SecretBox(DEV_SECRETS_KEY),
                who=who,
                url=f"{receiver}/hook/{i}",
                events=["*"],
                description=None,
                enabled=True,
            )
            ids.append(endpoint.id)
    return pool, ids


async def enqueue(pool: asyncpg.Pool, endpoint_ids: list[str], events: int) -> list[bytes]:
    bodies = []
    async with pool.acquire() as conn, conn.transaction():
        for n in range(events):
            body = {
                "id": new_id("evt"),
                "event": "order.created",
                "timestamp": utcnow().isoformat(),
                "organizationId": "org_bench",
                "mode": "live",
                "data": {"id": f"ord_{n}", "total": 9.98},
            }
            payload = jsoncodec.dumps(body)
            bodies.append(payload)
            await conn.execute(
                "INSERT INTO event_log (id, type, organization_id, mode, occurred_at, body,"
                " payload) VALUES ($1, 'order.created', 'org_bench', 'live', now(), $2, $3)",
                body["id"],
                body,
                payload,
            )
            await deliveries.enqueue(
                conn,
                event_id=body["id"],
                event_type="order.created",
                organization_id="org_bench",
                mode="live",
                event_at=utcnow(),
                endpoint_ids=endpoint_ids,
            )
    return bodies


async def bare_client(receiver: str, bodies: list[bytes], endpoints: int) -> float:
    jobs = [(f"{receiver}/hook/{i}", body) for body in bodies for i in range(endpoints)]
    limit = asyncio.Semaphore(CONCURRENCY_PER_ENDPOINT * endpoints)
    started = time.monotonic()
    async with aiohttp.ClientSession() as http:

        async def post(url: str, body: bytes) -> None:
            async with (
                limit,
                http.post(url, data=body, headers={"Content-Type": "application/json"}) as r,
            ):
                await r.read()
                assert r.status == 200

        await asyncio.gather(*(post(url, body) for url, body in jobs))
    return time.monotonic() - started


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def main_async(args: argparse.Namespace) -> None:
    database = f"stacknex_bench_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(ADMIN)
    await admin.execute(f'CREATE DATABASE "{database}"')
    await admin.close()
    dsn = ADMIN.rsplit("/", 1)[0] + "/" + database
    receiver_port = free_port()
    receiver = f"http://127.0.0.1:{receiver_port}"
    upstream = subprocess.Popen(
        [sys.executable, "-m", "bench.upstream", "--port", str(receiver_port)], cwd=ROOT
    )
    worker = None
    try:
        wait_http(receiver + "/healthz")
        pool, endpoint_ids = await prepare(dsn, receiver, args.endpoints)
        worker_port, ops_port = free_port(), free_port()
        worker = subprocess.Popen(
            [sys.executable, "-m", "services.webhooks"],
            cwd=ROOT,
            env={
                **os.environ,
                "STACKNEX_DATABASE_URL": dsn,
                "STACKNEX_AMQP_URL": AMQP,
                "STACKNEX_EVENTS_EXCHANGE": f"bench.{database}",
                "STACKNEX_WEBHOOKS_ROLE": "worker",
                "STACKNEX_WEBHOOKS_ALLOWED_PRIVATE_NETWORKS": '["127.0.0.0/8"]',
                # Every endpoint is one organization's: let it have the bare client's
                # concurrency, so the figures compare the same thing (the default share of
                # 25 would halve it at 5 endpoints).
                "STACKNEX_WEBHOOKS_ORGANIZATION_CONCURRENCY": str(
                    CONCURRENCY_PER_ENDPOINT * args.endpoints
                ),
                "STACKNEX_LOG_LEVEL": "WARNING",
                "STACKNEX_WEBHOOKS_PORT": str(worker_port),
                "STACKNEX_WEBHOOKS_OPS_PORT": str(ops_port),
                **provision(Path(tempfile.mkdtemp(prefix="stacknex-keys-"))),
            },
        )
        wait_http(f"http://127.0.0.1:{ops_port}/readyz")
        spy = None
        if args.profile:
            spy = py_spy(worker.pid, seconds=15, output="fanout-profile.txt")
        cpu_before = process_cpu(worker.pid)
        started = time.monotonic()
        bodies = await enqueue(pool, endpoint_ids, args.events)
        queued = time.monotonic() - started
        total = args.events * args.endpoints
        while (
            await pool.fetchval("SELECT count(*) FROM deliveries WHERE status = 'succeeded'")
            < total
        ):
            await asyncio.sleep(0.1)  # poll the outcome the engine records
        engine = time.monotonic() - started
        worker_cpu = process_cpu(worker.pid) - cpu_before
        if spy is not None:
            spy.wait(60)
        await pool.close()
        ceiling = await bare_client(receiver, bodies, args.endpoints)
    finally:
        for process in (worker, upstream):
            if process is not None:
                process.terminate()
                process.wait(30)
        admin = await asyncpg.connect(ADMIN)
        await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await admin.close()
    runs = {
        "webhooks engine (1 worker process)": {
            "deliveries": total,
            "seconds": round(engine, 2),
            "deliveries_per_second": round(total / engine, 1),
            # Within `seconds`: queueing them (one transaction, as the consumer would) and
            # the worker's own CPU (user + system), per delivery.
            "queueing_seconds": round(queued, 2),
            "worker_cpu_ms_per_delivery": round(worker_cpu * 1000 / total, 3),
        },
        "bare asyncio client (ceiling)": {
            "deliveries": total,
            "seconds": round(ceiling, 2),
            "deliveries_per_second": round(total / ceiling, 1),
        },
    }
    save(
        "fanout",
        runs=runs,
        ratios={"engine / bare client": round(ceiling / engine, 3)},
        settings=vars(args),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--endpoints", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="py-spy the worker")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
