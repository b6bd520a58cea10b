"""The handlers' half of the kit: serve an operation of the route table, answer with the
resource and its `ETag`, get one row, list a page, serve a resource's own history."""

from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

import asyncpg
from aiohttp import web

from libs.common.errors import NotFound
from libs.common.identity import IDENTITY, Identity
from libs.common.kit.store import history
from libs.common.listing import ListQuery, Where, fetch_page
from libs.common.resources import Deleted, Resource
from libs.common.validation import parse_query, path_id
from libs.common.web import POOL, STORE, ok
from libs.common.writes import Reservation, etag, write

R = TypeVar("R", bound=Resource)
T = TypeVar("T")


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
    reservation: Reservation | None = None,
) -> web.Response:
    """The shared write path (one transaction, idempotency) around one resource's change.
    `after` runs once the transaction has committed, before the answer: what must follow a
    write that happened (telling a sibling service), never one that rolled back."""
    written: list[R] = []

    async def work(conn: asyncpg.Connection) -> web.Response:
        resource = await change(conn)
        written[:] = [resource]
        return respond(resource) if respond else answer(request, resource, status=status)

    response = await write(request, work, reservation=reservation)
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
    request: web.Request,
    *,
    prefix: str,
    kind: str,
    query_model: type[Any],
    shown: type[Resource] | None = None,
    stream: Callable[[str, Identity], str] | None = None,
) -> web.Response:
    """GET /…/{id}/events: the resource's own events, oldest first; an audit trail that
    survives its deletion. `shown`: for events that hold more than GET shows (a webhook
    endpoint's sealed secrets), each `data` as that model shows it. `stream`: the stream of
    (id, caller) when it is not named by the id alone (a location's is per mode)."""
    resource_id = path_id(request, prefix)
    query = parse_query(request, query_model)
    who = request[IDENTITY]
    async with request.app[POOL].acquire() as conn:
        events = await history(
            conn,
            store=request.app[STORE],
            who=who,
            stream_id=stream(resource_id, who) if stream else resource_id,
            kind=kind,
            resource_id=resource_id,
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
