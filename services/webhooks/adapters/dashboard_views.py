"""What the dashboard reads that the public API does not answer: each endpoint's health, the
endpoints an event went to, and the security history of the organization's endpoints."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from libs.common.clock import rfc3339
from services.webhooks.domain import actions


def _at(value: datetime | None) -> str | None:
    return rfc3339(value) if value is not None else None


# A success as the worker judges one (adapters/sender.py Result.ok): a 2xx that finished.
_OK = "(a.http_status BETWEEN 200 AND 299 AND a.error IS NULL)"

# Two index probes per endpoint on delivery_attempts_by_endpoint (migration 0007): its
# newest attempt, and a range scan of its last 24 hours. Nothing scales with the history
# of other endpoints or organizations.
_HEALTH = (
    "SELECT e.id AS endpoint_id, last.started_at AS last_attempt_at,"
    " last.http_status AS last_status, last.ok AS last_ok, last.error AS last_error,"
    " day.attempts, day.succeeded"
    " FROM endpoints e"
    " LEFT JOIN LATERAL (SELECT a.started_at, a.http_status, a.error, " + _OK + " AS ok"
    "  FROM delivery_attempts a WHERE a.endpoint_id = e.id"
    "  ORDER BY a.started_at DESC LIMIT 1) last ON true"
    " CROSS JOIN LATERAL (SELECT count(*) AS attempts,"
    "  count(*) FILTER (WHERE " + _OK + ") AS succeeded"
    "  FROM delivery_attempts a WHERE a.endpoint_id = e.id"
    "  AND a.started_at > now() - interval '24 hours') day"
    " WHERE e.organization_id = $1 AND e.mode = $2 AND e.deleted_at IS NULL"
    " ORDER BY e.id DESC LIMIT $3"
)
# An organization's endpoints in one mode, well beyond what anyone registers (Stripe allows
# 16 per account): the bound keeps one answer's cost fixed.
HEALTH_LIMIT = 500


async def health(pool: asyncpg.Pool, *, organization_id: str, mode: str) -> list[dict[str, Any]]:
    rows = await pool.fetch(_HEALTH, organization_id, mode, HEALTH_LIMIT)
    return [
        {
            "endpointId": r["endpoint_id"],
            "lastAttemptAt": _at(r["last_attempt_at"]),
            "lastStatus": r["last_status"],
            "lastOk": r["last_ok"],
            "lastError": r["last_error"],
            "attempts24h": r["attempts"],
            "succeeded24h": r["succeeded"],
            "successRate24h": r["succeeded"] / r["attempts"] if r["attempts"] else None,
        }
        for r in rows
    ]


async def event_deliveries(
    pool: asyncpg.Pool, *, organization_id: str, mode: str, event_id: str
) -> list[dict[str, Any]] | None:
    """The event's deliveries, oldest first; None when the event is not the caller's."""
    async with pool.acquire() as conn:
        known = await conn.fetchval(
            "SELECT true FROM event_log WHERE id = $1 AND organization_id = $2 AND mode = $3",
            event_id,
            organization_id,
            mode,
        )
        if not known:
            return None
        # Index deliveries_by_event.
        rows = await conn.fetch(
            "SELECT d.id, d.endpoint_id, e.url, d.status, d.attempts, d.last_status,"
            " d.created_at FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id"
            " WHERE d.event_id = $1 AND d.organization_id = $2 AND d.mode = $3 ORDER BY d.id",
            event_id,
            organization_id,
            mode,
        )
    return [
        {
            "deliveryId": r["id"],
            "endpointId": r["endpoint_id"],
            "url": r["url"],
            "status": r["status"],
            "attempts": r["attempts"],
            "lastStatus": r["last_status"],
            "createdAt": _at(r["created_at"]),
        }
        for r in rows
    ]


@dataclass(frozen=True)
class SecurityPage:
    entries: list[dict[str, Any]]
    has_more: bool


# The partial index events_endpoint_history (migration 0007) answers this in append order
# (ids sort only to the millisecond: two actions in one would come in either order); the
# predicate is spelled as in the index, so the planner can use it. The cursor is an entry's
# id, whose position the unique index on `id` gives.
_SECURITY = (
    "SELECT id, occurred_at, type, metadata, mode, stream_id, data FROM events"
    " WHERE organization_id = $1 AND type LIKE 'webhook_endpoint.%'"
)


async def security(
    pool: asyncpg.Pool, *, organization_id: str, limit: int, before: str | None
) -> SecurityPage:
    """Every recorded action on the organization's endpoints, both modes, newest first."""
    if before is None:
        rows = await pool.fetch(
            _SECURITY + " ORDER BY position DESC LIMIT $2", organization_id, limit + 1
        )
    else:
        rows = await pool.fetch(
            _SECURITY + " AND position < (SELECT position FROM events WHERE id = $3)"
            " ORDER BY position DESC LIMIT $2",
            organization_id,
            limit + 1,
            before,
        )
    entries = [
        {
            "id": r["id"],
            "at": _at(r["occurred_at"]),
            "type": r["type"],
            # Events from before actors were recorded name none.
            "actor": (r["metadata"] or {}).get("actor"),
            "mode": r["mode"],
            "subjectId": r["data"].get("endpointId") or r["data"].get("id") or r["stream_id"],
            "summary": actions.summary(r["type"], r["data"], r["metadata"] or {}),
        }
        for r in rows[:limit]
    ]
    return SecurityPage(entries=entries, has_more=len(rows) > limit)
