"""Dashboard sessions in the gateway's schema, found by the SHA-256 of their token."""

from datetime import datetime

import asyncpg


async def insert(
    conn: asyncpg.Connection, *, token_hash: str, member_id: str, org_id: str, now: datetime
) -> None:
    await conn.execute(
        "INSERT INTO member_sessions (token_hash, member_id, organization_id, created_at,"
        " last_seen_at) VALUES ($1, $2, $3, $4, $4)",
        token_hash,
        member_id,
        org_id,
        now,
    )


async def find(conn: asyncpg.Connection, *, token_hash: str) -> asyncpg.Record | None:
    """The live session and its member's current role and status, in one query."""
    return await conn.fetchrow(
        "SELECT s.token_hash, s.member_id, s.organization_id, s.created_at, s.last_seen_at,"
        " m.email, m.role, m.status FROM member_sessions s JOIN members m ON m.id = s.member_id"
        " WHERE s.token_hash = $1 AND s.revoked_at IS NULL",
        token_hash,
    )


async def touch(conn: asyncpg.Connection, *, token_hash: str, now: datetime) -> None:
    await conn.execute(
        "UPDATE member_sessions SET last_seen_at = $2 WHERE token_hash = $1 AND last_seen_at < $2",
        token_hash,
        now,
    )


async def revoke(conn: asyncpg.Connection, *, token_hash: str, now: datetime) -> bool:
    done = await conn.execute(
        "UPDATE member_sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL",
        token_hash,
        now,
    )
    return done != "UPDATE 0"


async def revoke_member(
    conn: asyncpg.Connection, *, member_id: str, now: datetime, keep: str | None = None
) -> int:
    """Ends every live session of the member, but `keep` (a token hash) if given."""
    done = await conn.execute(
        "UPDATE member_sessions SET revoked_at = $2 WHERE member_id = $1 AND revoked_at IS NULL"
        " AND token_hash IS DISTINCT FROM $3",
        member_id,
        now,
        keep,
    )
    return int(done.rsplit(" ", 1)[1])


async def revoke_member_session(
    conn: asyncpg.Connection, *, token_hash: str, member_id: str, now: datetime
) -> bool:
    """One session, only if it is the member's own."""
    done = await conn.execute(
        "UPDATE member_sessions SET revoked_at = $3 WHERE token_hash = $1 AND member_id = $2"
        " AND revoked_at IS NULL",
        token_hash,
        member_id,
        now,
    )
    return done != "UPDATE 0"
