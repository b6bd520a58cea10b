"""The gateway's own retention: dashboard sessions past their absolute timeout are over
whatever else happened to them (signed out, revoked, idle), so they are deleted; the
tables every service has are purged beside them (libs/common/retention.py)."""

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


def purges(settings: Settings) -> list[Purge]:
    keep = timedelta(seconds=settings.session_absolute_timeout)
    return [Purge("member_sessions", keep, _sessions)]
