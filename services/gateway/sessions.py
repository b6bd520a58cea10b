"""Signing in and out of the dashboard, and authenticating a session's token. A session is
server-side: the browser holds a random token, the gateway its SHA-256, so revoking one is
an UPDATE and a stolen database holds nothing that signs in."""

import asyncio
from dataclasses import dataclass
from datetime import timedelta

import asyncpg

from libs.common.logging import get_logger
from libs.common.roles import Role
from services.gateway.adapters import sessions as session_rows
from services.gateway.adapters.throttle import SignInThrottle
from services.gateway.domain import credentials
from services.gateway.domain import members as dm
from services.gateway.members import Clock, Members, Principal

log = get_logger(__name__)

# The idle expiry slides with use, but writing it on every request would make each page
# view a write: once a minute is enough precision for a 30-minute timeout.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class SignIn:
    token: str  # the cookie's value: shown to the browser once, stored only hashed
    csrf_token: str
    principal: Principal


class Sessions:
    def __init__(
        self,
        *,
        pool: asyncpg.Pool,
        members: Members,
        throttle: SignInThrottle,
        idle_timeout: float,
        absolute_timeout: float,
    ) -> None:
        self.pool = pool
        self.members = members
        self.throttle = throttle
        self.idle = timedelta(seconds=idle_timeout)
        self.absolute = timedelta(seconds=absolute_timeout)

    @property
    def clock(self) -> Clock:
        return self.members.clock

    async def sign_in(self, *, email: str, password: str, address: str) -> SignIn:
        # Any malformed email is simply a wrong one: the generic error, not a field error.
        email = email.strip().lower()
        await self.throttle.check(email=email, address=address)
        async with self.pool.acquire() as conn:
            row = await conn.fetchrow(
                "SELECT id, organization_id, role, password_hash FROM members"
                " WHERE email = $1 AND status = 'active'",
                email,
            )
        # An unknown email is verified against a dummy hash: the same argon2 work, so the
        # answer's timing does not tell which emails are members.
        stored = row["password_hash"] if row else credentials.dummy_hash()
        ok = await asyncio.to_thread(credentials.verify_password, stored, password)
        if row is None or not ok:
            await self.throttle.record_failure(email=email, address=address)
            log.info("signin.failed", known=row is not None)
            raise dm.SignInFailed()
        if credentials.needs_rehash(stored):
            await self.members.rehash(member_id=row["id"], password=password)
        token = credentials.new_token()
        token_hash = credentials.hash_token(token)
        async with self.pool.acquire() as conn:
            await session_rows.insert(
                conn,
                token_hash=token_hash,
                member_id=row["id"],
                org_id=row["organization_id"],
                now=self.clock(),
            )
        log.info("signin.succeeded", member_id=row["id"], organization_id=row["organization_id"])
        csrf = credentials.csrf_token(token)
        principal = Principal(
            member_id=row["id"],
            organization_id=row["organization_id"],
            role=Role(row["role"]),
            email=email,
            token_hash=token_hash,
            csrf_token=csrf,
        )
        return SignIn(token=token, csrf_token=csrf, principal=principal)

    async def authenticate(self, *, token: str) -> Principal:
        """The member behind a live session, with their current role; refused once idle for
        `idle_timeout`, `absolute_timeout` after sign-in, revoked, or the member removed."""
        token_hash = credentials.hash_token(token)
        now = self.clock()
        async with self.pool.acquire() as conn:
            row = await session_rows.find(conn, token_hash=token_hash)
            if (
                row is None
                or row["status"] != dm.Status.ACTIVE
                or now >= row["last_seen_at"] + self.idle
                or now >= row["created_at"] + self.absolute
            ):
                raise dm.NotAuthenticated("Sign in again.")
            if now - row["last_seen_at"] >= TOUCH_EVERY:
                await session_rows.touch(conn, token_hash=token_hash, now=now)
        return Principal(
            member_id=row["member_id"],
            organization_id=row["organization_id"],
            role=Role(row["role"]),
            email=row["email"],
            token_hash=token_hash,
            csrf_token=credentials.csrf_token(token),
        )

    async def sign_out(self, *, token: str) -> None:
        async with self.pool.acquire() as conn:
            await session_rows.revoke(
                conn, token_hash=credentials.hash_token(token), now=self.clock()
            )

    async def sign_out_hash(self, *, token_hash: str, by: Principal) -> None:
        """The dashboard's sign-out: it holds the session's hash, never its token."""
        async with self.pool.acquire() as conn:
            await session_rows.revoke_member_session(
                conn, token_hash=token_hash, member_id=by.member_id, now=self.clock()
            )

    async def sign_out_everywhere(self, *, by: Principal) -> int:
        async with self.pool.acquire() as conn:
            ended = await session_rows.revoke_member(conn, member_id=by.member_id, now=self.clock())
        log.info("signout.everywhere", member_id=by.member_id, sessions=ended)
        return ended
