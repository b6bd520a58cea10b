"""An organization's API traffic, as the dashboard reads it: the request log, page by page,
and usage (this hour's count against the plan's limit, and requests per hour over 24 h).
Any member may read both; the organization and the mode are the caller's, never a filter."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import asyncpg

from libs.common.clock import rfc3339, utcnow
from libs.common.errors import ValidationFailed
from libs.common.listing import Where
from services.gateway.adapters.ratelimit import RateLimiter
from services.gateway.domain.access import HOURLY_LIMITS, Plan
from services.gateway.domain.model import UnknownResource

StatusClass = Literal["2xx", "3xx", "4xx", "5xx"]
# `<microseconds since the epoch>.<id>`: the last row's place in (at, id) order, so a page
# is found by the index whatever was written or purged meanwhile.
_CURSOR = re.compile(r"^(\d{1,18})\.(\d{1,19})$")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)
HOURS = 24


@dataclass(frozen=True)
class RequestFilter:
    organization_id: str
    mode: str
    status: StatusClass | None = None
    path: str | None = None  # a prefix of the path
    limit: int = 50
    before: str | None = None  # a cursor from the previous page


def cursor(at: datetime, row_id: int) -> str:
    return f"{(at - _EPOCH) // _MICRO}.{row_id}"


def _place(value: str) -> tuple[datetime, int]:
    match = _CURSOR.match(value)
    if match is None:
        raise ValidationFailed(
            "before must be the nextCursor of a previous page.", field="before", expected="cursor"
        )
    return _EPOCH + int(match.group(1)) * _MICRO, int(match.group(2))


def _prefix(path: str) -> str:
    """LIKE's wildcards in the prefix are taken literally."""
    return path.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def public(row: asyncpg.Record) -> dict[str, Any]:
    return {
        "id": str(row["id"]),
        "at": rfc3339(row["at"]),
        "method": row["method"],
        "path": row["path"],
        "status": row["status"],
        "durationMs": round(row["duration_ms"], 1),
        "keyId": row["key_id"],
        "requestId": row["request_id"],
    }


async def list_requests(
    pool: asyncpg.Pool, query: RequestFilter
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Newest first, keyset on (at, id): any page costs one index range."""
    where = Where(("organization_id = {}", query.organization_id), ("mode = {}", query.mode))
    if query.status is not None:
        where.add("status_class = {}", int(query.status[0]))
    if query.path:
        where.add("path LIKE {}", _prefix(query.path))
    if query.before is not None:
        # A row comparison, so the index on (…, at DESC, id DESC) gives the page in order.
        where.params.extend(_place(query.before))
        n = len(where.params)
        where.clauses.append(f"(at, id) < (${n - 1}, ${n})")
    rows = await pool.fetch(
        "SELECT id, at, method, path, status, duration_ms, key_id, request_id"
        f" FROM request_log WHERE {where.sql()}"
        f" ORDER BY at DESC, id DESC LIMIT {query.limit + 1}",
        *where.params,
    )
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    last = rows[-1] if more else None
    return [public(r) for r in rows], {
        "hasMore": more,
        "nextCursor": cursor(last["at"], last["id"]) if last is not None else None,
    }


async def usage(
    pool: asyncpg.Pool, limiter: RateLimiter, *, organization_id: str, mode: str
) -> dict[str, Any]:
    plan_name = await pool.fetchval("SELECT plan FROM organizations WHERE id = $1", organization_id)
    if plan_name is None:
        raise UnknownResource(f"No organization {organization_id}.", field="organization")
    plan = Plan(plan_name)
    limit = HOURLY_LIMITS.get(plan)
    answer: dict[str, Any] = {
        "plan": plan.value,
        "limit": limit,
        "used": 0,
        "remaining": None,
        "resetsAt": None,
    }
    if limit is not None:
        window = await limiter.usage(organization_id=organization_id, mode=mode, limit=limit)
        answer |= {
            "used": window.used,
            "remaining": window.remaining,
            "resetsAt": rfc3339(datetime.fromtimestamp(round(window.resets_at), UTC)),
        }
    answer["hours"] = await hours(pool, organization_id=organization_id, mode=mode)
    return answer


async def hours(
    pool: asyncpg.Pool, *, organization_id: str, mode: str, now: datetime | None = None
) -> list[dict[str, Any]]:
    """The current hour and the 23 before it, oldest first, an entry for each (0 when
    quiet): one GROUP BY over the recent index. Retention keeps at least 24 h, so every
    hour shown is whole."""
    current = (now or utcnow()).astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    first = current - timedelta(hours=HOURS - 1)
    rows = await pool.fetch(
        "SELECT date_trunc('hour', at, 'UTC') AS hour, count(*) AS requests,"
        " count(*) FILTER (WHERE status >= 400) AS errors"
        " FROM request_log WHERE organization_id = $1 AND mode = $2 AND at >= $3"
        " GROUP BY 1",
        organization_id,
        mode,
        first,
    )
    counted = {r["hour"]: (r["requests"], r["errors"]) for r in rows}
    series = []
    for n in range(HOURS):
        hour = first + timedelta(hours=n)
        requests, errors = counted.get(hour, (0, 0))
        series.append({"hour": rfc3339(hour), "requests": requests, "errors": errors})
    return series
