"""The request log's buffer and writer without a database, and the usage arithmetic that
reads the rate limiter's state without spending a request."""

import asyncio
from datetime import UTC, datetime
from typing import Any, cast

import asyncpg
import pytest

from libs.common.metrics import Metrics
from services.gateway.adapters.metrics import GatewayMetrics
from services.gateway.adapters.ratelimit import WINDOW_SECONDS, usage_from_state
from services.gateway.adapters.request_log import (
    PATH_MAX,
    RequestLog,
    RequestLogWriter,
    Row,
    to_record,
)

SECOND = 1_000_000
PROFESSIONAL = 1_000
INTERVAL = WINDOW_SECONDS * SECOND // PROFESSIONAL


def _row(n: int = 0, path: str = "/api/v1/products") -> Row:
    return (1_800_000_000.5, 0.25, "org_a", "test", "key_a", "GET", path, 200, f"req{n}")


class FakePool:
    """Stands in for `asyncpg.Pool`'s one method the writer uses; fails when told to."""

    def __init__(self) -> None:
        self.batches: list[list[tuple[Any, ...]]] = []
        self.failing = False

    async def copy_records_to_table(self, table: str, *, records: Any, **_: Any) -> str:
        if self.failing:
            raise asyncpg.PostgresConnectionError("connection refused")
        self.batches.append(list(records))
        return f"COPY {len(records)}"


def _writer(buffer: RequestLog, pool: FakePool, max_batch: int = 10_000) -> RequestLogWriter:
    metrics = GatewayMetrics(Metrics("test"))
    return RequestLogWriter(
        buffer,
        pool=cast(asyncpg.Pool, pool),
        schema="gateway",
        metrics=metrics,
        max_batch=max_batch,
    )


def _counter(writer: RequestLogWriter, reason: str) -> float:
    return writer.metrics.request_log_dropped.labels(reason)._value.get()


def test_the_record_has_no_query_string_and_starts_when_the_request_did() -> None:
    at, org, mode, key, method, path, status, ms, request_id = to_record(
        _row(path="/api/v1/orders?email=ann@example.com&limit=5")
    )
    assert path == "/api/v1/orders"
    assert at == datetime.fromtimestamp(1_800_000_000.25, UTC)
    assert (org, mode, key, method, status, ms, request_id) == (
        "org_a",
        "test",
        "key_a",
        "GET",
        200,
        250.0,
        "req0",
    )
    assert len(str(to_record(_row(path="/" + "x" * 5000))[5])) == PATH_MAX


def test_a_full_buffer_drops_the_oldest_and_counts_them() -> None:
    buffer = RequestLog(capacity=3, batch=2)
    for n in range(5):
        buffer.record(_row(n))
    assert [row[-1] for row in buffer.rows] == ["req2", "req3", "req4"]
    assert buffer.overflowed == 2
    assert buffer.wake.is_set()  # past `batch` rows the writer is woken before its second


def test_the_writer_is_not_woken_below_a_batch() -> None:
    buffer = RequestLog(capacity=10, batch=5)
    for n in range(5):
        buffer.record(_row(n))
    assert not buffer.wake.is_set()
    buffer.record(_row(5))
    assert buffer.wake.is_set()


async def test_flush_writes_everything_in_batches_and_reports_the_overflow() -> None:
    buffer, pool = RequestLog(capacity=5, batch=1_000), FakePool()
    writer = _writer(buffer, pool, max_batch=2)
    for n in range(7):
        buffer.record(_row(n))
    assert await writer.flush() == 5
    assert [len(b) for b in pool.batches] == [2, 2, 1]
    assert [r[-1] for b in pool.batches for r in b] == [f"req{n}" for n in range(2, 7)]
    assert _counter(writer, "overflow") == 2 and buffer.overflowed == 0


async def test_a_refused_batch_is_dropped_and_counted_not_kept_or_raised() -> None:
    buffer, pool = RequestLog(), FakePool()
    writer = _writer(buffer, pool)
    pool.failing = True
    for n in range(3):
        buffer.record(_row(n))
    assert await writer.flush() == 0
    assert not buffer.rows and _counter(writer, "write_failed") == 3
    pool.failing = False
    buffer.record(_row(9))
    assert await writer.flush() == 1


async def test_close_writes_what_the_last_requests_left() -> None:
    buffer, pool = RequestLog(), FakePool()
    writer = _writer(buffer, pool)
    task = asyncio.create_task(writer.run())
    await asyncio.sleep(0)
    buffer.record(_row(1))
    await writer.close(task)
    assert task.done()
    assert [r[-1] for b in pool.batches for r in b] == ["req1"]


@pytest.mark.parametrize("requests", [0, 1, 5, 999, 1000])
def test_usage_counts_the_requests_just_admitted(requests: int) -> None:
    now = 1_900_000_000 * SECOND
    usage = usage_from_state(
        tat_us=now + requests * INTERVAL if requests else None,
        stored_interval_us=INTERVAL,
        now_us=now,
        limit=PROFESSIONAL,
    )
    assert (usage.used, usage.remaining) == (requests, PROFESSIONAL - requests)
    assert usage.resets_at == (now + requests * INTERVAL) / SECOND


def test_usage_runs_down_one_request_per_interval() -> None:
    now = 1_900_000_000 * SECOND
    tat = now + 10 * INTERVAL
    later = usage_from_state(
        tat_us=tat, stored_interval_us=INTERVAL, now_us=now + INTERVAL // 2, limit=PROFESSIONAL
    )
    assert later.used == 10  # half an interval on, the tenth request still counts
    later = usage_from_state(
        tat_us=tat, stored_interval_us=INTERVAL, now_us=now + 3 * INTERVAL, limit=PROFESSIONAL
    )
    assert later.used == 7
    past = usage_from_state(
        tat_us=tat, stored_interval_us=INTERVAL, now_us=tat + SECOND, limit=PROFESSIONAL
    )
    assert (past.used, past.resets_at) == (0, (tat + SECOND) / SECOND)


def test_usage_after_a_plan_change_is_rescaled_and_clamped_as_the_limiter_does() -> None:
    now = 1_900_000_000 * SECOND
    enterprise = WINDOW_SECONDS * SECOND // 10_000
    # A whole enterprise hour used: the professional window is full, and no more than full.
    usage = usage_from_state(
        tat_us=now + 10_000 * enterprise,
        stored_interval_us=enterprise,
        now_us=now,
        limit=PROFESSIONAL,
    )
    assert (usage.used, usage.remaining) == (PROFESSIONAL, 0)
    assert usage.resets_at == now / SECOND + WINDOW_SECONDS
    # What was used stays used: 500 requests counted under enterprise are 500 under
    # professional (the debt is rescaled by the ratio of the intervals).
    usage = usage_from_state(
        tat_us=now + 500 * enterprise, stored_interval_us=enterprise, now_us=now, limit=1_000
    )
    assert (usage.used, usage.remaining) == (500, 500)
