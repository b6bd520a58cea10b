"""The event stream's side of the event log: where a stream starts or resumes, what it reads
next, and the one LISTEN connection per process that wakes the open streams.

How an event reaches an open stream, in any number of replicas: the consumer that logs it
NOTIFYs `stacknex_event_log_<schema>` with its organization and mode in the same statement
(service.record; PostgreSQL delivers it at commit, to every listening session). Each process
listens once and wakes only its streams of that organization and mode; each of them then
reads the log after its own cursor. Nothing polls per connection, except a stream held back
behind a still-running transaction (see `read_after`) and one safety read per heartbeat
(which covers a notification lost while the listening connection was being replaced)."""

import asyncio
import contextlib
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import datetime

import asyncpg
from aiohttp import web

from libs.common import jsoncodec
from libs.common.db import connect
from libs.common.logging import get_logger
from libs.common.publisher import TRANSIENT

log = get_logger(__name__)

# The channel, as SQL (the writer's search_path is its schema) and for the listener.
CHANNEL_SQL = "'stacknex_event_log_' || current_schema()"


def channel(schema: str) -> str:
    return f"stacknex_event_log_{schema}"


@dataclass(frozen=True, order=True)
class Cursor:
    """A place in the log: (the writing transaction's id, the row's position)."""

    tx: int
    position: int


@dataclass(frozen=True)
class Logged:
    id: str
    type: str
    payload: bytes  # the exact bytes webhook deliveries carry and sign
    cursor: Cursor


@dataclass(frozen=True)
class ResumePoint:
    cursor: Cursor
    occurred_at: datetime


async def start(pool: asyncpg.Pool) -> Cursor:
    """Now: every transaction still running, and every later one, is after this cursor."""
    xmin = await pool.fetchval("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
    return Cursor(tx=xmin, position=0)


async def resume_point(
    pool: asyncpg.Pool, *, event_id: str, organization_id: str, mode: str, types: list[str]
) -> ResumePoint | None:
    row = await pool.fetchrow(
        "SELECT tx::text::bigint AS tx, position, occurred_at FROM event_log"
        " WHERE id = $1 AND organization_id = $2 AND mode = $3 AND type = ANY($4)",
        event_id,
        organization_id,
        mode,
        types,
    )
    if row is None:
        return None
    return ResumePoint(Cursor(row["tx"], row["position"]), row["occurred_at"])


async def read_after(
    pool: asyncpg.Pool,
    *,
    organization_id: str,
    mode: str,
    types: list[str],
    cursor: Cursor,
    limit: int,
) -> tuple[list[Logged], bool]:
    """The rows after `cursor`, in log order, that no running transaction can precede; True
    beside them when a newer row is held back (it committed while an older transaction, of
    any table, is still open: the caller looks again shortly rather than wait for a NOTIFY
    that an unrelated transaction will never send). Index event_log_stream."""
    rows = await pool.fetch(
        "SELECT id, type, payload, CASE WHEN payload IS NULL THEN body END AS body,"
        " tx::text::bigint AS tx, position,"
        " tx < pg_snapshot_xmin(pg_current_snapshot()) AS settled"
        " FROM event_log WHERE organization_id = $1 AND mode = $2 AND type = ANY($3)"
        " AND (tx, position) > ($4::bigint::text::xid8, $5::bigint)"
        " ORDER BY tx, position LIMIT $6",
        organization_id,
        mode,
        types,
        cursor.tx,
        cursor.position,
        limit,
    )
    ready: list[Logged] = []
    for row in rows:
        if not row["settled"]:
            return ready, True
        payload = row["payload"] if row["payload"] is not None else jsoncodec.dumps(row["body"])
        ready.append(Logged(row["id"], row["type"], payload, Cursor(row["tx"], row["position"])))
    return ready, False


class TooManyStreams(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


class StreamHub:
    """The process's open streams by organization and mode, woken by one LISTEN."""

    def __init__(self, *, dsn: str, schema: str, per_organization: int) -> None:
        self.dsn, self.schema, self.per_organization = dsn, schema, per_organization
        self._wakes: defaultdict[tuple[str, str], set[asyncio.Event]] = defaultdict(set)
        self._per_org: Counter[str] = Counter()
        self.closing = asyncio.Event()

    @property
    def open_streams(self) -> int:
        return sum(self._per_org.values())

    @contextlib.contextmanager
    def open(self, *, organization_id: str, mode: str) -> Iterator[asyncio.Event]:
        """An open stream's wake-up; TooManyStreams past the organization's cap."""
        if self._per_org[organization_id] >= self.per_organization:
            raise TooManyStreams(self.per_organization)
        wake = asyncio.Event()
        key = (organization_id, mode)
        self._wakes[key].add(wake)
        self._per_org[organization_id] += 1
        try:
            yield wake
        finally:
            self._per_org[organization_id] -= 1
            if not self._per_org[organization_id]:
                del self._per_org[organization_id]
            self._wakes[key].discard(wake)
            if not self._wakes[key]:
                del self._wakes[key]

    def _notified(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        organization_id, _, mode = payload.partition(" ")
        for wake in self._wakes.get((organization_id, mode), ()):
            wake.set()

    def wake_all(self) -> None:
        for wakes in self._wakes.values():
            for wake in wakes:
                wake.set()

    def close(self) -> None:
        """Graceful shutdown: every stream ends (its client reconnects to another replica)."""
        self.closing.set()
        self.wake_all()

    async def listen(self) -> None:
        while True:
            try:
                conn = await connect(self.dsn, schema=self.schema, app_name="stacknex-event-stream")
                closed = asyncio.Event()
                conn.add_termination_listener(lambda *_, done=closed: done.set())
                try:
                    await conn.add_listener(channel(self.schema), self._notified)
                    # What was logged while no one listened is found by a read now.
                    self.wake_all()
                    while not closed.is_set():
                        try:
                            await asyncio.wait_for(closed.wait(), 30)
                        except TimeoutError:
                            # A heartbeat: a silently dead connection raises, and is replaced.
                            await conn.execute("SELECT 1")
                finally:
                    with contextlib.suppress(*TRANSIENT):
                        await conn.close(timeout=2)
            except TRANSIENT as exc:
                log.warning("event_stream.listen_failed", error=repr(exc))
                await asyncio.sleep(2)


STREAM_HUB = web.AppKey("stream_hub", StreamHub)


async def close_streams(app: web.Application) -> None:
    """`on_shutdown`, which runs before the runner waits for handlers: open streams end at
    once instead of holding the shutdown for its whole timeout."""
    app[STREAM_HUB].close()


async def stream_hub_ctx(app: web.Application) -> AsyncIterator[None]:
    task = asyncio.create_task(app[STREAM_HUB].listen(), name="event-stream-listener")
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
