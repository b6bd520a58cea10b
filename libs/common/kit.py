"""The resource kit: what every use case and handler of a resource repeats, written once.

Use cases: load an aggregate the caller owns (404 otherwise, whoever owns it), append one
event that carries the resource as GET will show it. Handlers: serve an operation of the
route table, answer with the resource and its `ETag`, get one row, list a page, and serve a
resource's own history (`GET …/{id}/events`)."""

import functools
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
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
T = TypeVar("T")


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


async def owns(conn: asyncpg.Connection, *, table: str, who: Identity, resource_id: str) -> bool:
    """Whether the caller has this row (a reference a write checks, e.g. an order's customer)."""
    found = await conn.fetchval(
        f"SELECT 1 FROM {table} WHERE id = $1 AND organization_id = $2 AND mode = $3",
        resource_id,
        who.organization_id,
        who.mode,
    )
    return bool(found)


@functools.cache
def _upsert_keeping_sql(table: str, names: tuple[str, ...], keep: frozenset[str]) -> str:
    values = ", ".join(f"${i}" for i in range(1, len(names) + 3))
    fixed = {"id", "created_at", *keep}
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in names if c not in fixed)
    return (
        f"INSERT INTO {table} (organization_id, mode, {', '.join(names)}) VALUES ({values})"
        f" ON CONFLICT (id) DO UPDATE SET {updates}"
    )


async def upsert_columns(
    conn: asyncpg.Connection,
    *,
    table: str,
    values: Mapping[str, Any],
    event: StoredEvent,
    keep: frozenset[str] = frozenset(),
) -> None:
    """`upsert` of explicit column values (`columns(resource)`). `keep`: columns another
    projection maintains (a customer's counters, kept from order events): written when the
    row is created, never overwritten by the resource's own later events."""
    names = tuple(values)
    await conn.execute(
        _upsert_keeping_sql(table, names, keep),
        event.organization_id,
        event.mode,
        *values.values(),
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


def use_case(
    request: web.Request, run: Callable[..., Awaitable[T]], **arguments: Any
) -> Callable[[asyncpg.Connection], Awaitable[T]]:
    """`run` as `write_one` calls it: on the write path's connection, with the service's
    store and the caller's identity, and the request's own `arguments`."""
    return lambda conn: run(conn, store=request.app[STORE], who=request[IDENTITY], **arguments)


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
    return await _history_page(request, prefix=prefix, kind=kind, query_model=query_model)


async def history_page_of(
    request: web.Request, *, prefix: str, model: type[Resource], query_model: type[Any]
) -> web.Response:
    """`history_page` of a resource whose events hold more than its GET shows (a webhook
    endpoint's sealed secrets): each event's `data` is shown as `model` shows it."""
    return await _history_page(
        request, prefix=prefix, kind=model.kind, query_model=query_model, shown=model
    )


async def _history_page(
    request: web.Request,
    *,
    prefix: str,
    kind: str,
    query_model: type[Any],
    shown: type[Resource] | None = None,
) -> web.Response:
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
    page = [e.envelope() for e in events[: query.limit]]
    if shown is not None:
        page = [e.model_copy(update={"data": shown.model_validate(e.data).dump()}) for e in page]
    has_more = len(events) > query.limit
    return ok(
        [e.dump() for e in page],
        pagination={"hasMore": has_more, "nextCursor": page[-1].id if has_more else None},
    )
