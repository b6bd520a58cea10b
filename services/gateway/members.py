"""The members use cases: invite, accept an invite, list, change a role or a password,
remove. The CLI calls them as the operator; the dashboard calls them as a member (a
`Principal`), whose role the table in `libs/common/roles.py` checks here, server-side."""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from libs.common.clock import utcnow
from libs.common.events import NewEvent
from libs.common.eventstore import EventStore
from libs.common.ids import is_valid_id, new_id
from libs.common.logging import get_logger
from libs.common.roles import Action, Role, may
from services.gateway.adapters import sessions as session_rows
from services.gateway.adapters.projections import member_from_row
from services.gateway.domain import credentials
from services.gateway.domain import events as ev
from services.gateway.domain import members as dm
from services.gateway.domain.model import UnknownResource
from services.gateway.service import event_store

log = get_logger(__name__)
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Principal:
    """A signed-in member, as an authenticated session names them."""

    member_id: str
    organization_id: str
    role: Role
    email: str
    token_hash: str  # the session's, so a password change can keep it
    csrf_token: str


@dataclass(frozen=True)
class Invitation:
    member: dm.Member
    link: str  # holds the token: shown once, never stored or logged


def authorize(by: Principal | None, *, org_id: str, action: Action) -> str:
    """The actor to record: `operator` for the CLI, else the member, if their role may."""
    if by is None:
        return dm.OPERATOR
    if by.organization_id != org_id or not may(by.role, action):
        raise dm.Forbidden("Your role does not allow this.", field="role")
    return by.member_id


class Members:
    def __init__(
        self,
        *,
        pool: asyncpg.Pool,
        public_url: str,
        store: EventStore | None = None,
        clock: Clock = utcnow,
    ) -> None:
        self.pool = pool
        self.public_url = public_url.rstrip("/")
        self.store = store or event_store()
        self.clock = clock

    async def _member(self, conn: asyncpg.Connection, member_id: str) -> dm.Member:
        events = (
            await self.store.read_stream(conn, stream_id=member_id)
            if is_valid_id(member_id, "mem")
            else []
        )
        member = dm.fold_member([e.data for e in events])
        if member is None:
            raise UnknownResource(f"No member {member_id}.", field="member")
        return member

    async def _managed(
        self, conn: asyncpg.Connection, member_id: str, by: Principal | None
    ) -> tuple[dm.Member, str]:
        """The member to change and the actor to record. Another organization's member is
        unknown to `by` (404, never 403: existence does not leak across organizations)."""
        member = await self._member(conn, member_id)
        if by is not None and by.organization_id != member.organization_id:
            raise UnknownResource(f"No member {member_id}.", field="member")
        actor = authorize(by, org_id=member.organization_id, action=Action.MANAGE_MEMBERS)
        return member, actor

    async def _record(
        self,
        conn: asyncpg.Connection,
        *,
        before: dm.Member | None,
        after: dm.Member,
        type: str,
        actor: str,
    ) -> None:
        await self.store.append(
            conn,
            stream_id=after.id,
            expected_version=before.version if before else 0,
            events=[
                NewEvent(
                    type=type,
                    data=after.record(),
                    organization_id=after.organization_id,
                    metadata={"actor": actor},
                    publish=False,  # carries hashes; membership is the gateway's own
                )
            ],
        )
        log.info(type, member_id=after.id, organization_id=after.organization_id, actor=actor)

    async def invite(
        self, *, org_id: str, email: str, role: str, by: Principal | None = None
    ) -> Invitation:
        actor = authorize(by, org_id=org_id, action=Action.MANAGE_MEMBERS)
        token = credentials.new_token()
        member = dm.invite(
            member_id=new_id("mem"),
            org_id=org_id,
            email=email,
            role=role,
            invite_hash=credentials.hash_token(token),
            now=self.clock(),
        )
        async with self.pool.acquire() as conn, conn.transaction():
            if await conn.fetchval("SELECT 1 FROM organizations WHERE id = $1", org_id) is None:
                raise UnknownResource(f"No organization {org_id}.", field="org")
            taken = await conn.fetchval(
                "SELECT 1 FROM members WHERE email = $1 AND status <> 'removed'", member.email
            )
            if taken:
                raise dm.Conflict("This email already belongs to a member.", field="email")
            await self._record(conn, before=None, after=member, type=ev.MEMBER_INVITED, actor=actor)
        return Invitation(member, f"{self.public_url}/dashboard/invite/{token}")

    async def find_invite(self, *, token: str) -> tuple[dm.Member, str]:
        """The invited member and their organization's name, while the invite is open."""
        async with self.pool.acquire() as conn:
            row = await conn.fetchrow(
                "SELECT m.id, o.name FROM members m JOIN organizations o"
                " ON o.id = m.organization_id WHERE m.invite_hash = $1",
                credentials.hash_token(token),
            )
            member = await self._member(conn, row["id"]) if row else None
        if member is None or not dm.invite_open(member, now=self.clock()):
            raise dm.InvalidInvite()
        return member, row["name"]

    async def accept_invite(self, *, token: str, name: str, password: str) -> dm.Member:
        password_hash = await asyncio.to_thread(
            credentials.hash_password, dm.check_password(password)
        )
        async with self.pool.acquire() as conn, conn.transaction():
            row = await conn.fetchrow(
                "SELECT id FROM members WHERE invite_hash = $1 FOR UPDATE",
                credentials.hash_token(token),
            )
            if row is None:
                raise dm.InvalidInvite()
            member = await self._member(conn, row["id"])
            joined = dm.join(member, name=name, password_hash=password_hash, now=self.clock())
            await self._record(
                conn, before=member, after=joined, type=ev.MEMBER_JOINED, actor=member.id
            )
        return joined

    async def principal(self, *, member_id: str, org_id: str) -> Principal:
        """A member acting through the dashboard, with their role as it is now: a role
        changed or a member removed a moment ago acts so at once."""
        async with self.pool.acquire() as conn:
            row = await conn.fetchrow(
                "SELECT id, organization_id, role, email FROM members"
                " WHERE id = $1 AND organization_id = $2 AND status = 'active'",
                member_id,
                org_id,
            )
        if row is None:
            raise dm.NotAuthenticated("Sign in again.")
        return Principal(
            member_id=row["id"],
            organization_id=row["organization_id"],
            role=Role(row["role"]),
            email=row["email"],
            token_hash="",
            csrf_token="",
        )

    async def list_members(self, *, org_id: str, by: Principal | None = None) -> list[dm.Member]:
        authorize(by, org_id=org_id, action=Action.READ)
        async with self.pool.acquire() as conn:
            rows = await conn.fetch(
                "SELECT * FROM members WHERE organization_id = $1 AND status <> 'removed'"
                " ORDER BY id",
                org_id,
            )
        return [member_from_row(row) for row in rows]

    async def _owners(self, conn: asyncpg.Connection, org_id: str) -> int:
        # FOR UPDATE: two owners demoting each other at once queue here, and the second
        # counts again after the first commits, so one owner always remains.
        rows = await conn.fetch(
            "SELECT id FROM members WHERE organization_id = $1 AND role = 'owner'"
            " AND status = 'active' FOR UPDATE",
            org_id,
        )
        return len(rows)

    async def change_role(
        self, *, member_id: str, role: str, by: Principal | None = None
    ) -> dm.Member:
        async with self.pool.acquire() as conn, conn.transaction():
            member, actor = await self._managed(conn, member_id, by)
            owners = await self._owners(conn, member.organization_id)
            changed = dm.change_role(member, role=role, owners=owners, now=self.clock())
            if changed is None:
                return member
            await self._record(
                conn, before=member, after=changed, type=ev.MEMBER_ROLE_CHANGED, actor=actor
            )
        return changed

    async def remove(self, *, member_id: str, by: Principal | None = None) -> dm.Member:
        now = self.clock()
        async with self.pool.acquire() as conn, conn.transaction():
            member, actor = await self._managed(conn, member_id, by)
            owners = await self._owners(conn, member.organization_id)
            removed = dm.remove(member, owners=owners, now=now)
            if removed is None:
                return member
            await self._record(
                conn, before=member, after=removed, type=ev.MEMBER_REMOVED, actor=actor
            )
            await session_rows.revoke_member(conn, member_id=member.id, now=now)
        return removed

    async def change_password(
        self, *, by: Principal, current_password: str, new_password: str
    ) -> dm.Member:
        """The member's own; every other session of theirs ends, the current one stays."""
        authorize(by, org_id=by.organization_id, action=Action.MANAGE_OWN_ACCOUNT)
        new_hash = await asyncio.to_thread(
            credentials.hash_password, dm.check_password(new_password)
        )
        now = self.clock()
        async with self.pool.acquire() as conn, conn.transaction():
            member = await self._member(conn, by.member_id)
            ok = member.password_hash is not None and await asyncio.to_thread(
                credentials.verify_password, member.password_hash, current_password
            )
            if not ok:
                raise dm.AccessError("The current password is wrong.", field="currentPassword")
            changed = dm.set_password(member, password_hash=new_hash, now=now)
            await self._record(
                conn,
                before=member,
                after=changed,
                type=ev.MEMBER_PASSWORD_CHANGED,
                actor=member.id,
            )
            await session_rows.revoke_member(conn, member_id=member.id, now=now, keep=by.token_hash)
        return changed

    async def reset_password(self, *, member_id: str, password: str) -> dm.Member:
        """The operator sets a member's password (the demo owner's at each `make run`):
        every session of theirs ends."""
        new_hash = await asyncio.to_thread(credentials.hash_password, dm.check_password(password))
        now = self.clock()
        async with self.pool.acquire() as conn, conn.transaction():
            member = await self._member(conn, member_id)
            changed = dm.set_password(member, password_hash=new_hash, now=now)
            await self._record(
                conn,
                before=member,
                after=changed,
                type=ev.MEMBER_PASSWORD_CHANGED,
                actor=dm.OPERATOR,
            )
            await session_rows.revoke_member(conn, member_id=member.id, now=now)
        return changed

    async def rehash(self, *, member_id: str, password: str) -> None:
        """Hashes a just-verified password again with the current parameters."""
        new_hash = await asyncio.to_thread(credentials.hash_password, password)
        async with self.pool.acquire() as conn, conn.transaction():
            member = await self._member(conn, member_id)
            if member.status != dm.Status.ACTIVE:
                return
            changed = dm.set_password(member, password_hash=new_hash, now=self.clock())
            await self._record(
                conn,
                before=member,
                after=changed,
                type=ev.MEMBER_PASSWORD_REHASHED,
                actor=member.id,
            )
