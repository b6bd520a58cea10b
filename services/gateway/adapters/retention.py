"""The gateway's own retention: dashboard sessions past their absolute timeout are over
whatever else happened to them (signed out, revoked, idle), so they are deleted; the
request log keeps at least the last 24 h and at least the newest 10,000 rows of each
organization and mode; the tables every service has are purged beside them
(libs/common/retention.py)."""

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

import asyncpg

from libs.common.retention import Cursor, Purge
from services.gateway.settings import Settings


async def _sessions(
    conn: asyncpg.Connection, limit: int, cutoff: datetime, cursor: Cursor
) -> tuple[int, Cursor]:
    # Oldest first by the age index; the token hash is not time-ordered, so there is no id
    # to go on from: each batch starts again at the oldest left, until a short one.
    deleted: int = await conn.fetchval(
        "WITH gone AS (DELETE FROM member_sessions WHERE token_hash IN ("
        " SELECT token_hash FROM member_sessions WHERE created_at < $2"
        " ORDER BY created_at LIMIT $1) RETURNING 1) SELECT count(*) FROM gone",
        limit,
        cutoff,
    )
    return deleted, "more" if deleted == limit else None


# Organizations and modes with nothing to delete that one batch may pass over before it
# returns: each costs two probes of an index, so a batch stays a few milliseconds.
_GROUPS_PER_BATCH = 200

Batch = Callable[[asyncpg.Connection, int, datetime, Cursor], Awaitable[tuple[int, Cursor]]]


def request_log_batch(keep_rows: int) -> Batch:
    """One organization and mode at a time, in (organization_id, mode) order; the cursor is
    the group being purged. A row goes when it is older than the cutoff AND older than the
    group's `keep_rows`-th newest row (the boundary, one index probe at that offset), so
    both promises hold: every row of the last 24 h stays, and so do the newest 10,000."""

    async def batch(
        conn: asyncpg.Connection, limit: int, cutoff: datetime, cursor: Cursor
    ) -> tuple[int, Cursor]:
        group, same = cursor or (("", ""), False)
        for _ in range(_GROUPS_PER_BATCH):
            if not same:
                found = await conn.fetchrow(
                    "SELECT organization_id, mode FROM request_log"
                    " WHERE (organization_id, mode) > ($1, $2)"
                    " ORDER BY organization_id, mode LIMIT 1",
                    *group,
                )
                if found is None:
                    return 0, None
                group = (found["organization_id"], found["mode"])
            deleted: int = await conn.fetchval(
                "WITH boundary AS (SELECT at, id FROM request_log"
                "  WHERE organization_id = $1 AND mode = $2"
                "  ORDER BY at DESC, id DESC OFFSET $4 LIMIT 1),"
                " gone AS (DELETE FROM request_log WHERE ctid = ANY (ARRAY("
                "  SELECT r.ctid FROM request_log r, boundary b"
                "  WHERE r.organization_id = $1 AND r.mode = $2 AND r.at < $3"
                "  AND (r.at, r.id) < (b.at, b.id) ORDER BY r.at, r.id LIMIT $5))"
                "  RETURNING 1) SELECT count(*) FROM gone",
                *group,
                cutoff,
                keep_rows - 1,
                limit,
            )
            if deleted == limit:
                return deleted, (group, True)  # more of this group next batch
            same = False
            if deleted:
                return deleted, (group, False)
        return 0, (group, False)

    return batch


def purges(settings: Settings) -> list[Purge]:
    keep = timedelta(seconds=settings.session_absolute_timeout)
    return [
        Purge("member_sessions", keep, _sessions),
        Purge(
            "request_log",
            timedelta(seconds=settings.request_log_keep_seconds),
            request_log_batch(settings.request_log_keep_rows),
        ),
    ]
