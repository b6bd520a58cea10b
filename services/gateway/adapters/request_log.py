"""The request log, recorded off the request path (issue 14: the gateway's throughput may
drop by at most 5 %, bench/request_log.py).

On the request path a request costs one `deque.append` of a tuple (`RequestLog.record`,
called from the gatekeeper once the principal is known). A background task takes the
buffer every second, or as soon as 1,000 rows wait, and writes it with one COPY
(`copy_records_to_table`: one round trip for the batch, no statement per row). Everything
that costs more than the append happens there: the wall-clock time as a datetime, the query
string cut off the path, the milliseconds.

The API never waits for the log and never fails because of it: the buffer is bounded (when
it is full the oldest rows go, counted by `stacknex_gateway_request_log_dropped{reason=
"overflow"}`), and a batch PostgreSQL refuses is dropped with a warning and counted too
(`reason="write_failed"`), not retried: a database that is down would otherwise fill
memory, and a log row is worth less than the request it describes."""

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import asyncpg
from aiohttp import web

from libs.common.background import running
from libs.common.logging import get_logger
from libs.common.web import POOL
from services.gateway.adapters.metrics import GATEWAY_METRICS, GatewayMetrics
from services.gateway.settings import GATEWAY_SETTINGS

log = get_logger(__name__)

# What the request path appends: (time.time() at the end, seconds taken, organization id,
# mode, key id, method, raw path with its query, status, request id).
Row = tuple[float, float, str, str, str, str, str, int, str]

COLUMNS = (
    "at",
    "organization_id",
    "mode",
    "key_id",
    "method",
    "path",
    "status",
    "duration_ms",
    "request_id",
)
# A path longer than this is cut: aiohttp admits 8 KiB request lines, and a log row is for
# a person to read, not to replay.
PATH_MAX = 1024
METHOD_MAX = 16


class RequestLog:
    """The buffer between the request path and the writer."""

    def __init__(self, *, capacity: int = 50_000, batch: int = 1_000) -> None:
        self.rows: deque[Row] = deque(maxlen=capacity)
        self.capacity = capacity
        # Never above the capacity: `record` looks for a full deque only past `batch` rows.
        self.batch = min(batch, capacity)
        self.overflowed = 0  # rows the full deque pushed out, not yet counted in the metric
        self.wake = asyncio.Event()

    def record(self, row: Row) -> None:
        """The request path's whole cost: a length check and an append."""
        rows = self.rows
        if len(rows) >= self.batch:
            if len(rows) == self.capacity:
                self.overflowed += 1  # the append below pushes the oldest row out
            self.wake.set()
        rows.append(row)

    def take(self, limit: int) -> list[Row]:
        rows = self.rows
        return [rows.popleft() for _ in range(min(limit, len(rows)))]


def to_record(row: Row) -> tuple[object, ...]:
    ended, seconds, org, mode, key_id, method, raw_path, status, request_id = row
    seconds = max(seconds, 0.0)
    path = raw_path.partition("?")[0][:PATH_MAX]  # never the query string: it may hold data
    at = datetime.fromtimestamp(ended - seconds, UTC)
    return (at, org, mode, key_id, method[:METHOD_MAX], path, status, seconds * 1000, request_id)


class RequestLogWriter:
    """Takes the buffer and writes it; `run` until `close`, which writes what is left."""

    def __init__(
        self,
        buffer: RequestLog,
        *,
        pool: asyncpg.Pool,
        schema: str,
        metrics: GatewayMetrics,
        interval: float = 1.0,
        max_batch: int = 10_000,
    ) -> None:
        self.buffer = buffer
        self.pool = pool
        self.schema = schema
        self.metrics = metrics
        self.interval = interval
        self.max_batch = max_batch
        self._closing = False

    async def flush(self) -> int:
        """Writes everything buffered now, `max_batch` rows per COPY; returns rows written."""
        self._count_overflow()
        written = 0
        while self.buffer.rows:
            batch = self.buffer.take(self.max_batch)
            try:
                await self.pool.copy_records_to_table(
                    "request_log",
                    records=[to_record(row) for row in batch],
                    columns=COLUMNS,
                    schema_name=self.schema,
                    timeout=10,
                )
            except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, TimeoutError) as exc:
                self.metrics.request_log_dropped.labels("write_failed").inc(len(batch))
                log.warning("request_log.write_failed", rows=len(batch), error=repr(exc))
                continue
            written += len(batch)
            self.metrics.request_log_written.inc(len(batch))
        return written

    def _count_overflow(self) -> None:
        overflowed, self.buffer.overflowed = self.buffer.overflowed, 0
        if overflowed:
            self.metrics.request_log_dropped.labels("overflow").inc(overflowed)
            log.warning("request_log.overflow", dropped=overflowed)

    async def run(self) -> None:
        wake = self.buffer.wake
        while not self._closing:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), self.interval)
            wake.clear()
            try:
                await self.flush()
            except Exception:  # nothing awaits this task: a failure must not end it unseen
                log.exception("request_log.flush_failed")

    async def close(self, task: "asyncio.Task[None]") -> None:
        """Lets `task` (this `run`) end after the batch it is writing, rather than cancel
        it mid-COPY, then writes what the last requests left."""
        self._closing = True
        self.buffer.wake.set()
        # 15 s: beyond the COPY's own 10 s timeout, so the batch in flight ends either way.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(task), 15)
        await self.flush()


REQUEST_LOG = web.AppKey("request_log", RequestLog)


async def request_log_ctx(app: web.Application) -> AsyncIterator[None]:
    """After `postgres_ctx`: its teardown runs first, once the server has stopped taking
    requests, so the final flush has the pool and sees every request's row."""
    settings = app[GATEWAY_SETTINGS]
    if not settings.request_log_enabled:  # the bench's off switch: nothing is recorded
        yield
        return
    buffer = RequestLog(capacity=settings.request_log_buffer)
    app[REQUEST_LOG] = buffer
    writer = RequestLogWriter(
        buffer, pool=app[POOL], schema=settings.db_schema, metrics=app[GATEWAY_METRICS]
    )
    async with running(writer.run(), name="request_log") as task:
        yield
        await writer.close(task)
