"""Benchmark 4, scale: the same operations against a small and a large store, each reported
as a ratio large/small (1.0: the size costs nothing).

- catalog: the first list page, a deep page, a name search and a single GET, with 1,000 vs
  1,000,000 products in one organization (load from wrk, straight to the catalog service
  with a signed identity: the gateway's share is measured by the third part);
- event store: appends (a new stream; the next version of an existing stream) with 10,000
  vs 10,000,000 events in the store;
- gateway: an authenticated, rate-limited GET through the gateway with 10 vs 100,000
  organizations and keys, over 10 hot keys and over every key (a cache miss each).

The large stores are filled with SQL and COPY (read models and events as the services
write them), not through the API: a million API calls would measure the seeding.

    python -m bench.scale [--seconds 10] [--only catalog,events,gateway]
"""

import argparse
import asyncio
import functools
import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg

from bench.gateway import ADMIN, AMQP, ROOT, drop_database, free_port, wait_http, wrk
from bench.report import save
from cli import keys
from libs.common.db import COMMON_MIGRATIONS, create_pool, discover, migrate_up
from libs.common.events import NewEvent
from libs.common.eventstore import EventStore
from libs.common.identity import Identity
from libs.common.ids import ALPHABET, new_id
from libs.common.keys import Keyring, load_keyring, private_key_path
from services.catalog.app import SERVICE as CATALOG
from services.gateway.app import SERVICE as GATEWAY
from services.gateway.domain.access import hash_secret
from services.gateway.service import Access

DAY_MS = 86_400_000


def _dsn(database: str) -> str:
    return ADMIN.rsplit("/", 1)[0] + "/" + database


def _ratio(large: float, small: float) -> float:
    return round(large / small, 3) if small else float("nan")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def _service(module: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", module], cwd=ROOT, env=env)


@functools.cache
def _keys() -> Path:
    """One throw-away key set for the run's services."""
    directory = Path(tempfile.mkdtemp(prefix="stacknex-keys-"))
    keys.generate(directory)
    return directory


def _gateway_keys() -> Keyring:
    """To speak straight to a service as the gateway does."""
    return load_keyring(
        service="gateway",
        signing_key_file=private_key_path(_keys(), "gateway"),
        public_keys_dir=_keys() / "public",
    )


def _base_env(database: str) -> dict[str, str]:
    return {
        **os.environ,
        "STACKNEX_DATABASE_URL": _dsn(database),
        "STACKNEX_AMQP_URL": AMQP,
        "STACKNEX_EVENTS_EXCHANGE": f"bench.{database}",
        "STACKNEX_LOG_LEVEL": "WARNING",
        **keys.env(_keys()),
    }


def _lua(path: Path, *, header: str, paths: list[str], values: list[str] | None = None) -> Path:
    """A wrk script sending one of `paths` at random, each with `header` (a format string
    filled with one of `values` at random, when given)."""
    quoted = ", ".join(json.dumps(p) for p in paths)
    pool = ", ".join(json.dumps(v) for v in values or [""])
    name, _, value = header.partition(": ")
    path.write_text(
        f"local paths = {{{quoted}}}\nlocal values = {{{pool}}}\n"
        "request = function()\n"
        "  local v = values[math.random(#values)]\n"
        "  local p = paths[math.random(#paths)]\n"
        f"  local h = {{[{json.dumps(name)}] = string.format({json.dumps(value)}, v)}}\n"
        '  h["X-Forwarded-Proto"] = "https"\n'
        '  return wrk.format("GET", p, h)\n'
        "end\n"
    )
    return path


# -- catalog ---------------------------------------------------------------------------------

WORDS = ["Espresso", "Latte", "Bagel", "Muffin", "Scone", "Tea", "Juice", "Wrap", "Salad", "Cookie"]


async def seed_products(conn: asyncpg.Connection, *, org: str, start: int, count: int) -> None:
    """Products `start`..`start+count-1`, created one a minute going back in time from now,
    so that a larger store adds older products behind the same first page."""
    now_ms = int(time.time() * 1000)
    created = datetime.now(UTC)
    batch = 50_000
    for offset in range(start, start + count, batch):
        rows = []
        for i in range(offset, min(offset + batch, start + count)):
            at_ms = now_ms - i * 60_000
            at = created - timedelta(minutes=i)
            rows.append(
                (
                    new_id("prod", now_ms=at_ms),
                    org,
                    "live",
                    f"{WORDS[i % len(WORDS)]} no. {i:07d}",
                    f"SKU-{i:07d}",
                    None,
                    Decimal("2.50"),
                    "USD",
                    None,
                    True,
                    True,
                    "deny",
                    None,
                    "{}",
                    1,
                    at,
                    at,
                    None,
                )
            )
        await conn.copy_records_to_table(
            "products",
            records=rows,
            columns=[
                "id",
                "organization_id",
                "mode",
                "name",
                "sku",
                "description",
                "price",
                "currency",
                "category_id",
                "active",
                "track_inventory",
                "inventory_policy",
                "low_stock_threshold",
                "metadata",
                "version",
                "created_at",
                "updated_at",
                "deleted_at",
            ],
        )
    await conn.execute("VACUUM ANALYZE products")
    # Flushed now, so that the checkpoint after a million-row COPY does not land mid-run.
    await conn.execute("CHECKPOINT")


async def catalog_runs(
    database: str, *, sizes: list[int], seconds: int, connections: int = 20
) -> dict[str, Any]:
    dsn = _dsn(database)
    conn = await asyncpg.connect(dsn)
    await migrate_up(conn, schema="catalog", migrations=CATALOG.migrations())
    await conn.close()
    # asyncpg's own jsonb codec (text in, binary COPY) rather than the services' json one.
    conn = await asyncpg.connect(dsn, server_settings={"search_path": "catalog"})
    org = new_id("org")
    port, ops_port = free_port(), free_port()
    env = {
        **_base_env(database),
        "STACKNEX_CATALOG_PORT": str(port),
        "STACKNEX_CATALOG_OPS_PORT": str(ops_port),
    }
    catalog = _service("services.catalog", env)
    work = Path(tempfile.mkdtemp(prefix="stacknex-scale-"))
    runs: dict[str, dict[str, Any]] = {}
    seeded = 0
    try:
        wait_http(f"http://127.0.0.1:{ops_port}/readyz")
        for size in sizes:
            began = time.monotonic()
            await seed_products(conn, org=org, start=seeded, count=size - seeded)
            seeded = size
            print(f"scale: {size:,} products seeded in {time.monotonic() - began:.1f}s")
            # The same first page at both sizes; the deep page is the middle of the list.
            middle = await conn.fetchval(
                "SELECT id FROM products WHERE organization_id = $1 ORDER BY id DESC"
                " OFFSET $2 LIMIT 1",
                org,
                size // 2,
            )
            sample = await conn.fetch(
                "SELECT id FROM products TABLESAMPLE SYSTEM (5) LIMIT 2000"
                if size > 100_000
                else "SELECT id FROM products LIMIT 2000"
            )
            ids = [r["id"] for r in sample]
            cases = {
                "first page": ["/api/v1/products?limit=20"],
                "deep page": [f"/api/v1/products?limit=20&starting_after={middle}"],
                # One match: the distinctive part of one product's name.
                "name search, rare term": [f"/api/v1/products?limit=20&q={size // 3:07d}"],
                # A word in a tenth of the names: the page fills from the newest.
                "name search, common word": ["/api/v1/products?limit=20&q=latte"],
                "single GET": [f"/api/v1/products/{i}" for i in ids],
            }
            for label, paths in cases.items():
                # Signed afresh per run: an identity lives 30 s.
                token = _gateway_keys().sign(
                    Identity(org, "live", "key_bench", frozenset({"products:read"}), ""),
                    audience="catalog",
                )
                script = _lua(
                    work / "catalog.lua", header=f"X-StackNex-Identity: {token}", paths=paths
                )
                url = f"http://127.0.0.1:{port}"
                wrk(url, seconds=2, connections=connections, script=script)  # warm-up
                result = wrk(url, seconds=seconds, connections=connections, script=script)
                runs[f"catalog {label}, {size:,} products"] = result
    finally:
        catalog.terminate()
        catalog.wait(30)
        await conn.close()
    return runs


# -- event store -----------------------------------------------------------------------------


async def seed_events(pool: asyncpg.Pool, *, start: int, end: int) -> None:
    """Events `start`..`end-1` as product histories of ten versions each, product-sized data."""
    chunk = 1_000_000
    for low in range(start, end, chunk):
        high = min(low + chunk, end) - 1
        began = time.monotonic()
        await pool.execute(
            "INSERT INTO events (id, stream_id, version, type, data, organization_id, mode,"
            " occurred_at)"
            " SELECT 'evt_' || lpad(g::text, 22, '0'), 'prod_' || lpad((g / 10)::text, 22, '0'),"
            " g % 10 + 1, 'product.updated',"
            " jsonb_build_object('id', 'prod_' || lpad((g / 10)::text, 22, '0'),"
            "  'object', 'product', 'name', 'Product ' || g, 'sku', 'SKU-' || g,"
            "  'price', 2.5, 'currency', 'USD', 'active', true, 'trackInventory', true,"
            "  'inventoryPolicy', 'deny', 'metadata', '{}'::jsonb,"
            "  'createdAt', '2026-01-01T00:00:00Z', 'updatedAt', '2026-01-01T00:00:00Z'),"
            " 'org_' || lpad((g / 100000)::text, 22, '0'), 'live', now()"
            " FROM generate_series($1::bigint, $2::bigint) g",
            low,
            high,
            timeout=3600,
        )
        print(f"scale: events {low:,}..{high:,} in {time.monotonic() - began:.1f}s", flush=True)
    await pool.execute("VACUUM ANALYZE events", timeout=3600)
    await pool.execute("CHECKPOINT", timeout=3600)


async def _append_load(
    pool: asyncpg.Pool, store: EventStore, *, streams: int, existing: bool, seconds: int
) -> dict[str, Any]:
    latencies: list[float] = []
    deadline = time.monotonic() + seconds

    async def worker() -> None:
        while time.monotonic() < deadline:
            event = NewEvent(
                type="product.updated",
                data={"id": "prod_x", "name": "Bench", "price": 2.5},
                organization_id="org_bench",
                mode="live",
            )
            began = time.perf_counter()
            async with pool.acquire() as conn, conn.transaction():
                if existing:
                    # A random existing product's next version: the usual update.
                    stream = "prod_" + f"{random.randrange(streams)}".rjust(22, "0")
                    await store.lock_stream(conn, stream_id=stream)
                    version = await store.stream_version(conn, stream_id=stream)
                else:
                    stream, version = new_id("prod"), 0
                await store.append(conn, stream_id=stream, expected_version=version, events=[event])
            latencies.append(time.perf_counter() - began)

    await asyncio.gather(*(worker() for _ in range(8)))
    await pool.execute("DELETE FROM outbox")  # no publisher here: nothing will drain it
    ordered = sorted(latencies)
    return {
        "appends_per_second": round(len(ordered) / seconds, 1),
        "p50_ms": round(ordered[len(ordered) // 2] * 1000, 3),
        "p99_ms": round(ordered[int(len(ordered) * 0.99)] * 1000, 3),
    }


async def events_runs(database: str, *, sizes: list[int], seconds: int) -> dict[str, Any]:
    dsn = _dsn(database)
    conn = await asyncpg.connect(dsn)
    await migrate_up(conn, schema="scale", migrations=discover([COMMON_MIGRATIONS]))
    await conn.close()
    pool = await create_pool(dsn, schema="scale", max_size=8)
    store = EventStore(schema="scale")
    runs: dict[str, dict[str, Any]] = {}
    seeded = 0
    try:
        for size in sizes:
            began = time.monotonic()
            await seed_events(pool, start=seeded, end=size)
            seeded = size
            print(f"scale: {size:,} events in the store ({time.monotonic() - began:.0f}s)")
            for label, existing in (("new stream", False), ("existing stream", True)):
                runs[f"append to a {label}, {size:,} events"] = await _append_load(
                    pool, store, streams=size // 10, existing=existing, seconds=seconds
                )
    finally:
        await pool.close()
    return runs


# -- gateway ---------------------------------------------------------------------------------


async def seed_keys(pool: asyncpg.Pool, *, count: int, scopes: list[str]) -> list[str]:
    """`count` enterprise organizations with one live key each, as the projections write them."""
    now = datetime.now(UTC)
    orgs, keys, tokens = [], [], []
    for _ in range(count):
        org = new_id("org")
        public_id = "".join(secrets.choice(ALPHABET) for _ in range(12))
        secret = secrets.token_hex(16)
        orgs.append((org, "Bench", "enterprise", new_id("loc"), now, now, 1))
        keys.append((new_id("key"), org, "live", public_id, hash_secret(secret), scopes, now, 1))
        tokens.append(f"nxp_live_{public_id}_{secret}")
    await pool.copy_records_to_table(
        "organizations",
        records=orgs,
        columns=[
            "id",
            "name",
            "plan",
            "default_location_id",
            "created_at",
            "updated_at",
            "version",
        ],
    )
    await pool.copy_records_to_table(
        "api_keys",
        records=keys,
        columns=[
            "id",
            "organization_id",
            "mode",
            "public_id",
            "secret_hash",
            "scopes",
            "created_at",
            "version",
        ],
    )
    await pool.execute("VACUUM ANALYZE organizations, api_keys")
    await pool.execute("CHECKPOINT")
    return tokens


async def gateway_runs(database: str, *, sizes: list[int], seconds: int) -> dict[str, Any]:
    dsn = _dsn(database)
    conn = await asyncpg.connect(dsn)
    await migrate_up(conn, schema="gateway", migrations=GATEWAY.migrations())
    await conn.close()
    pool = await create_pool(dsn, schema="gateway")
    # One key made the proper way gives the scopes a new key gets.
    org = await Access(pool=pool).create_organization(name="Bench", plan="enterprise")
    await Access(pool=pool).create_key(org_id=org.id, mode="live")
    scopes = list(await pool.fetchval("SELECT scopes FROM api_keys LIMIT 1"))
    work = Path(tempfile.mkdtemp(prefix="stacknex-scale-"))
    ports = {n: free_port() for n in ("upstream", "gateway", "tls", "ops")}
    subprocess.run(["bash", str(ROOT / "scripts/dev-cert.sh"), str(work / "tls")], check=True)
    env = {
        **_base_env(database),
        "STACKNEX_GATEWAY_TRUSTED_PROXIES": '["127.0.0.0/8"]',
        "STACKNEX_GATEWAY_TLS_CERT_FILE": str(work / "tls/cert.pem"),
        "STACKNEX_GATEWAY_TLS_KEY_FILE": str(work / "tls/key.pem"),
        "STACKNEX_GATEWAY_PORT": str(ports["gateway"]),
        "STACKNEX_GATEWAY_TLS_PORT": str(ports["tls"]),
        "STACKNEX_GATEWAY_OPS_PORT": str(ports["ops"]),
        "STACKNEX_CATALOG_URL": f"http://127.0.0.1:{ports['upstream']}",
    }
    upstream = subprocess.Popen(
        [sys.executable, "-m", "bench.upstream", "--port", str(ports["upstream"])], cwd=ROOT
    )
    runs: dict[str, dict[str, Any]] = {}
    tokens: list[str] = []
    gateway = None
    try:
        for size in sizes:
            tokens += await seed_keys(pool, count=size - len(tokens), scopes=scopes)
            # A fresh gateway per size: an empty key cache, as after a deploy.
            gateway = _service("services.gateway", env)
            wait_http(f"http://127.0.0.1:{ports['ops']}/readyz")
            url = f"http://127.0.0.1:{ports['gateway']}"
            # Hot: ten organizations never used before (each far from its hourly limit).
            hot = tokens[-10:]
            # Every key: at the small size the same ten, at the large a cache miss each.
            cases = {"10 hot keys": hot, "every key in turn": tokens}
            for label, values in cases.items():
                script = _lua(
                    work / "keys.lua",
                    header="Authorization: Bearer %s",
                    paths=["/api/v1/products"],
                    values=values,
                )
                result = wrk(url, seconds=seconds, connections=50, script=script)
                result["gateway_rss_mb"] = _rss_mb(gateway.pid)
                runs[f"gateway {label}, {size:,} keys"] = result
            gateway.terminate()
            gateway.wait(30)
            gateway = None
    finally:
        if gateway is not None:
            gateway.terminate()
            gateway.wait(30)
        upstream.terminate()
        upstream.wait(30)
        await pool.close()
    return runs


# -- the report ------------------------------------------------------------------------------


def _ratios(runs: dict[str, dict[str, Any]], small: str, large: str) -> dict[str, float]:
    """For every run labelled with the small size, the same run at the large size."""
    out: dict[str, float] = {}
    for label, run in runs.items():
        if not label.endswith(small):
            continue
        twin = runs.get(label[: -len(small)] + large)
        if twin is None:
            continue
        rate = "appends_per_second" if "appends_per_second" in run else "requests_per_second"
        name = label[: -len(small)].rstrip(", ")
        out[f"{name}: throughput {large} / {small}"] = _ratio(twin[rate], run[rate])
        out[f"{name}: p50 {large} / {small}"] = _ratio(twin["p50_ms"], run["p50_ms"])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--only", default="catalog,events,gateway")
    sizes = lambda v: [int(x) for x in v.split(",")]  # noqa: E731
    parser.add_argument("--products", type=sizes, default=[1_000, 1_000_000])
    parser.add_argument("--events", type=sizes, default=[10_000, 10_000_000])
    parser.add_argument("--keys", type=sizes, default=[10, 100_000])
    parser.add_argument(
        "--connections", type=int, default=20, help="of the catalog's cases (the issue's: 50)"
    )
    args = parser.parse_args()
    parts = set(args.only.split(","))
    database = f"stacknex_bench_{secrets.token_hex(4)}"

    async def run() -> dict[str, dict[str, Any]]:
        admin = await asyncpg.connect(ADMIN)
        await admin.execute(f'CREATE DATABASE "{database}"')
        await admin.close()
        runs: dict[str, dict[str, Any]] = {}
        try:
            if "catalog" in parts:
                runs |= await catalog_runs(
                    database,
                    sizes=args.products,
                    seconds=args.seconds,
                    connections=args.connections,
                )
            if "events" in parts:
                runs |= await events_runs(database, sizes=args.events, seconds=args.seconds)
            if "gateway" in parts:
                runs |= await gateway_runs(database, sizes=args.keys, seconds=args.seconds)
        finally:
            await drop_database(database)
        return runs

    runs = asyncio.run(run())
    ratios: dict[str, float] = {}
    for kind, (small, large) in (
        ("products", args.products),
        ("events", args.events),
        ("keys", args.keys),
    ):
        ratios |= _ratios(runs, f"{small:,} {kind}", f"{large:,} {kind}")
    save("scale", runs=runs, ratios=ratios, settings={**vars(args)})


if __name__ == "__main__":
    main()
