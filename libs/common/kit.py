"""The resource kit: what every use case and handler of a resource repeats, written once.

Use cases: load an aggregate the caller owns (404 otherwise, whoever owns it), append one
event that carries the resource as GET will show it. Handlers: serve an operation of the
route table, answer with the resource and its `ETag`, get one row, list a page, and serve a
resource's own history (`GET …/{id}/events`)."""

import functools
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, TypeVar

import asyncpg
from aiohttp import web
from pydantic import BaseModel

from libs.common.errors import Conflict, NotFound
from libs.common.events import NewEvent, StoredEvent
from libs.common.eventstore import EventStore
from libs.common.identity import IDENTITY, Identity
from libs.common.listing import ListQuery, Where, fetch_page
from libs.common.resources import Deleted, Resource
from libs.common.validation import parse_query, path_id
from libs.common.web import POOL, STORE, ok
from libs.common.writes import etag, write

R = TypeVar("R", bound=Resource)


# Use cases


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
    conn: asyncpg.Connection, *, store: EventStore, who: Identity, stream_id: str, kind: str
) -> list[StoredEvent]:
    events = await store.read_stream(conn, stream_id=stream_id)
    _owned(events[0] if events else None, who, kind, stream_id)
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
) -> None:
    """One event of type `kind` carrying `data` (camelCase) on `stream_id`, at `expected`:
    `append` for streams not named by the resource's id, or events whose payload is more
    than the resource (an item's change) or whose metadata carries more than changed fields."""
    event = NewEvent(
        type=kind,
        data=data.model_dump(by_alias=True),
        organization_id=who.organization_id,
        mode=who.mode,
        metadata=dict(metadata or {}),
    )
    await store.append(conn, stream_id=stream_id, expected_version=expected, events=[event])


@functools.cache
def _upsert_sql(table: str, columns: tuple[str, ...]) -> str:
    values = ", ".join(f"${i}" for i in range(1, len(columns) + 3))
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c not in ("id", "created_at"))
    return (
        f"INSERT INTO {table} (organization_id, mode, {', '.join(columns)}) VALUES ({values})"
        f" ON CONFLICT (id) DO UPDATE SET {updates}"
    )


async def upsert(
    conn: asyncpg.Connection, *, table: str, resource: Resource, event: StoredEvent
) -> None:
    """The read model's row of `resource`, one column per field (by attribute name), owned
    as its event is."""
    columns = tuple(type(resource).model_fields)
    await conn.execute(
        _upsert_sql(table, columns),
        event.organization_id,
        event.mode,
        *(getattr(resource, c) for c in columns),
    )


@functools.cache
def _upsert_on_sql(table: str, columns: tuple[str, ...], key: tuple[str, ...]) -> str:
    values = ", ".join(f"${i}" for i in range(1, len(columns) + 3))
    kept = {*key, "created_at"}
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c not in kept)
    return (
        f"INSERT INTO {table} (organization_id, mode, {', '.join(columns)}) VALUES ({values})"
        f" ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}"
    )


async def upsert_on(
    conn: asyncpg.Connection,
    *,
    table: str,
    resource: Resource,
    event: StoredEvent,
    key: tuple[str, ...],
) -> None:
    """`upsert` for a table whose rows are unique by `key` rather than by id alone (a
    location's id is shared by its two modes: `("id", "mode")`)."""
    columns = tuple(type(resource).model_fields)
    await conn.execute(
        _upsert_on_sql(table, columns, key),
        event.organization_id,
        event.mode,
        *(getattr(resource, c) for c in columns),
    )


# Handlers


class OperationRoutes(web.RouteTableDef):
    """A service's handlers, each bound to an operation of the route table by its id: the
    method and path are the contract's, never written twice."""

    def __init__(self, operations: Iterable[Any]) -> None:
        super().__init__()
        self._operations = {op.id: op for op in operations}

    def op(self, operation_id: str) -> Callable[[Any], Any]:
        operation = self._operations[operation_id]
        return self.route(operation.method, operation.path)


def answer(request: web.Request, resource: Resource, *, status: int = 200) -> web.Response:
    headers = etag(resource.version)
    if status == 201:
        headers["Location"] = f"{request.path}/{resource.id}"
    return ok(resource.dump(), status=status, headers=headers)


def answer_deleted(resource: Resource) -> web.Response:
    return ok(Deleted(id=resource.id).model_dump(), headers=etag(resource.version))


async def write_one(
    request: web.Request,
    change: Callable[[asyncpg.Connection], Awaitable[R]],
    *,
    status: int = 200,
    respond: Callable[[R], web.Response] | None = None,
    after: Callable[[R], Awaitable[None]] | None = None,
) -> web.Response:
    """The shared write path (one transaction, idempotency) around one resource's change.
    `after` runs once the transaction has committed, before the answer: what must follow a
    write that happened (telling a sibling service), never one that rolled back."""
    written: list[R] = []

    async def work(conn: asyncpg.Connection) -> web.Response:
        resource = await change(conn)
        written[:] = [resource]
        return respond(resource) if respond else answer(request, resource, status=status)

    response = await write(request, work)
    if after is not None:
        for resource in written:  # empty on an idempotent replay: nothing was written
            await after(resource)
    return response


def owner(request: web.Request, *, live: bool = False) -> Where:
    """The caller's rows (`live`: leaving out the soft-deleted)."""
    who = request[IDENTITY]
    where = Where(("organization_id = {}", who.organization_id), ("mode = {}", who.mode))
    if live:
        where.clauses.append("deleted_at IS NULL")
    return where


async def get_one(
    request: web.Request, *, table: str, model: type[Resource], prefix: str, live: bool = False
) -> web.Response:
    """GET /…/{id} from the read model."""
    resource_id = path_id(request, prefix)
    where = owner(request, live=live).add("id = {}", resource_id)
    row = await request.app[POOL].fetchrow(
        f"SELECT * FROM {table} WHERE {where.sql()}", *where.params
    )
    if row is None:
        raise NotFound(f"No {model.kind} {resource_id}.")
    return answer(request, model.model_validate(dict(row)))


async def list_page(
    request: web.Request, *, table: str, model: type[Resource], where: Where, query: ListQuery
) -> web.Response:
    rows, pagination = await fetch_page(request.app[POOL], table=table, where=where, query=query)
    return ok([model.model_validate(dict(r)).dump() for r in rows], pagination=pagination)


async def history_page(
    request: web.Request, *, prefix: str, kind: str, query_model: type[Any]
) -> web.Response:
    """GET /…/{id}/events: the resource's own events, oldest first; an audit trail that
    survives its deletion."""
    stream_id = path_id(request, prefix)
    query = parse_query(request, query_model)
    async with request.app[POOL].acquire() as conn:
        events = await history(
            conn, store=request.app[STORE], who=request[IDENTITY], stream_id=stream_id, kind=kind
        )
    if query.starting_after is not None:
        seen = [e.id for e in events]
        after = query.starting_after
        events = events[seen.index(after) + 1 :] if after in seen else []
    page = events[: query.limit]
    has_more = len(events) > query.limit
    return ok(
        [e.envelope().public() for e in page],
        pagination={"hasMore": has_more, "nextCursor": page[-1].id if has_more else None},
    )


async def stream_history_page(
    request: web.Request,
    *,
    prefix: str,
    kind: str,
    query_model: type[Any],
    stream: Callable[[str, Identity], str],
) -> web.Response:
    """`history_page` for a resource whose stream is `stream(id, caller)` (a location's is
    per mode)."""
    resource_id = path_id(request, prefix)
    query = parse_query(request, query_model)
    who = request[IDENTITY]
    async with request.app[POOL].acquire() as conn:
        events = await request.app[STORE].read_stream(conn, stream_id=stream(resource_id, who))
    _owned(events[0] if events else None, who, kind, resource_id)
    if query.starting_after is not None:
        seen = [e.id for e in events]
        after = query.starting_after
        events = events[seen.index(after) + 1 :] if after in seen else []
    page = events[: query.limit]
    has_more = len(events) > query.limit
    return ok(
        [e.envelope().public() for e in page],
        pagination={"hasMore": has_more, "nextCursor": page[-1].id if has_more else None},
    )
