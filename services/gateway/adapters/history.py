"""The queries behind the dashboard's members, plan and security pages: read-only, one
statement each."""

from datetime import datetime

import asyncpg

from services.gateway.domain import events as ev
from services.gateway.domain.history import LEFT_OUT, Entry, actor_of, summary

# The predicate of the partial index `events_security_history` (migration 0006), written
# the same way so the planner matches it: one index range per page, newest first.
_SECURITY = f"""
SELECT e.id, e.position, e.occurred_at, e.type, e.mode, e.stream_id, e.data, e.metadata,
       actor.email AS actor_email,
       CASE WHEN e.type = '{ev.MEMBER_ROLE_CHANGED}' THEN
           (SELECT p.data->>'role' FROM events p
            WHERE p.stream_id = e.stream_id AND p.version = e.version - 1)
       END AS previous_role
FROM events e
LEFT JOIN members actor ON actor.id = e.metadata->>'actor'
WHERE e.organization_id = $1
  AND split_part(e.type, '.', 1) IN ('api_key', 'member')
  AND e.type <> '{LEFT_OUT[0]}'
  AND e.position < CASE WHEN $4::text IS NULL THEN $2
                        ELSE (SELECT c.position FROM events c
                              WHERE c.id = $4 AND c.organization_id = $1) END
ORDER BY e.position DESC
LIMIT $3
"""
_NEWEST = 2**63 - 1


async def security(
    conn: asyncpg.Connection, *, org_id: str, before: int | str | None, limit: int
) -> list[Entry]:
    """`before`: an event's position, or its id (an id of another organization or none
    at all finds nothing, so a page never starts over at the top)."""
    position = before if isinstance(before, int) else None
    event_id = before if isinstance(before, str) else None
    rows = await conn.fetch(_SECURITY, org_id, position or _NEWEST, limit, event_id)
    return [
        Entry(
            id=row["id"],
            position=row["position"],
            at=row["occurred_at"],
            type=row["type"],
            actor_id=actor_of(row["metadata"]),
            actor_email=row["actor_email"],
            mode=row["mode"],
            subject_id=row["stream_id"],
            summary=summary(row["type"], row["data"], previous_role=row["previous_role"]),
        )
        for row in rows
    ]


async def joined_at(conn: asyncpg.Connection, *, org_id: str) -> dict[str, datetime]:
    """When each member of the organization joined (their `member.joined` event): the
    member's state keeps no such time, its stream does."""
    # Each member's own stream, found by its (stream_id, version) index: a few rows each.
    rows = await conn.fetch(
        "SELECT m.id, j.occurred_at FROM members m"
        " JOIN events j ON j.stream_id = m.id AND j.type = $2"
        " WHERE m.organization_id = $1",
        org_id,
        ev.MEMBER_JOINED,
    )
    return {row["id"]: row["occurred_at"] for row in rows}


async def organization(conn: asyncpg.Connection, *, org_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT id, name, plan FROM organizations WHERE id = $1", org_id)
