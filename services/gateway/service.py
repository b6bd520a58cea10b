"""The gateway's use cases: organizations and keys. The `stacknex` CLI calls these as the
operator (`by=None`); the dashboard's internal API as a member (`by=` their Principal)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import asyncpg

from libs.common.clock import utcnow
from libs.common.events import NewEvent
from libs.common.eventstore import EventStore
from libs.common.ids import is_valid_id, new_id
from libs.common.roles import Action
from services.gateway.adapters.projections import GatewayProjector, key_from_row
from services.gateway.domain import events as ev
from services.gateway.domain import model
from services.gateway.domain.access import MODES, generate_key, hash_secret

if TYPE_CHECKING:
    from services.gateway.members import Principal

SCHEMA = "gateway"


def _authorize(by: "Principal | None", *, org_id: str, action: Action) -> str:
    """`members.authorize`, imported here: `members` builds on this module's event store,
    so importing it at the top would make the two modules import each other."""
    from services.gateway.members import authorize

    return authorize(by, org_id=org_id, action=action)


@dataclass(frozen=True)
class KeyListing:
    """A key as the dashboard lists it: with when it was last used and who made it."""

    key: model.ApiKey
    last_used_at: datetime | None
    creator_email: str | None


def event_store() -> EventStore:
    return EventStore(schema=SCHEMA, projector=GatewayProjector())


class Access:
    def __init__(self, *, pool: asyncpg.Pool, store: EventStore | None = None) -> None:
        self.pool = pool
        self.store = store or event_store()

    async def _history(self, conn: asyncpg.Connection, stream_id: str) -> list[dict[str, Any]]:
        return [e.data for e in await self.store.read_stream(conn, stream_id=stream_id)]

    async def _organization(self, conn: asyncpg.Connection, org_id: str) -> model.Organization:
        org = (
            model.fold_organization(await self._history(conn, org_id))
            if is_valid_id(org_id, "org")
            else None
        )
        if org is None:
            raise model.UnknownResource(f"No organization {org_id}.", field="org")
        return org

    async def _key(
        self,
        conn: asyncpg.Connection,
        key_id: str,
        *,
        by: "Principal | None" = None,
        mode: str | None = None,
    ) -> model.ApiKey:
        """The key; for a member, only one of their organization (and of `mode`, given):
        another's is unknown to them, a 404 and never a 403, so existence never leaks."""
        if is_valid_id(key_id, "key"):
            # Locked for the transaction: two rolls (or a roll and a revoke) of one key queue.
            await self.store.lock_stream(conn, stream_id=key_id)
        key = (
            model.fold_key(await self._history(conn, key_id))
            if is_valid_id(key_id, "key")
            else None
        )
        if key is not None and by is not None and key.organization_id != by.organization_id:
            key = None
        if key is not None and mode is not None and key.mode != mode:
            key = None
        if key is None:
            raise model.UnknownResource(f"No API key {key_id}.", field="key")
        return key

    async def create_organization(self, *, name: str, plan: str) -> model.Organization:
        # The default location's id is chosen here so the caller learns it at once; the
        # inventory service creates the location itself when it hears the event.
        org = model.create_organization(
            org_id=new_id("org"), name=name, plan=plan, location_id=new_id("loc"), now=utcnow()
        )
        async with self.pool.acquire() as conn, conn.transaction():
            await self.store.append(
                conn,
                stream_id=org.id,
                expected_version=0,
                events=[
                    NewEvent(
                        type=ev.ORGANIZATION_CREATED, data=org.public(), organization_id=org.id
                    )
                ],
            )
        return org

    async def set_plan(self, *, org_id: str, plan: str) -> model.Organization:
        async with self.pool.acquire() as conn, conn.transaction():
            org = await self._organization(conn, org_id)
            changed = model.change_plan(org, plan=plan, now=utcnow())
            if changed is None:
                return org
            await self.store.append(
                conn,
                stream_id=org.id,
                expected_version=org.version,
                events=[
                    NewEvent(
                        type=ev.ORGANIZATION_PLAN_CHANGED,
                        data={**changed.public(), "previousPlan": org.plan.value},
                        organization_id=org.id,
                    )
                ],
            )
        return changed

    async def create_key(
        self,
        *,
        org_id: str,
        mode: str,
        scopes: list[str] | None = None,
        expires_in: int | None = None,
        name: str = model.DEFAULT_KEY_NAME,
        by: "Principal | None" = None,
    ) -> tuple[model.ApiKey, str]:
        """The key and, once only, its full secret form."""
        actor = _authorize(by, org_id=org_id, action=Action.MANAGE_KEYS)
        if mode not in MODES:
            raise model.AccessError("Mode is live or test.", field="mode")
        async with self.pool.acquire() as conn, conn.transaction():
            org = await self._organization(conn, org_id)
            key, token = await self._create(
                conn,
                org=org,
                mode=mode,
                scopes=scopes,
                expires_in=expires_in,
                name=name,
                actor=actor,
                rolled_from=None,
            )
        return key, token

    async def _create(
        self,
        conn: asyncpg.Connection,
        *,
        org: model.Organization,
        mode: str,
        scopes: list[str] | None,
        expires_in: int | None,
        name: str,
        actor: str,
        rolled_from: str | None,
    ) -> tuple[model.ApiKey, str]:
        now = utcnow()
        parts, token = generate_key(mode)
        key = model.create_key(
            key_id=new_id("key"),
            org=org,
            mode=mode,
            public_id=parts.public_id,
            secret_hash=hash_secret(parts.secret),
            scopes=scopes,
            expires_at=now + timedelta(seconds=expires_in) if expires_in is not None else None,
            now=now,
            name=name,
            created_by=actor,
            rolled_from=rolled_from,
        )
        await self._append(
            conn, key, type=ev.API_KEY_CREATED, actor=actor, expected_version=0, publish=False
        )
        return key, token

    async def _append(
        self,
        conn: asyncpg.Connection,
        key: model.ApiKey,
        *,
        type: str,
        actor: str,
        expected_version: int,
        publish: bool = True,
    ) -> None:
        data = key.public()
        if type == ev.API_KEY_CREATED:
            data["secretHash"] = key.secret_hash  # private: why creation is never published
        await self.store.append(
            conn,
            stream_id=key.id,
            expected_version=expected_version,
            events=[
                NewEvent(
                    type=type,
                    data=data,
                    organization_id=key.organization_id,
                    mode=key.mode,
                    metadata={"actor": actor},
                    publish=publish,
                )
            ],
        )

    async def list_keys(self, *, org_id: str) -> list[model.ApiKey]:
        async with self.pool.acquire() as conn:
            await self._organization(conn, org_id)
            rows = await conn.fetch(
                "SELECT * FROM api_keys WHERE organization_id = $1 ORDER BY id DESC", org_id
            )
            return [key_from_row(row) for row in rows]

    async def key_listings(
        self, *, org_id: str, mode: str, by: "Principal | None" = None
    ) -> list[KeyListing]:
        """One organization's keys in one mode, newest first, as the dashboard shows them.
        Keys are few per organization (tens), so the list is whole, not paged."""
        _authorize(by, org_id=org_id, action=Action.READ)
        async with self.pool.acquire() as conn:
            rows = await conn.fetch(
                "SELECT k.*, u.last_used_at, m.email AS creator_email FROM api_keys k"
                " LEFT JOIN api_key_usage u ON u.key_id = k.id"
                " LEFT JOIN members m ON m.id = k.created_by"
                " WHERE k.organization_id = $1 AND k.mode = $2 ORDER BY k.id DESC",
                org_id,
                mode,
            )
        return [KeyListing(key_from_row(r), r["last_used_at"], r["creator_email"]) for r in rows]

    async def listing(self, *, key_id: str) -> KeyListing:
        async with self.pool.acquire() as conn:
            row = await conn.fetchrow(
                "SELECT k.*, u.last_used_at, m.email AS creator_email FROM api_keys k"
                " LEFT JOIN api_key_usage u ON u.key_id = k.id"
                " LEFT JOIN members m ON m.id = k.created_by WHERE k.id = $1",
                key_id,
            )
        if row is None:
            raise model.UnknownResource(f"No API key {key_id}.", field="key")
        return KeyListing(key_from_row(row), row["last_used_at"], row["creator_email"])

    async def revoke_key(
        self, *, key_id: str, by: "Principal | None" = None, mode: str | None = None
    ) -> model.ApiKey:
        async with self.pool.acquire() as conn, conn.transaction():
            key = await self._key(conn, key_id, by=by, mode=mode)
            actor = _authorize(by, org_id=key.organization_id, action=Action.MANAGE_KEYS)
            revoked = model.revoke_key(key, now=utcnow())
            if revoked is None:
                return key
            await self._append(
                conn, revoked, type=ev.API_KEY_REVOKED, actor=actor, expected_version=key.version
            )
        return revoked

    async def roll_key(
        self,
        *,
        key_id: str,
        grace_seconds: int,
        by: "Principal | None" = None,
        mode: str | None = None,
    ) -> tuple[model.ApiKey, str, model.ApiKey]:
        """A new key like the old (name, mode, scopes, expiry), shown once, and the old key
        ending after the grace: both in one transaction, so neither half is ever alone."""
        async with self.pool.acquire() as conn, conn.transaction():
            old = await self._key(conn, key_id, by=by, mode=mode)
            actor = _authorize(by, org_id=old.organization_id, action=Action.MANAGE_KEYS)
            now = utcnow()
            ending = model.end_after_grace(old, grace_seconds=grace_seconds, now=now)
            org = await self._organization(conn, old.organization_id)
            # The new key keeps what is left of an expiry the old one had: a roll replaces
            # a leaked secret, it does not extend a key's life.
            left = (
                max(1, int((old.expires_at - now).total_seconds()))
                if old.expires_at is not None
                else None
            )
            new, token = await self._create(
                conn,
                org=org,
                mode=old.mode,
                scopes=sorted(old.scopes),
                expires_in=left,
                name=old.name,
                actor=actor,
                rolled_from=old.id,
            )
            await self._append(
                conn,
                ending,
                type=ev.API_KEY_EXPIRY_CHANGED,
                actor=actor,
                expected_version=old.version,
            )
        return new, token, ending
