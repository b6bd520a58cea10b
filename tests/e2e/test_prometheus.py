"""A real Prometheus (Debian's package) scrapes the whole platform, as the ServiceMonitors
make it do in Kubernetes: every service's ops listener, over plain HTTP."""

import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from cli.registry import SERVICES
from tests.conftest import free_port, until
from tests.e2e.conftest import Platform

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def prometheus(platform: Platform, tmp_path: Path) -> AsyncIterator[str]:
    tools = ROOT / ".venv-deploy" / "bin"
    subprocess.run(["bash", str(ROOT / "scripts/prometheus-tools.sh"), str(tools)], check=True)
    jobs = []
    for name in SERVICES:
        port = platform.ports[f"{name}_ops"]
        jobs.append(
            f"  - job_name: {name}\n    scrape_interval: 1s\n"
            f"    static_configs:\n      - targets: ['127.0.0.1:{port}']\n"
        )
    config = tmp_path / "prometheus.yml"
    config.write_text("scrape_configs:\n" + "".join(jobs))
    port = free_port()
    process = subprocess.Popen(
        [
            str(tools / "prometheus"),
            f"--config.file={config}",
            f"--storage.tsdb.path={tmp_path / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(30)


async def test_prometheus_scrapes_every_service(prometheus: str) -> None:
    async with aiohttp.ClientSession() as http:

        async def query(expression: str) -> list[dict[str, object]]:
            try:
                async with http.get(
                    prometheus + "/api/v1/query", params={"query": expression}
                ) as response:
                    if response.status != 200:
                        return []
                    return (await response.json())["data"]["result"]  # type: ignore[no-any-return]
            except aiohttp.ClientError:
                return []

        async def all_up() -> bool:
            up = await query("up == 1")
            return {r["metric"]["job"] for r in up} == set(SERVICES)  # type: ignore[index]

        await until(all_up, timeout=60, what="every service scraped and up")
        series = await query("count by (job) (stacknex_http_requests_total)")
        assert {r["metric"]["job"] for r in series} == set(SERVICES)  # type: ignore[index]
        publish = await query("stacknex_publish_lag_seconds")
        assert {r["metric"]["job"] for r in publish} >= {
            "catalog",
            "orders",
            "inventory",  # type: ignore[index]
            "webhooks",
        }
