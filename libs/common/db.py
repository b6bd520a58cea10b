"""PostgreSQL: a pool per service bound to its own schema, and the migration runner."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from libs.common import jsoncodec
from libs.common.fairpool import FairPool

COMMON_MIGRATIONS = Path(__file__).parent / "migrations"
_SCHEMA_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def check_schema(schema: str) -> str:
    if not _SCHEMA_RE.match(schema):
        raise ValueError(f"invalid schema name {schema!r}")
    return schema


async def _init_connection(conn: asyncpg.Connection) -> None:
    for pg_type in ("json", "jsonb"):
        await conn.set_type_codec(
            pg_type, encoder=jsoncodec.dumps_str, decoder=jsoncodec.loads, schema="pg_catalog"
        )


async def connect(dsn: str, *, schema: str, app_name: str) -> asyncpg.Connection:
    """A single long-lived connection (e.g. for LISTEN), set up exactly like a pool's."""
    conn = await asyncpg.connect(
        dsn, server_settings={"search_path": check_schema(schema), "application_name": app_name}
    )
    await _init_connection(conn)
    return conn


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Pooled connections hold no session state of ours: their advisory locks and settings
    are transaction-scoped (`pg_advisory_xact_lock`, `SET LOCAL`), and session locks and
    LISTEN live on dedicated connections (`connect`). So the query asyncpg sends on every
    release by default (`pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL`), a
    round trip per transaction and about 15 per sale, is skipped. asyncpg still rolls back
    a transaction left open before it calls this."""


async def create_pool(
    dsn: str, *, schema: str, min_size: int = 1, max_size: int = 10, app_name: str = "stacknex"
) -> asyncpg.Pool:
    # asyncpg.create_pool's own defaults, with its Pool waiting its turn (fairpool.py).
    pool: asyncpg.Pool = await FairPool(
        dsn,
        connection_class=asyncpg.Connection,
        record_class=asyncpg.Record,
        min_size=min_size,
        max_size=max_size,
        max_queries=50000,
        loop=None,
        connect=None,
        setup=None,
        init=_init_connection,
        reset=_keep_session,
        max_inactive_connection_lifetime=300.0,
        server_settings={"search_path": check_schema(schema), "application_name": app_name},
    )
    return pool


@dataclass(frozen=True)
class Migration:
    name: str
    up: str
    down: str | None


def discover(dirs: Sequence[Path]) -> list[Migration]:
    """`NNNN_name.up.sql` (+ optional `.down.sql`) from each folder, folders in the order given."""
    found: list[Migration] = []
    for folder in dirs:
        for up in sorted(folder.glob("*.up.sql")):
            stem = up.name.removesuffix(".up.sql")
            down = up.with_name(f"{stem}.down.sql")
            found.append(
                Migration(
                    name=f"{folder.parent.name}/{stem}",
                    up=up.read_text(),
                    down=down.read_text() if down.exists() else None,
                )
            )
    return found


async def _prepare(conn: asyncpg.Connection, schema: str) -> set[str]:
    # Serialises migrators of one schema (several replicas starting at once).
    await conn.execute("SELECT pg_advisory_xact_lock(hashtext($1))", f"stacknex.migrate.{schema}")
    await conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
    await conn.execute(f'SET LOCAL search_path TO "{schema}"')
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
    )
    rows = await conn.fetch("SELECT name FROM schema_migrations")
    return {row["name"] for row in rows}


async def migrate_up(
    conn: asyncpg.Connection, *, schema: str, migrations: Sequence[Migration]
) -> list[str]:
    """Applies what is missing, all in one transaction: a failed migration leaves nothing."""
    check_schema(schema)
    applied: list[str] = []
    async with conn.transaction():
        done = await _prepare(conn, schema)
        for migration in migrations:
            if migration.name in done:
                continue
            await conn.execute(migration.up)
            await conn.execute("INSERT INTO schema_migrations (name) VALUES ($1)", migration.name)
            applied.append(migration.name)
    return applied


async def migrate_down(
    conn: asyncpg.Connection, *, schema: str, migrations: Sequence[Migration]
) -> list[str]:
    """Reverts every applied migration, newest first, then drops the schema if it is empty."""
    check_schema(schema)
    reverted: list[str] = []
    async with conn.transaction():
        done = await _prepare(conn, schema)
        for migration in reversed(migrations):
            if migration.name not in done:
                continue
            if migration.down is None:
                raise RuntimeError(f"migration {migration.name} cannot be reverted")
            await conn.execute(migration.down)
            await conn.execute("DELETE FROM schema_migrations WHERE name = $1", migration.name)
            reverted.append(migration.name)
        await conn.execute("DROP TABLE schema_migrations")
        await conn.execute(f'DROP SCHEMA "{schema}" RESTRICT')
    return reverted
