"""The gateway's use cases: organizations and keys. The `stacknex` CLI calls these."""

from datetime import timedelta
from typing import Any

import asyncpg

from libs.common.clock import utcnow
from libs.common.events import NewEvent
from libs.common.eventstore import EventStore
from libs.common.ids import is_valid_id, new_id
from services.gateway.adapters.projections import GatewayProjector, key_from_row
from services.gateway.domain import events as ev
from services.gateway.domain import model
from services.gateway.domain.access import MODES, generate_key, hash_secret

SCHEMA = "gateway"


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

    async def _key(self, conn: asyncpg.Connection, key_id: str) -> model.ApiKey:
        key = (
            model.fold_key(await self._history(conn, key_id))
            if is_valid_id(key_id, "key")
            else None
        )
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
    ) -> tuple[model.ApiKey, str]:
        """The key and, once only, its full secret form."""
        now = utcnow()
        if mode not in MODES:
            raise model.AccessError("Mode is live or test.", field="mode")
        parts, token = generate_key(mode)
        async with self.pool.acquire() as conn, conn.transaction():
            org = await self._organization(conn, org_id)
            key = model.create_key(
                key_id=new_id("key"),
                org=org,
                mode=mode,
                public_id=parts.public_id,
                secret_hash=hash_secret(parts.secret),
                scopes=scopes,
                expires_at=now + timedelta(seconds=expires_in) if expires_in is not None else None,
                now=now,
            )
            await self.store.append(
                conn,
                stream_id=key.id,
                expected_version=0,
                events=[
                    NewEvent(
                        type=ev.API_KEY_CREATED,
                        data={**key.public(), "secretHash": key.secret_hash},
                        organization_id=org.id,
                        mode=key.mode,
                        publish=False,
                    )
                ],
            )
        return key, token

    async def list_keys(self, *, org_id: str) -> list[model.ApiKey]:
        async with self.pool.acquire() as conn:
            await self._organization(conn, org_id)
            rows = await conn.fetch(
                "SELECT * FROM api_keys WHERE organization_id = $1 ORDER BY id DESC", org_id
            )
            return [key_from_row(row) for row in rows]

    async def revoke_key(self, *, key_id: str) -> model.ApiKey:
        async with self.pool.acquire() as conn, conn.transaction():
            key = await self._key(conn, key_id)
            revoked = model.revoke_key(key, now=utcnow())
            if revoked is None:
                return key
            await self.store.append(
                conn,
                stream_id=key.id,
                expected_version=key.version,
                events=[
                    NewEvent(
                        type=ev.API_KEY_REVOKED,
                        data=revoked.public(),
                        organization_id=key.organization_id,
                        mode=key.mode,
                    )
                ],
            )
        return revoked
