"""Benchmark: the request log's cost to the gateway's throughput (issue 14: at most 5 %).

Two gateways of the same code, database, Redis and upstream, one with the request log on
(every authenticated request appended to the buffer, written by COPY every second) and
one with it off (`STACKNEX_GATEWAY_REQUEST_LOG_ENABLED=false`). wrk drives the same
authenticated GET as `bench/gateway.py` (keys of many enterprise organizations, picked at
random), and the runs alternate on, off, on, off … on the same machine, so that drift of a
shared machine hits both sides alike; each side's figure is the median of its runs.

Beside the throughput, the CPU time each gateway process spent per request (from
/proc/<pid>/stat, user + system, the writer's COPY included): on a machine shared with
other work, throughput swings with the share of CPU the gateway gets, while its CPU per
request is the recording's own cost and barely moves.

    python -m bench.request_log [--seconds 10] [--connections 50] [--rounds 3]
"""

import argparse
import asyncio
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import asyncpg

from bench.gateway import (
    ADMIN,
    AMQP,
    ROOT,
    WRK_SCRIPT,
    drop_database,
    free_port,
    prepare_database,
    wait_http,
    wrk,
)
from bench.report import save
from cli.keys import provision

REDIS = os.environ.get("STACKNEX_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
SIDES = ("log on", "log off")


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _gateway(env: dict[str, str], *, enabled: bool) -> tuple[subprocess.Popen[bytes], int, int]:
    port, tls, ops = free_port(), free_port(), free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "services.gateway"],
        cwd=ROOT,
        env={
            **env,
            "STACKNEX_GATEWAY_REQUEST_LOG_ENABLED": "true" if enabled else "false",
            "STACKNEX_GATEWAY_PORT": str(port),
            "STACKNEX_GATEWAY_TLS_PORT": str(tls),
            "STACKNEX_GATEWAY_OPS_PORT": str(ops),
        },
    )
    return process, port, ops


def _run(env: dict[str, str], work: Path, args: argparse.Namespace, *, enabled: bool) -> Any:
    """One gateway, warmed up (caches, pools, the first COPY) and then measured."""
    process, port, ops = _gateway(env, enabled=enabled)
    try:
        wait_http(f"http://127.0.0.1:{ops}/readyz")
        url = f"http://127.0.0.1:{port}/api/v1/products"
        wrk(url, seconds=2, connections=args.connections, script=work / "keys.lua")
        cpu = _cpu_seconds(process.pid)
        run = wrk(url, seconds=args.seconds, connections=args.connections, script=work / "keys.lua")
        # The warm-up's last second is written inside the measured window and the run's own
        # last second after it: about as many rows, so the writer's cost is counted once.
        spent = _cpu_seconds(process.pid) - cpu
        run["cpu_us_per_request"] = round(
            spent / (run["requests_per_second"] * args.seconds) * 1e6, 1
        )
        return run
    finally:
        process.terminate()
        process.wait(30)


async def _logged(database: str) -> int:
    conn = await asyncpg.connect(ADMIN.rsplit("/", 1)[0] + "/" + database)
    try:
        return int(await conn.fetchval("SELECT count(*) FROM gateway.request_log"))
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3, help="runs per side, alternating")
    parser.add_argument(
        "--control",
        action="store_true",
        help="both gateways with the log off (an A/A run): the spread two identical"
        " gateways show on this machine, the noise floor of the comparison",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: run `make bench` (it installs wrk and nginx)")
    database = f"stacknex_bench_{secrets.token_hex(4)}"
    # Both gateways share the organizations' limits (one Redis): enough organizations that
    # none reaches 10,000 requests in the hour at ~3,000 req/s over every run.
    total = 2 * args.rounds * args.seconds * 4_000
    keys = asyncio.run(prepare_database(database, organizations=max(60, total // 8_000 + 10)))
    work = Path(tempfile.mkdtemp(prefix="stacknex-bench-"))
    subprocess.run(["bash", str(ROOT / "scripts/dev-cert.sh"), str(work / "tls")], check=True)
    (work / "keys.lua").write_text(WRK_SCRIPT.format(keys=", ".join(f'"{k}"' for k in keys)))
    upstream = free_port()
    env = {
        **os.environ,
        "STACKNEX_DATABASE_URL": ADMIN.rsplit("/", 1)[0] + "/" + database,
        "STACKNEX_AMQP_URL": AMQP,
        "STACKNEX_EVENTS_EXCHANGE": f"bench.{database}",
        "STACKNEX_GATEWAY_REDIS_URL": REDIS,
        "STACKNEX_GATEWAY_TRUSTED_PROXIES": '["127.0.0.0/8"]',
        "STACKNEX_LOG_LEVEL": "WARNING",
        "STACKNEX_GATEWAY_TLS_CERT_FILE": str(work / "tls/cert.pem"),
        "STACKNEX_GATEWAY_TLS_KEY_FILE": str(work / "tls/key.pem"),
        "STACKNEX_CATALOG_URL": f"http://127.0.0.1:{upstream}",
        **provision(work / "keys"),
    }
    upstream_process = subprocess.Popen(
        [sys.executable, "-m", "bench.upstream", "--port", str(upstream)], cwd=ROOT
    )
    figures: dict[str, list[dict[str, Any]]] = {side: [] for side in SIDES}
    try:
        wait_http(f"http://127.0.0.1:{upstream}/healthz")
        for round_ in range(args.rounds):
            # A new gateway process per run, one at a time, the side going first alternating:
            # two identical gateways running side by side differed by up to 10 % (the
            # `--control` run), by where the kernel placed them; fresh processes spread that
            # over both sides instead of handing it to one.
            for side in SIDES if round_ % 2 == 0 else tuple(reversed(SIDES)):
                enabled = side == "log on" and not args.control
                figures[side].append(_run(env, work, args, enabled=enabled))
    finally:
        upstream_process.terminate()
        upstream_process.wait(30)
    try:
        logged = asyncio.run(_logged(database))  # after the last flush, at the gateway's exit
    finally:
        asyncio.run(drop_database(database))
    runs = {}
    for side in SIDES:
        rates = [run["requests_per_second"] for run in figures[side]]
        runs[f"gateway, {side}"] = {
            "requests_per_second": round(statistics.median(rates)),
            "each_run": " / ".join(f"{r:.0f}" for r in rates),
            "p50_ms": round(statistics.median(run["p50_ms"] for run in figures[side]), 2),
            "p99_ms": round(statistics.median(run["p99_ms"] for run in figures[side]), 2),
            "non_2xx": sum(run["non_2xx"] for run in figures[side]),
            "cpu_us_per_request": round(
                statistics.median(run["cpu_us_per_request"] for run in figures[side]), 1
            ),
        }
    on, off = (runs[f"gateway, {side}"]["requests_per_second"] for side in SIDES)
    # Each on run against the off run right after it: drift between rounds (another
    # process taking a core for a while) cancels within a pair, so the median of the pairs'
    # ratios is the steadier figure on a shared machine.
    pairs = [
        a["requests_per_second"] / b["requests_per_second"]
        for a, b in zip(figures["log on"], figures["log off"], strict=True)
    ]
    ratio = round(statistics.median(pairs), 3)
    cpu_on, cpu_off = (runs[f"gateway, {side}"]["cpu_us_per_request"] for side in SIDES)
    save(
        "request_log-control" if args.control else "request_log",
        runs=runs,
        ratios={
            "throughput, log on / log off (median of paired runs)": ratio,
            "throughput, median on / median off": round(on / off, 3),
            "CPU per request, log off / log on": round(cpu_off / cpu_on, 3),
            "rows logged": logged,
        },
        settings=vars(args),
    )
    print(
        f"request log on: {on} req/s, off: {off} req/s, on/off = {ratio} (bar: >= 0.95);"
        f" gateway CPU per request {cpu_on} vs {cpu_off} µs"
    )


if __name__ == "__main__":
    main()
