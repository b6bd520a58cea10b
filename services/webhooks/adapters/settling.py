"""Successes are settled in bulk, by the worker's next claim: the statement that leases the
next due deliveries also logs the attempts that succeeded since the last one, marks their
deliveries done and ends their endpoints' failing streaks (`deliveries.claim`). A success
then costs a share of one statement and one commit instead of a statement and a commit of
its own, and its place under its endpoint's cap goes to the next delivery in the same round
trip (`bench/README.md`, benchmark 3: one statement per success was a quarter of the
worker, and 10,000 commits a run).

Nothing waits for a batch to fill: the claim loop runs as soon as an attempt ends, so a
success waits at most for the statement under way and its own. An attempt's slot is given
back only once its record has committed, so the caps count exactly what they did."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import asyncpg

from services.webhooks.adapters.sender import Result

if TYPE_CHECKING:
    from services.webhooks.adapters.deliveries import Due

# Successes per statement: a full worker has 100 attempts in flight, so a round rarely has
# more; the bound keeps one statement's arrays (4 KB excerpts each) to about 400 KB.
BATCH_LIMIT = 100


@dataclass(frozen=True)
class Success:
    due: Due
    result: Result
    started: datetime


def settled_ctes(*, first: int) -> str:
    """The CTEs that settle successes, their seven arrays as `$first` onwards
    (`settled_args`): the attempts logged, the deliveries done, and the endpoints' health
    written only where it changes something (a failing streak ends, or the last success on
    record is a minute old: every success rewriting one row serialised an endpoint).
    Health rows are locked in endpoint order, so two workers' statements sharing endpoints
    cannot deadlock; the deliveries of two statements never overlap (a delivery is leased
    to one attempt at a time)."""
    ids, attempts, started, duration, status, body, endpoints = (
        f"${n}" for n in range(first, first + 7)
    )
    return (
        f" settled_rows AS (SELECT * FROM unnest({ids}::text[], {attempts}::int[],"
        f"  {started}::timestamptz[], {duration}::int[], {status}::int[], {body}::text[],"
        f"  {endpoints}::text[]) AS r(delivery_id, attempt, started_at, duration_ms,"
        "  http_status, response_body, endpoint_id)),"
        " settled_attempts AS (INSERT INTO delivery_attempts (delivery_id, attempt,"
        "  started_at, duration_ms, http_status, response_body, error, endpoint_id)"
        "  SELECT delivery_id, attempt, started_at, duration_ms, http_status, response_body,"
        "  NULL, endpoint_id FROM settled_rows ON CONFLICT (delivery_id, attempt) DO NOTHING),"
        " settled AS (UPDATE deliveries d SET status = 'succeeded', lease_until = NULL,"
        "  last_status = r.http_status, last_error = NULL, succeeded_at = now()"
        "  FROM settled_rows r WHERE d.id = r.delivery_id),"
        " settled_health AS (UPDATE endpoint_health h"
        "  SET last_success_at = now(), failing_since = NULL"
        "  FROM (SELECT endpoint_id FROM endpoint_health"
        "   WHERE endpoint_id IN (SELECT endpoint_id FROM settled_rows)"
        "   AND (failing_since IS NOT NULL OR last_success_at IS NULL"
        "   OR last_success_at < now() - interval '1 minute')"
        "   ORDER BY endpoint_id FOR UPDATE) locked WHERE h.endpoint_id = locked.endpoint_id)"
    )


def settled_args(successes: Sequence[Success]) -> list[list[object]]:
    return [
        [s.due.id for s in successes],
        [s.due.attempts for s in successes],
        [s.started for s in successes],
        [s.result.duration_ms for s in successes],
        [s.result.status for s in successes],
        [s.result.body for s in successes],
        [s.due.endpoint_id for s in successes],
    ]


_SUCCEEDED = "WITH" + settled_ctes(first=1) + " SELECT count(*) FROM settled_rows"


async def succeeded(pool: asyncpg.Pool, successes: Sequence[Success]) -> None:
    """Settles successes without claiming (its own statement and transaction): when the
    claim that carried them failed for something else than the database being away."""
    await pool.execute(_SUCCEEDED, *settled_args(successes))


Waiting = tuple[Success, "asyncio.Future[None]"]


class Queue:
    """The worker's successes waiting for its next claim, each with the future its attempt
    awaits: resolved once the success is committed, or failed with what its write raised."""

    def __init__(self) -> None:
        self._waiting: list[Waiting] = []

    def add(self, success: Success) -> asyncio.Future[None]:
        done = asyncio.get_running_loop().create_future()
        self._waiting.append((success, done))
        return done

    def take(self) -> list[Waiting]:
        taken = self._waiting[:BATCH_LIMIT]
        del self._waiting[:BATCH_LIMIT]
        return taken

    def put_back(self, taken: list[Waiting]) -> None:
        self._waiting[:0] = taken

    def __len__(self) -> int:
        return len(self._waiting)

    async def settle_alone(self, pool: asyncpg.Pool, taken: list[Waiting]) -> None:
        """Each in its own statement: when the claim that carried them failed for something
        other than the database being away, or at shutdown."""
        for n, (success, done) in enumerate(taken):
            try:
                await succeeded(pool, [success])
            except asyncio.CancelledError:
                self.put_back(taken[n:])
                raise
            except Exception as exc:
                resolve([(success, done)], exc)
            else:
                resolve([(success, done)], None)


def resolve(taken: list[Waiting], error: BaseException | None) -> None:
    for _, done in taken:
        if done.done():  # its attempt was cancelled meanwhile
            continue
        if error is None:
            done.set_result(None)
        else:
            done.set_exception(error)
