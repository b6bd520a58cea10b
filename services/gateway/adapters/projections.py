"""The read models behind authentication and `stacknex key list`."""

from collections.abc import Sequence

import asyncpg

from libs.common.events import StoredEvent
from services.gateway.domain import events as ev
from services.gateway.domain.model import ApiKey, Organization, key_from, organization_from


class GatewayProjector:
    tables: Sequence[str] = ("api_keys", "organizations")

    async def apply(self, conn: asyncpg.Connection, event: StoredEvent) -> None:
        if event.type in (ev.ORGANIZATION_CREATED, ev.ORGANIZATION_PLAN_CHANGED):
            await upsert_organization(conn, org=organization_from(event.data))
        elif event.type == ev.API_KEY_CREATED:
            await insert_key(conn, key=key_from(event.data, secret_hash=event.data["secretHash"]))
        elif event.type == ev.API_KEY_REVOKED:
            await conn.execute(
                "UPDATE api_keys SET revoked_at = $2, version = $3 WHERE id = $1",
                event.data["id"],
                key_from(event.data, secret_hash="").revoked_at,
                event.data["version"],
            )


async def upsert_organization(conn: asyncpg.Connection, *, org: Organization) -> None:
    await conn.execute(
        "INSERT INTO organizations (id, name, plan, default_location_id, created_at,"
        " updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7)"
        " ON CONFLICT (id) DO UPDATE SET name = $2, plan = $3, updated_at = $6, version = $7",
        org.id,
        org.name,
        org.plan.value,
        org.default_location_id,
        org.created_at,
        org.updated_at,
        org.version,
    )


async def insert_key(conn: asyncpg.Connection, *, key: ApiKey) -> None:
    await conn.execute(
        "INSERT INTO api_keys (id, organization_id, mode, public_id, secret_hash, scopes,"
        " expires_at, revoked_at, created_at, version)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        key.id,
        key.organization_id,
        key.mode,
        key.public_id,
        key.secret_hash,
        sorted(key.scopes),
        key.expires_at,
        key.revoked_at,
        key.created_at,
        key.version,
    )


def key_from_row(row: asyncpg.Record) -> ApiKey:
    return ApiKey(
        id=row["id"],
        organization_id=row["organization_id"],
        mode=row["mode"],
        public_id=row["public_id"],
        secret_hash=row["secret_hash"],
        scopes=frozenset(row["scopes"]),
        expires_at=row["expires_at"],
        revoked_at=row["revoked_at"],
        created_at=row["created_at"],
        version=row["version"],
    )
