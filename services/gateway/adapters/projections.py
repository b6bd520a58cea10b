"""The read models behind authentication and `stacknex key list`."""

from collections.abc import Sequence

import asyncpg

from libs.common.events import StoredEvent
from libs.common.roles import Role
from services.gateway.domain import events as ev
from services.gateway.domain.members import Member, Status, member_from
from services.gateway.domain.model import ApiKey, Organization, key_from, organization_from


class GatewayProjector:
    # One TRUNCATE empties them together: members and api_keys refer to organizations.
    tables: Sequence[str] = ("api_keys", "members", "organizations")

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
        elif event.type in ev.MEMBER_EVENTS:
            await upsert_member(conn, member=member_from(event.data))


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


async def upsert_member(conn: asyncpg.Connection, *, member: Member) -> None:
    await conn.execute(
        "INSERT INTO members (id, organization_id, email, name, role, status, password_hash,"
        " invite_hash, invite_expires_at, created_at, updated_at, version)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        " ON CONFLICT (id) DO UPDATE SET name = $4, role = $5, status = $6, password_hash = $7,"
        " invite_hash = $8, invite_expires_at = $9, updated_at = $11, version = $12",
        member.id,
        member.organization_id,
        member.email,
        member.name,
        member.role.value,
        member.status.value,
        member.password_hash,
        member.invite_hash,
        member.invite_expires_at,
        member.created_at,
        member.updated_at,
        member.version,
    )


def member_from_row(row: asyncpg.Record) -> Member:
    return Member(
        id=row["id"],
        organization_id=row["organization_id"],
        email=row["email"],
        name=row["name"],
        role=Role(row["role"]),
        status=Status(row["status"]),
        password_hash=row["password_hash"],
        invite_hash=row["invite_hash"],
        invite_expires_at=row["invite_expires_at"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        version=row["version"],
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
