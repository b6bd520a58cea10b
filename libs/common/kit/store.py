"""The use cases' half of the kit: load what the caller owns, append its events."""

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import asyncpg
from pydantic import BaseModel

from libs.common.errors import Conflict, NotFound
from libs.common.events import NewEvent, StoredEvent
from libs.common.eventstore import EventStore
from libs.common.identity import Identity
from libs.common.resources import Resource

R = TypeVar("R", bound=Resource)


def _owned(event: StoredEvent | None, who: Identity, kind: str, stream_id: str) -> StoredEvent:
    # Another organization's or mode's id is indistinguishable from a missing one.
    if event is None or event.organization_id != who.organization_id or event.mode != who.mode:
        raise NotFound(f"No {kind} {stream_id}.")
    return event


async def load_owned(
    conn: asyncpg.Connection, *, store: EventStore, who: Identity, stream_id: str, model: type[R]
) -> R:
    """The caller's resource as its newest event left it, locked for this write. Deleted is
    not found: its events stay readable in its history."""
    await store.lock_stream(conn, stream_id=stream_id)
    event = _owned(await store.read_last(conn, stream_id=stream_id), who, model.kind, stream_id)
    resource = model.model_validate(event.data)
    if getattr(resource, "deleted_at", None) is not None:
        raise NotFound(f"No {model.kind} {stream_id}.")
    return resource


async def append(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    who: Identity,
    kind: str,
    resource: Resource,
    expected: int,
    changed: list[str] | None = None,
    unique: Mapping[str, str] | None = None,
) -> None:
    """One event of type `kind` carrying `resource`, at `expected` (0 for a new stream).
    `unique` names the field behind each unique constraint a read model may violate, so
    a taken value is a 409 naming it."""
    event = NewEvent(
        type=kind,
        data=resource.dump(),
        organization_id=who.organization_id,
        mode=who.mode,
        metadata={"changedFields": changed} if changed is not None else {},
    )
    try:
        await store.append(conn, stream_id=resource.id, expected_version=expected, events=[event])
    except asyncpg.UniqueViolationError as exc:
        field = (unique or {}).get(exc.constraint_name or "")
        if field is None:
            raise
        raise Conflict(
            f"Another record of this organization already has this {field}.",
            details={"field": field},
        ) from exc


async def history(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    who: Identity,
    stream_id: str,
    kind: str,
    resource_id: str | None = None,
) -> list[StoredEvent]:
    """A stream's events, oldest first, if the caller owns it; messages name `resource_id`
    (the stream's id by default)."""
    events = await store.read_stream(conn, stream_id=stream_id)
    _owned(events[0] if events else None, who, kind, resource_id or stream_id)
    return events


async def load_owned_stream(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    who: Identity,
    stream_id: str,
    resource_id: str,
    model: type[R],
) -> R:
    """`load_owned` for a resource whose stream is not named by its id alone (a location's
    id is shared by both modes, so its stream is per mode); messages name `resource_id`."""
    await store.lock_stream(conn, stream_id=stream_id)
    event = _owned(await store.read_last(conn, stream_id=stream_id), who, model.kind, resource_id)
    return model.model_validate(event.data)


async def append_to(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    who: Identity,
    stream_id: str,
    kind: str,
    data: BaseModel,
    expected: int,
    metadata: Mapping[str, Any] | None = None,
    publish: bool = True,
) -> None:
    """One event of type `kind` carrying `data` (camelCase) on `stream_id`, at `expected`:
    `append` for streams not named by the resource's id, or events whose payload is more
    than the resource (an item's change) or whose metadata carries more than changed fields.
    `publish=False` keeps it in the service's store, off the bus."""
    event = NewEvent(
        type=kind,
        data=data.model_dump(by_alias=True),
        organization_id=who.organization_id,
        mode=who.mode,
        metadata=dict(metadata or {}),
        publish=publish,
    )
    await store.append(conn, stream_id=stream_id, expected_version=expected, events=[event])


async def append_each(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    who: Identity,
    events: Sequence[tuple[str, Resource]],
    expected: int,
) -> None:
    """Several events of one stream in one append (one round trip), each `(kind, resource)`
    carrying the resource as it is after that event: a sale placed and paid at once is
    `order.created` at version 1, then `order.completed` at version 2."""
    new = [
        NewEvent(
            type=kind, data=resource.dump(), organization_id=who.organization_id, mode=who.mode
        )
        for kind, resource in events
    ]
    stream_id = events[0][1].id
    await store.append(conn, stream_id=stream_id, expected_version=expected, events=new)


async def owns(
    conn: asyncpg.Pool | asyncpg.Connection, *, table: str, who: Identity, resource_id: str
) -> bool:
    """Whether the caller has this row (a reference a write checks, e.g. an order's customer)."""
    found = await conn.fetchval(
        f"SELECT 1 FROM {table} WHERE id = $1 AND organization_id = $2 AND mode = $3",
        resource_id,
        who.organization_id,
        who.mode,
    )
    return bool(found)
