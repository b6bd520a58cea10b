"""Benchmark 1, the gateway: an authenticated, rate-limited GET through the gateway to a
trivial upstream, against nginx as a plain reverse proxy to the same upstream, and against
the gateway with authentication and limits switched off. Load from wrk, a separate process.

    python -m bench.gateway [--seconds 10] [--connections 50]
"""

import argparse
import asyncio
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import asyncpg

from bench.report import py_spy, save
from cli.keys import provision
from libs.common.db import create_pool, migrate_up
from services.gateway.app import SERVICE
from services.gateway.service import Access

ROOT = Path(__file__).resolve().parents[1]
ADMIN = os.environ.get(
    "STACKNEX_BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
AMQP = os.environ.get("STACKNEX_BENCH_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/stacknex_test")

NGINX_CONF = """
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    upstream app {{ server 127.0.0.1:{upstream}; keepalive 64; }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }}
    }}
}}
"""

WRK_SCRIPT = """
local keys = {{{keys}}}
request = function()
  local key = keys[math.random(#keys)]
  return wrk.format("GET", "/api/v1/products", {{
    ["Authorization"] = "Bearer " .. key, ["X-Forwarded-Proto"] = "https"}})
end
"""


# Every port handed out in this run. The kernel gives a just-released ephemeral port again
# soon enough that a platform's eleven picks collided (webhooks got orders' port in a test
# run and did not start): a port is handed out once per run.
_handed_out: set[int] = set()


def free_port() -> int:
    """A free loopback port, never one this run handed out already (the kernel may give a
    just-released one again, and two processes of a bench would then collide)."""
    import socket

    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if port not in _handed_out:
            _handed_out.add(port)
            return port


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {timeout:.0f}s")


def _seconds(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


def wrk(url: str, *, seconds: int, connections: int, script: Path | None) -> dict[str, Any]:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script is not None:
        command[1:1] = ["-s", str(script)]
    else:
        command[1:1] = ["-H", "X-Forwarded-Proto: https"]
    return parse_wrk(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def cpu_seconds(pid: int) -> float:
    """CPU time of `pid` and its children's (nginx: the master and its worker), from /proc."""
    total = 0.0
    for each in [pid, *_children(pid)]:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except (FileNotFoundError, ValueError):
        return []


def measured(pid: int, url: str, **options: Any) -> dict[str, Any]:
    """A wrk run, with the CPU the process serving it spent per request: the per-core figure.
    Requests per second on this shared 2-core machine swing with everyone else's load (wrk,
    the upstream and other work take the same cores); CPU per request of the process under
    test does much less, and it is what "on the same number of cores" compares."""
    before = cpu_seconds(pid)
    run = wrk(url, **options)
    spent = cpu_seconds(pid) - before
    run["cpu_us_per_request"] = round(
        spent / max(run["requests_per_second"] * options["seconds"], 1) * 1e6, 1
    )
    return run


def parse_wrk(out: str) -> dict[str, Any]:
    # wrk pads some figures with a trailing space ("1.14s "): a stricter pattern lost p99.
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.MULTILINE))
    if "50" not in percentiles or "99" not in percentiles:
        raise SystemExit(f"wrk got no answers:\n{out}")
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50_ms": round(_seconds(percentiles["50"]) * 1000, 3),
        "p99_ms": round(_seconds(percentiles["99"]) * 1000, 3),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
    }


async def prepare_database(name: str, organizations: int) -> list[str]:
    admin = await asyncpg.connect(ADMIN)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    dsn = ADMIN.rsplit("/", 1)[0] + "/" + name
    conn = await asyncpg.connect(dsn)
    await migrate_up(conn, schema="gateway", migrations=SERVICE.migrations())
    await conn.close()
    pool = await create_pool(dsn, schema="gateway")
    access = Access(pool=pool)
    keys = []
    # Enough organizations that none reaches its 10,000/hour during the run.
    for i in range(organizations):
        org = await access.create_organization(name=f"Bench {i}", plan="enterprise")
        keys.append((await access.create_key(org_id=org.id, mode="live"))[1])
    await pool.close()
    return keys


async def drop_database(name: str) -> None:
    admin = await asyncpg.connect(ADMIN)
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument(
        "--profile", action="store_true", help="py-spy the gateway during the authenticated run"
    )
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: run `make bench` (it installs wrk and nginx)")
    database = f"stacknex_bench_{secrets.token_hex(4)}"
    keys = asyncio.run(
        prepare_database(database, organizations=max(50, args.seconds * 400 // 1000 * 10))
    )
    work = Path(tempfile.mkdtemp(prefix="stacknex-bench-"))
    ports = {
        name: free_port()
        for name in (
            "upstream",
            "nginx",
            "gateway",
            "gateway_tls",
            "gateway_ops",
            "open",
            "open_tls",
            "open_ops",
        )
    }
    subprocess.run(["bash", str(ROOT / "scripts/dev-cert.sh"), str(work / "tls")], check=True)
    (work / "nginx.conf").write_text(
        NGINX_CONF.format(dir=work, upstream=ports["upstream"], port=ports["nginx"])
    )
    (work / "keys.lua").write_text(WRK_SCRIPT.format(keys=", ".join(f'"{k}"' for k in keys)))
    env = {
        **os.environ,
        "STACKNEX_DATABASE_URL": ADMIN.rsplit("/", 1)[0] + "/" + database,
        "STACKNEX_AMQP_URL": AMQP,
        "STACKNEX_EVENTS_EXCHANGE": f"bench.{database}",
        "STACKNEX_GATEWAY_TRUSTED_PROXIES": '["127.0.0.0/8"]',
        "STACKNEX_LOG_LEVEL": "WARNING",
        "STACKNEX_GATEWAY_TLS_CERT_FILE": str(work / "tls/cert.pem"),
        "STACKNEX_GATEWAY_TLS_KEY_FILE": str(work / "tls/key.pem"),
        "STACKNEX_CATALOG_URL": f"http://127.0.0.1:{ports['upstream']}",
        **provision(work / "keys"),
    }
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "bench.upstream", "--port", str(ports["upstream"])], cwd=ROOT
        ),
        subprocess.Popen(
            ["nginx", "-c", str(work / "nginx.conf"), "-p", str(work), "-g", "daemon off;"]
        ),
        subprocess.Popen(
            [sys.executable, "-m", "services.gateway"],
            cwd=ROOT,
            env={
                **env,
                "STACKNEX_GATEWAY_PORT": str(ports["gateway"]),
                "STACKNEX_GATEWAY_TLS_PORT": str(ports["gateway_tls"]),
                "STACKNEX_GATEWAY_OPS_PORT": str(ports["gateway_ops"]),
            },
        ),
        subprocess.Popen(
            [sys.executable, "-m", "bench.gateway_open"],
            cwd=ROOT,
            env={
                **env,
                "STACKNEX_GATEWAY_PORT": str(ports["open"]),
                "STACKNEX_GATEWAY_TLS_PORT": str(ports["open_tls"]),
                "STACKNEX_GATEWAY_OPS_PORT": str(ports["open_ops"]),
            },
        ),
    ]
    try:
        for name in ("upstream", "nginx"):
            wait_http(f"http://127.0.0.1:{ports[name]}/healthz")
        for name in ("gateway_ops", "open_ops"):  # the gateways' probes: their ops listeners
            wait_http(f"http://127.0.0.1:{ports[name]}/readyz")
        runs = {
            "nginx reverse proxy": measured(
                processes[1].pid,
                f"http://127.0.0.1:{ports['nginx']}/api/v1/products",
                seconds=args.seconds,
                connections=args.connections,
                script=None,
            ),
            "gateway, auth and limits off": measured(
                processes[3].pid,
                f"http://127.0.0.1:{ports['open']}/api/v1/products",
                seconds=args.seconds,
                connections=args.connections,
                script=None,
            ),
        }
        spy = None
        if args.profile:
            # Samples the authenticated run only; the report lists the hottest frames.
            spy = py_spy(processes[2].pid, seconds=args.seconds, output="gateway-profile.txt")
        runs["gateway, authenticated and rate-limited"] = measured(
            processes[2].pid,
            f"http://127.0.0.1:{ports['gateway']}/api/v1/products",
            seconds=args.seconds,
            connections=args.connections,
            script=work / "keys.lua",
        )
        if spy is not None:
            spy.wait(60)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(30)
        asyncio.run(drop_database(database))
    full = runs["gateway, authenticated and rate-limited"]["requests_per_second"]
    ratios = {
        "gateway / nginx": round(full / runs["nginx reverse proxy"]["requests_per_second"], 3),
        "gateway / gateway without auth and limits": round(
            full / runs["gateway, auth and limits off"]["requests_per_second"], 3
        ),
    }
    cpu = {label: run["cpu_us_per_request"] for label, run in runs.items()}
    if all(cpu.values()):
        # Per core: requests one core serves, as a ratio (CPU per request, inverted).
        off = cpu["gateway, auth and limits off"]
        ratios["per core: gateway / gateway without auth and limits"] = round(
            off / cpu["gateway, authenticated and rate-limited"], 3
        )
        ratios["per core: gateway without auth / nginx"] = round(
            cpu["nginx reverse proxy"] / off, 3
        )
    save("gateway", runs=runs, ratios=ratios, settings=vars(args))


if __name__ == "__main__":
    main()
