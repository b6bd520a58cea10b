"""Successes settled together: every attempt that succeeds while the previous write is under
way joins the next one, a single statement for all of them (group commit). A success then
costs a share of one statement and one commit instead of a statement and a commit of its
own: with 50 attempts in flight, one statement per success was a quarter of the worker and
most of what PostgreSQL did (`bench/README.md`, benchmark 3).

Nothing waits for a batch to fill: the first success after a quiet moment is written at
once, alone, and only what arrives during a write waits for the next (at most one
statement's time). An attempt's slot, and its place under its endpoint's cap, are given
back only once its own write has committed, so the caps count exactly what they did."""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from libs.common.logging import get_logger
from libs.common.publisher import TRANSIENT
from services.webhooks.adapters.deliveries import Due
from services.webhooks.adapters.sender import Result

log = get_logger(__name__)

# Rows per statement: a full worker has 100 attempts in flight, so a batch rarely exceeds
# it; the bound keeps one statement's arrays (and its 4 KB excerpts) to about 400 KB.
BATCH_LIMIT = 100

# The attempts logged, the deliveries done, and the endpoints' health written only where it
# changes something (a failing streak ends, or the last success on record is a minute old:
# every success rewriting one row serialised an endpoint). Health rows are locked in
# endpoint order, so two workers' batches sharing endpoints cannot deadlock; the deliveries
# of two batches never overlap (a delivery is leased to one attempt at a time).
_SUCCEEDED = (
    "WITH r AS (SELECT * FROM unnest($1::text[], $2::int[], $3::timestamptz[], $4::int[],"
    "  $5::int[], $6::text[], $7::text[]) AS r(delivery_id, attempt, started_at,"
    "  duration_ms, http_status, response_body, endpoint_id)),"
    " attempt AS (INSERT INTO delivery_attempts (delivery_id, attempt, started_at,"
    "  duration_ms, http_status, response_body, error, endpoint_id)"
    "  SELECT delivery_id, attempt, started_at, duration_ms, http_status, response_body,"
    "  NULL, endpoint_id FROM r ON CONFLICT (delivery_id, attempt) DO NOTHING),"
    " delivery AS (UPDATE deliveries d SET status = 'succeeded', lease_until = NULL,"
    "  last_status = r.http_status, last_error = NULL, succeeded_at = now()"
    "  FROM r WHERE d.id = r.delivery_id),"
    " health AS (SELECT h.endpoint_id FROM endpoint_health h"
    "  WHERE h.endpoint_id IN (SELECT endpoint_id FROM r) AND (h.failing_since IS NOT NULL"
    "  OR h.last_success_at IS NULL OR h.last_success_at < now() - interval '1 minute')"
    "  ORDER BY h.endpoint_id FOR UPDATE)"
    " UPDATE endpoint_health h SET last_success_at = now(), failing_since = NULL"
    " FROM health WHERE h.endpoint_id = health.endpoint_id"
)


@dataclass(frozen=True)
class Success:
    due: Due
    result: Result
    started: datetime


async def succeeded(pool: asyncpg.Pool, successes: list[Success]) -> None:
    """Settles successful attempts in one statement (its own transaction)."""
    await pool.execute(
        _SUCCEEDED,
        [s.due.id for s in successes],
        [s.due.attempts for s in successes],
        [s.started for s in successes],
        [s.result.duration_ms for s in successes],
        [s.result.status for s in successes],
        [s.result.body for s in successes],
        [s.due.endpoint_id for s in successes],
    )


class SuccessBatches:
    """`settle` returns once the success is committed, or raises what its write raised."""

    def __init__(self, pool: Callable[[], asyncpg.Pool]) -> None:
        self._pool = pool
        self._waiting: list[tuple[Success, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def settle(self, success: Success) -> None:
        done = asyncio.get_running_loop().create_future()
        self._waiting.append((success, done))
        if self._writer is None:
            # No long-lived task: the writer runs while there is something to write and
            # ends, so shutdown has nothing to stop and a write never outlives its callers.
            self._writer = asyncio.create_task(self._write_all(), name="webhook-settle")
        await done

    async def _write_all(self) -> None:
        try:
            while self._waiting:
                batch = self._waiting[:BATCH_LIMIT]
                del self._waiting[:BATCH_LIMIT]
                await self._write(batch)
        finally:
            self._writer = None
            # Only if this task itself was cancelled: nobody may wait for ever.
            for _, done in self._waiting:
                if not done.done():
                    done.set_exception(RuntimeError("the settling task ended"))
            self._waiting.clear()

    async def _write(self, batch: list[tuple[Success, asyncio.Future[None]]]) -> None:
        try:
            await succeeded(self._pool(), [s for s, _ in batch])
        except TRANSIENT as exc:
            # The database is away: every one of them is left to its lease (the caller logs).
            _fail(batch, exc)
        except Exception as exc:
            if len(batch) == 1:
                _fail(batch, exc)
                return
            # One row PostgreSQL refuses must not cost the others their answer: each alone,
            # so that only the refused one is stored again without it (`Worker._record`).
            log.warning("webhooks.settle_batch_failed", size=len(batch), error=repr(exc))
            for one in batch:
                await self._write([one])
            return
        except BaseException as exc:  # cancelled mid-write: the callers hear of it
            _fail(batch, exc)
            raise
        for _, done in batch:
            if not done.done():
                done.set_result(None)


def _fail(batch: list[tuple[Success, asyncio.Future[None]]], exc: BaseException) -> None:
    for _, done in batch:
        if not done.done():
            if isinstance(exc, asyncio.CancelledError):
                done.cancel()
            else:
                done.set_exception(exc)
