"""The delivery queue in PostgreSQL: enqueue in the consumer's transaction, claim with a
lease so any number of workers share the work, record each attempt and its outcome."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import asyncpg

from libs.common.clock import utcnow
from libs.common.events import Event
from libs.common.ids import new_id
from services.webhooks.adapters import settling
from services.webhooks.adapters.sender import Result

WAKE_CHANNEL = "stacknex_deliveries"


@dataclass(frozen=True)
class Due:
    id: str
    endpoint_id: str
    event_id: str
    event_type: str
    attempts: int  # including the one about to be made
    event_at: datetime
    payload: bytes
    url: str
    secret: str
    previous_secret: str | None
    previous_expires_at: datetime | None
    enabled: bool
    deleted: bool


async def enqueue(
    conn: asyncpg.Connection,
    *,
    event_id: str,
    event_type: str,
    organization_id: str,
    mode: str,
    event_at: datetime,
    endpoint_ids: list[str],
) -> list[str]:
    if not endpoint_ids:
        return []
    # One statement for every endpoint, and the workers' wake-up (delivered at commit) with
    # it: it was a round trip per endpoint and one more for the notify.
    rows = await conn.fetch(
        "WITH added AS (INSERT INTO deliveries (id, endpoint_id, event_id, event_type,"
        "  organization_id, mode, status, next_attempt_at, created_at, event_at)"
        "  SELECT d.id, d.endpoint_id, $3, $4, $5, $6, 'pending', now(), now(), $7"
        "  FROM unnest($1::text[], $2::text[]) AS d(id, endpoint_id)"
        "  ON CONFLICT (endpoint_id, event_id) DO NOTHING RETURNING id)"
        " SELECT id, (SELECT pg_notify($8, '')) IS NOT NULL AS woken FROM added",
        [new_id("del") for _ in endpoint_ids],
        endpoint_ids,
        event_id,
        event_type,
        organization_id,
        mode,
        event_at,
        WAKE_CHANNEL,
    )
    return [row["id"] for row in rows]


async def enqueue_many(conn: asyncpg.Connection, *, pairs: list[tuple[Event, str]]) -> list[str]:
    """`enqueue` for a batch of events: one delivery per (event, endpoint id), in order; the
    ids of those added (not there already)."""
    if not pairs:
        return []
    rows = await conn.fetch(
        "WITH added AS (INSERT INTO deliveries (id, endpoint_id, event_id, event_type,"
        "  organization_id, mode, status, next_attempt_at, created_at, event_at)"
        "  SELECT d.id, d.endpoint_id, d.event_id, d.event_type, d.org, d.mode, 'pending',"
        "  now(), now(), d.at FROM unnest($1::text[], $2::text[], $3::text[], $4::text[],"
        "  $5::text[], $6::text[], $7::timestamptz[]) AS d(id, endpoint_id, event_id,"
        "  event_type, org, mode, at)"
        "  ON CONFLICT (endpoint_id, event_id) DO NOTHING RETURNING id)"
        " SELECT id, (SELECT pg_notify($8, '')) IS NOT NULL AS woken FROM added",
        [new_id("del") for _ in pairs],
        [endpoint_id for _, endpoint_id in pairs],
        [event.id for event, _ in pairs],
        [event.event for event, _ in pairs],
        [event.organization_id for event, _ in pairs],
        [event.mode or "live" for event, _ in pairs],
        [event.timestamp for event, _ in pairs],
        WAKE_CHANNEL,
    )
    return [row["id"] for row in rows]


# What the fair pass picked but cannot send (its event or its endpoint row is gone, e.g. a
# row left by an earlier release's event-log purge) is ended there, as failed with the
# reason: left pending, it was picked by every claim and never leased, so it held a place in
# the oldest-first window and under its endpoint's cap for good. Such rows make `claim` come
# back short, which is when the worker runs the fair pass, and being the oldest due of their
# endpoint they are what it picks first. Only there: in `claim` the check cost 18 % of each
# claim (median 29.0 ms against 24.6 ms for 100 of 20k pending), for rows that are rare; in
# the fair pass, which runs five times a second at most, 10 % (48.9 ms against 44.6). The
# rows it ends and those `_LEASE` leases are disjoint (one needs the join to fail, the other
# to match).
_END_UNSENDABLE = (
    ", unsendable AS (UPDATE deliveries u SET status = 'failed', lease_until = NULL,"
    " last_error = CASE WHEN NOT EXISTS (SELECT 1 FROM endpoints e WHERE e.id = u.endpoint_id)"
    "  THEN 'the endpoint no longer exists'"
    "  ELSE 'the event is no longer in the event log (past its retention)' END"
    " WHERE u.id IN (SELECT id FROM picked) AND u.status = 'pending'"
    " AND (u.lease_until IS NULL OR u.lease_until < now())"
    " AND (NOT EXISTS (SELECT 1 FROM event_log l WHERE l.id = u.event_id)"
    "  OR NOT EXISTS (SELECT 1 FROM endpoints e WHERE e.id = u.endpoint_id)))"
)

# Leases what a claim picked. The lease condition is re-checked under each row's lock
# (PostgreSQL re-evaluates an UPDATE's WHERE on the row's newest version), so a delivery
# another worker leased meanwhile is skipped and never has two attempts in flight.
_LEASE = (
    " UPDATE deliveries d SET lease_until = now() + make_interval(secs => $3),"
    " attempts = attempts + 1 FROM endpoints e, event_log l"
    " WHERE d.id IN (SELECT id FROM picked) AND d.status = 'pending'"
    " AND (d.lease_until IS NULL OR d.lease_until < now())"
    " AND e.id = d.endpoint_id AND l.id = d.event_id"
    " RETURNING d.id, d.endpoint_id, d.event_id, d.event_type, d.attempts, d.event_at,"
    " l.payload, e.url, e.secret, e.previous_secret, e.previous_expires_at, e.enabled,"
    " e.deleted_at IS NOT NULL AS deleted"
)


# In flight per organization (the leased-rows index holds only attempts under way): with
# `$4` the organization's cap, one organization's slow endpoints cannot hold every slot.
# `claim` leaves out the attempts it settles in the same statement (`$5`): they are no
# longer under way, but the statement's snapshot still sees their leases.
def _org_active(settled: str = "") -> str:
    return (
        " org_active AS (SELECT organization_id, count(*) AS n FROM deliveries"
        "  WHERE status = 'pending' AND lease_until IS NOT NULL AND lease_until > now()"
        f"{settled} GROUP BY organization_id),"
    )


_SETTLED = " AND id <> ALL($5::text[])"

# From `capped` (id, organization_id, next_attempt_at), at most `$4` minus what is in flight
# per organization, oldest first, `$1` in all.
_ORG_PICKED = (
    " picked AS (SELECT c.id FROM (SELECT capped.*, row_number() OVER (PARTITION BY"
    "  organization_id ORDER BY next_attempt_at, id) AS org_rank FROM capped) c"
    "  LEFT JOIN org_active USING (organization_id)"
    "  WHERE c.org_rank <= $4 - coalesce(org_active.n, 0) ORDER BY c.next_attempt_at LIMIT $1)"
)

_CLAIM = (
    "WITH "
    + settling.settled_ctes(first=5)
    + ", active AS (SELECT endpoint_id, count(*) AS n FROM deliveries"
    "  WHERE status = 'pending' AND lease_until IS NOT NULL AND lease_until > now()"
    + _SETTLED
    + " GROUP BY endpoint_id),"
    + _org_active(_SETTLED)
    +
    # The oldest due first, read in index order and cut before ranking: ranking every
    # pending row (a sort of the whole queue per claim) capped a worker at ~600/s. What is
    # settled here is leased, so not due (`_SETTLED` here would test every due row against
    # every success). Only a lease that ran out under its attempt could be both settled and
    # leased again; PostgreSQL then applies one of the two updates to the row, and either
    # is safe: done, or sent once more (as any lapsed lease may be).
    " oldest AS (SELECT id, endpoint_id, organization_id, next_attempt_at FROM deliveries"
    "  WHERE status = 'pending' AND next_attempt_at <= now()"
    "  AND (lease_until IS NULL OR lease_until < now()) ORDER BY next_attempt_at"
    "  LIMIT $1 * 4),"
    " due AS (SELECT id, endpoint_id, organization_id, next_attempt_at, row_number() OVER"
    "  (PARTITION BY endpoint_id ORDER BY next_attempt_at, id) AS rank FROM oldest),"
    " capped AS (SELECT due.id, due.organization_id, due.next_attempt_at FROM due"
    "  LEFT JOIN active USING (endpoint_id) WHERE due.rank <= $2 - coalesce(active.n, 0)),"
    + _ORG_PICKED
    + _LEASE
)


async def claim(
    pool: asyncpg.Pool,
    *,
    limit: int,
    lease_seconds: float,
    endpoint_cap: int,
    organization_cap: int,
    settle: Sequence[settling.Success] = (),
) -> list[Due]:
    """Leases due deliveries, at most `endpoint_cap` in flight per endpoint and
    `organization_cap` per organization across workers (two workers claiming at the same
    moment may each take a share: the caps hold to within one claim).

    One statement, so one round trip and no explicit transaction: the candidates are
    chosen and leased together (see `_LEASE`). `settle`: successful attempts recorded by
    the same statement (see `settling.py`), whose places under the caps it hands on at
    once: settling and then claiming was two statements and two commits per round, and a
    finished attempt held its place for both."""
    rows = await pool.fetch(
        _CLAIM,
        limit,
        endpoint_cap,
        lease_seconds,
        organization_cap,
        *settling.settled_args(settle),
    )
    return [Due(**dict(row.items())) for row in rows]


async def claim_fair(
    pool: asyncpg.Pool,
    *,
    limit: int,
    lease_seconds: float,
    endpoint_cap: int,
    organization_cap: int,
) -> list[Due]:
    """Like `claim`, but endpoint by endpoint: each endpoint with a place under its cap gets
    its oldest due deliveries, however many older ones other endpoints have queued. `claim`
    reads the oldest due rows of the whole queue, so one endpoint's backlog (a bulk retry,
    a receiver back after an outage) can fill its window and make every other endpoint
    wait; the worker runs this pass too, a few times a second, when `claim` comes back
    short. Its cost grows with the number of endpoints that have anything queued (two
    index probes each), not with the queue. The organization cap applies as in `claim`."""
    rows = await pool.fetch(
        # A loose index scan: the next endpoint with anything pending, one probe per step.
        "WITH RECURSIVE queued (endpoint_id) AS ("
        "  (SELECT endpoint_id FROM deliveries WHERE status = 'pending'"
        "   ORDER BY endpoint_id LIMIT 1)"
        "  UNION ALL"
        "  SELECT (SELECT d.endpoint_id FROM deliveries d WHERE d.status = 'pending'"
        "   AND d.endpoint_id > q.endpoint_id ORDER BY d.endpoint_id LIMIT 1)"
        "  FROM queued q WHERE q.endpoint_id IS NOT NULL),"
        " capped AS (SELECT pick.id, pick.organization_id, pick.next_attempt_at FROM queued"
        "  CROSS JOIN LATERAL (SELECT count(*) AS n FROM deliveries a"
        "   WHERE a.endpoint_id = queued.endpoint_id AND a.status = 'pending'"
        "   AND a.lease_until IS NOT NULL AND a.lease_until > now()) active"
        "  CROSS JOIN LATERAL (SELECT d.id, d.organization_id, d.next_attempt_at"
        "   FROM deliveries d WHERE d.endpoint_id = queued.endpoint_id AND d.status = 'pending'"
        "   AND d.next_attempt_at <= now() AND (d.lease_until IS NULL OR d.lease_until < now())"
        "   ORDER BY d.next_attempt_at, d.id LIMIT greatest($2 - active.n, 0)) pick"
        "  WHERE queued.endpoint_id IS NOT NULL),"
        + _org_active()
        + _ORG_PICKED
        + _END_UNSENDABLE
        + _LEASE,
        limit,
        endpoint_cap,
        lease_seconds,
        organization_cap,
    )
    return [Due(**dict(row.items())) for row in rows]


# A failure's statement starts with the attempt logged ($1 to $7, `_attempt_args`,
# and the endpoint's id as $8, which the dashboard's health figures read by).
_ATTEMPT_LOGGED = (
    "WITH attempt AS (INSERT INTO delivery_attempts (delivery_id, attempt, started_at,"
    " duration_ms, http_status, response_body, error, endpoint_id)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    " ON CONFLICT (delivery_id, attempt) DO NOTHING)"
)


def _attempt_args(due: Due, result: Result, started: datetime) -> list[object]:
    return [
        due.id,
        due.attempts,
        started,
        result.duration_ms,
        result.status,
        result.body,
        result.error,
    ]


async def record_failure(
    conn: asyncpg.Connection,
    *,
    due: Due,
    result: Result,
    started: datetime,
    status: str,
    next_attempt_at: datetime | None,
) -> None:
    """A failed attempt: the delivery waits for its retry (`pending`) or gave up (`failed`)."""
    await conn.execute(
        _ATTEMPT_LOGGED + " UPDATE deliveries SET status = $9, lease_until = NULL,"
        " last_status = $5, last_error = $7, next_attempt_at = coalesce($10, next_attempt_at)"
        " WHERE id = $1",
        *_attempt_args(due, result, started),
        due.endpoint_id,
        status,
        next_attempt_at,
    )


async def failed(conn: asyncpg.Connection, *, endpoint_id: str) -> datetime:
    """Records a failure for the endpoint; returns since when it has been failing."""
    since: datetime = await conn.fetchval(
        "INSERT INTO endpoint_health (endpoint_id, failing_since) VALUES ($1, now())"
        " ON CONFLICT (endpoint_id) DO UPDATE"
        " SET failing_since = coalesce(endpoint_health.failing_since, now())"
        " RETURNING failing_since",
        endpoint_id,
    )
    return since


@dataclass(frozen=True)
class Requeued:
    ids: list[str]
    # Matched, but left as they were: their event is gone from the event log, so they could
    # never be sent (only rows from before the log's purge kept referenced events).
    expired: list[tuple[str, str]]  # (delivery id, event id)


async def schedule_now(conn: asyncpg.Connection, *, where: str, args: list[object]) -> Requeued:
    """Puts deliveries back in the queue for an attempt right away (retry, recover), except
    those whose event is no longer logged: nothing pending may depend on a missing row."""
    rows = await conn.fetch(
        f"WITH matched AS (SELECT id, event_id, EXISTS (SELECT 1 FROM event_log l"
        f"  WHERE l.id = deliveries.event_id) AS sendable FROM deliveries WHERE {where}),"
        # A live lease stays: the attempt under way settles the delivery, and clearing it
        # would let a second worker send the same delivery at the same time.
        " requeued AS (UPDATE deliveries d SET status = 'pending', next_attempt_at = now(),"
        "  lease_until = CASE WHEN d.status = 'pending' AND d.lease_until > now()"
        "   THEN d.lease_until END"
        "  FROM matched m WHERE d.id = m.id AND m.sendable RETURNING d.id)"
        " SELECT m.id, m.event_id, r.id IS NOT NULL AS requeued"
        " FROM matched m LEFT JOIN requeued r USING (id) ORDER BY m.id",
        *args,
    )
    result = Requeued(
        ids=[r["id"] for r in rows if r["requeued"]],
        expired=[(r["id"], r["event_id"]) for r in rows if not r["requeued"]],
    )
    if result.ids:
        await conn.execute("SELECT pg_notify($1, '')", WAKE_CHANNEL)
    return result


async def pending_stats(pool: asyncpg.Pool) -> tuple[int, float]:
    row = await pool.fetchrow(
        "SELECT count(*) AS n, min(created_at) AS oldest FROM deliveries WHERE status = 'pending'"
    )
    oldest = row["oldest"]
    return row["n"], (utcnow() - oldest).total_seconds() if oldest else 0.0


def later(seconds: float) -> datetime:
    return utcnow() + timedelta(seconds=seconds)
