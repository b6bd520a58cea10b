"""The catalog runs its retention purge (idempotency records, dedupe rows) at start, and
says so on /metrics: the common purge is wired into a service without its own tables."""

from aiohttp.test_utils import TestClient
from prometheus_client import generate_latest

from libs.common.web import METRICS
from tests.conftest import until


def _metrics(catalog: TestClient) -> str:
    # What the ops listener's /metrics renders: the app's own registry.
    return generate_latest(catalog.app[METRICS].registry).decode()


async def test_the_retention_purge_runs_at_start_and_is_reported(catalog: TestClient) -> None:
    async def ran() -> bool:
        text = _metrics(catalog)
        for line in text.splitlines():
            if line.startswith("stacknex_retention_last_run_timestamp_seconds "):
                return float(line.split()[1]) > 0
        return False

    await until(ran, timeout=30, what="a retention run")
    text = _metrics(catalog)
    assert 'stacknex_retention_purged_rows_total{table="idempotency_keys"}' in text
    assert 'stacknex_retention_purged_rows_total{table="processed_events"}' in text
