"""GET /api/v1/events/stream: the organization's events of the caller's mode as server-sent
events, as they are logged: `id: evt_…`, `event: <type>`, `data: <the event, the exact bytes
a webhook delivery carries>`. Resumable with `Last-Event-ID` (or `?lastEventId=`): what was
logged after that event, in log order, then live. See adapters/stream.py for how events
reach a stream in every replica."""

import asyncio
import time
from datetime import timedelta

from aiohttp import web

from libs.common.clock import utcnow
from libs.common.errors import EventExpiredError, RateLimited, ValidationFailed
from libs.common.identity import IDENTITY, Identity
from libs.common.ids import id_floor, is_valid_id
from libs.common.kit import OperationRoutes
from libs.common.logging import get_logger
from libs.common.publisher import TRANSIENT
from libs.common.validation import parse_query
from libs.common.web import POOL, REQUEST_ID
from libs.contract import patterns
from libs.contract.events import PUBLIC_EVENTS
from libs.contract.webhooks import OPERATIONS, StreamQuery
from services.webhooks.adapters import stream as log_stream
from services.webhooks.adapters.stream import STREAM_HUB, Cursor, TooManyStreams
from services.webhooks.settings import WEBHOOKS_SETTINGS

log = get_logger(__name__)
routes = OperationRoutes(OPERATIONS)

BATCH = 100
# A row held back behind an older, still-running transaction is looked at again this soon:
# such transactions last milliseconds, and no NOTIFY announces their end. Doubling to 2 s
# while it lasts, so a transaction left open does not make every stream query 5 times a second.
HELD_BACK_FIRST, HELD_BACK_MAX = 0.2, 2.0
# How long a client waits before it reconnects after the stream ends (the SSE `retry`).
RECONNECT_MS = 2000


@routes.op("streamEvents")
async def event_stream(request: web.Request) -> web.StreamResponse:
    query = parse_query(request, StreamQuery)
    who = request[IDENTITY]
    types = sorted(patterns.expand(patterns.parse(query.types or patterns.ALL)))
    cursor = await _cursor(request, who, query)
    hub = request.app[STREAM_HUB]
    try:
        with hub.open(organization_id=who.organization_id, mode=who.mode) as wake:
            response = web.StreamResponse(
                headers={
                    "Content-Type": "text/event-stream",
                    "Cache-Control": "no-cache",
                    # nginx (a common ingress) buffers responses unless told not to.
                    "X-Accel-Buffering": "no",
                    "X-Request-Id": request[REQUEST_ID],
                }
            )
            await response.prepare(request)
            await _pump(request, response, who, types, cursor, wake)
            return response
    except TooManyStreams as exc:
        raise RateLimited(
            f"This organization has {exc.limit} event streams open here already; close one,"
            " or retry later.",
            details={"reason": "open_streams", "limit": exc.limit},
            headers={"Retry-After": "30"},
        ) from None


async def _cursor(request: web.Request, who: Identity, query: StreamQuery) -> Cursor:
    """Where the stream starts: after the resume point, or now."""
    # Empty is none (the SSE spec: a client that has seen no id sends an empty one, or none).
    header = request.headers.get("Last-Event-ID") or None
    field, resume = (
        ("Last-Event-ID", header) if header is not None else ("lastEventId", query.last_event_id)
    )
    pool = request.app[POOL]
    if resume is None:
        return await log_stream.start(pool)
    if not is_valid_id(resume, "evt"):
        raise ValidationFailed("Invalid event ID format.", field=field, expected="evt_ ID")
    cutoff = utcnow() - timedelta(days=request.app[WEBHOOKS_SETTINGS].events_retention_days)
    # Any public event of the caller's: a place in the log is one whatever the filter.
    found = await log_stream.resume_point(
        pool,
        event_id=resume,
        organization_id=who.organization_id,
        mode=who.mode,
        types=sorted(PUBLIC_EVENTS),
    )
    # Past retention, what followed the event may be purged in part: say so, rather than
    # resume with a silent gap. The id's own time tells an expired event from an unknown one.
    if (found is None and resume < id_floor("evt", at=cutoff)) or (
        found is not None and found.occurred_at < cutoff
    ):
        raise EventExpiredError(
            f"Event {resume} is past the event log's retention; events after it may be gone."
            " Reconcile with GET /api/v1/events, then stream without a resume point.",
            details={"field": field, "eventId": resume},
        )
    if found is None:
        raise ValidationFailed(
            f"No event {resume} among this organization's events in this mode.",
            field=field,
            expected="the id of an event of this organization and mode",
        )
    return found.cursor


async def _pump(
    request: web.Request,
    response: web.StreamResponse,
    who: Identity,
    types: list[str],
    cursor: Cursor,
    wake: asyncio.Event,
) -> None:
    settings = request.app[WEBHOOKS_SETTINGS]
    hub = request.app[STREAM_HUB]
    pool = request.app[POOL]
    ends_at = time.monotonic() + settings.stream_max_seconds
    try:
        await response.write(f"retry: {RECONNECT_MS}\n\n".encode())
        written_at = time.monotonic()
        held_back = HELD_BACK_FIRST
        while not hub.closing.is_set():
            wake.clear()
            rows, held = await log_stream.read_after(
                pool,
                organization_id=who.organization_id,
                mode=who.mode,
                types=types,
                cursor=cursor,
                limit=BATCH,
            )
            for row in rows:
                await response.write(
                    b"id: %s\nevent: %s\ndata: %s\n\n"
                    % (row.id.encode(), row.type.encode(), row.payload)
                )
                cursor = row.cursor
            now = time.monotonic()
            if rows:
                written_at = now
            if now >= ends_at:
                break
            if len(rows) == BATCH:
                continue  # a backlog (a resume): read on before waiting
            wait = min(settings.stream_heartbeat - (now - written_at), ends_at - now)
            if held:
                wait = min(wait, held_back)
                held_back = min(held_back * 2, HELD_BACK_MAX)
            else:
                held_back = HELD_BACK_FIRST
            try:
                await asyncio.wait_for(wake.wait(), max(wait, 0))
            except TimeoutError:
                pass  # a heartbeat is due, the stream's end, or a held-back row
            if time.monotonic() - written_at >= settings.stream_heartbeat:
                await response.write(b": keepalive\n\n")
                written_at = time.monotonic()
        reason = "shutting down" if hub.closing.is_set() else "stream lifetime reached"
        await response.write(f": {reason}; reconnect with Last-Event-ID\n\n".encode())
        await response.write_eof()
    except ConnectionResetError:
        pass  # the client went away
    except TRANSIENT as exc:
        # Headers are sent: the stream just ends, and the client resumes where it was.
        log.warning("event_stream.dependency_unavailable", error=repr(exc))
