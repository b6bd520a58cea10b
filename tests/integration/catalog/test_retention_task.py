"""The catalog runs its retention purge (idempotency records, dedupe rows) at start, and
says so on /metrics: the common purge is wired into a service without its own tables."""

from aiohttp.test_utils import TestClient

from tests.conftest import until


async def test_the_retention_purge_runs_at_start_and_is_reported(catalog: TestClient) -> None:
    async def ran() -> bool:
        text = await (await catalog.get("/metrics")).text()
        for line in text.splitlines():
            if line.startswith("stacknex_retention_last_run_timestamp_seconds "):
                return float(line.split()[1]) > 0
        return False

    await until(ran, timeout=30, what="a retention run")
    text = await (await catalog.get("/metrics")).text()
    assert 'stacknex_retention_purged_rows_total{table="idempotency_keys"}' in text
    assert 'stacknex_retention_purged_rows_total{table="processed_events"}' in text
