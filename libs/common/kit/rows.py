"""Read-model rows: a row is its resource's model, one column per field (by attribute
name), owned as the resource's event is."""

import functools
from typing import Any

import asyncpg
from pydantic import BaseModel

from libs.common.events import StoredEvent
from libs.common.resources import Resource


def _column(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(by_alias=True)
    if isinstance(value, list | tuple):
        return [_column(v) for v in value]
    return value


def columns(resource: Resource) -> dict[str, Any]:
    """`resource` as read-model columns, one per field by attribute name; a nested model (an
    order's lines) in its public shape, for a jsonb column that reads back as the model."""
    return {name: _column(getattr(resource, name)) for name in type(resource).model_fields}


@functools.cache
def _upsert_sql(
    table: str, names: tuple[str, ...], key: tuple[str, ...], keep: frozenset[str]
) -> str:
    values = ", ".join(f"${i}" for i in range(1, len(names) + 3))
    fixed = {*key, "created_at", *keep}
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in names if c not in fixed)
    return (
        f"INSERT INTO {table} (organization_id, mode, {', '.join(names)}) VALUES ({values})"
        f" ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}"
    )


async def upsert(
    conn: asyncpg.Connection,
    *,
    table: str,
    resource: Resource,
    event: StoredEvent,
    key: tuple[str, ...] = ("id",),
    keep: frozenset[str] = frozenset(),
) -> None:
    """The read model's row of `resource`. `key`: what rows are unique by, when not the id
    alone (a location's id is shared by its two modes: `("id", "mode")`). `keep`: columns
    another projection maintains (a customer's counters, kept from order events): written
    when the row is created, never overwritten by the resource's own later events."""
    values = columns(resource)
    await conn.execute(
        _upsert_sql(table, tuple(values), key, keep),
        event.organization_id,
        event.mode,
        *values.values(),
    )
