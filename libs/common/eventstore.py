"""The event store: streams appended with an expected version, read models updated and
the outbox filled in the same transaction.

Callers own the transaction so that a command's checks, its append and its read models
commit or fail together:

    async with pool.acquire() as conn, conn.transaction():
        stored = await store.append(conn, stream_id=..., expected_version=3, events=[...])
"""

from collections.abc import Sequence
from typing import Protocol

import asyncpg

from libs.common.clock import utcnow
from libs.common.events import NewEvent, StoredEvent
from libs.common.metrics import Metrics


class ConcurrencyError(Exception):
    """The stream moved on since the caller read it (HTTP: 409 VERSION_CONFLICT)."""

    def __init__(self, stream_id: str, expected: int, actual: int) -> None:
        super().__init__(f"stream {stream_id} is at version {actual}, not {expected}")
        self.stream_id = stream_id
        self.expected = expected
        self.actual = actual


class Projector(Protocol):
    """Keeps a service's read models; `tables` are what a rebuild empties first. A projector
    may say `whole_states = True`: each of its events carries its resource's whole state,
    so of an append's events only the last is applied."""

    tables: Sequence[str]

    async def apply(self, conn: asyncpg.Connection, event: StoredEvent) -> None: ...


def outbox_channel(schema: str) -> str:
    """The LISTEN/NOTIFY channel that wakes this schema's publisher after a commit."""
    return f"stacknex_outbox_{schema}"


_COLUMNS = (
    "position, id, stream_id, version, type, data, organization_id, mode, occurred_at, metadata"
)


def _stored(row: asyncpg.Record, skip: Sequence[str] = ()) -> StoredEvent:
    return StoredEvent(**{k: v for k, v in row.items() if k not in skip})


# The stream's version checked and the events inserted in one statement; `inserted` is
# empty when the check fails, and the outer join still returns the version found.
_APPEND = f"""
WITH current AS (
    SELECT coalesce(max(version), 0) AS version FROM events WHERE stream_id = $1
), inserted AS (
    INSERT INTO events (id, stream_id, version, type, data, organization_id, mode, occurred_at,
                        metadata)
    SELECT e.id, $1, $2 + e.n, e.type, e.data, e.org, e.mode, $3, e.meta
    FROM unnest($4::text[], $5::text[], $6::jsonb[], $7::text[], $8::text[], $9::jsonb[])
         WITH ORDINALITY AS e(id, type, data, org, mode, meta, n), current
    WHERE current.version = $2
    RETURNING {_COLUMNS}
), queued AS (
    INSERT INTO outbox (position) SELECT position FROM inserted WHERE id <> ALL($10::text[])
    RETURNING position
)
SELECT inserted.*, (SELECT version FROM current) AS current_version,
       (SELECT pg_notify($11, '') FROM queued LIMIT 1) IS NOT NULL AS notified
FROM (SELECT 1) AS one LEFT JOIN inserted ON true
"""


class EventStore:
    def __init__(
        self, *, schema: str, projector: Projector | None = None, metrics: Metrics | None = None
    ) -> None:
        self.schema = schema
        self.projector = projector
        self.metrics = metrics
        self._channel = outbox_channel(schema)

    async def append(
        self,
        conn: asyncpg.Connection,
        *,
        stream_id: str,
        expected_version: int,
        events: Sequence[NewEvent],
    ) -> list[StoredEvent]:
        """Appends after `expected_version` (0: a new stream). Must run in a transaction.

        On ConcurrencyError the transaction is failed, as after any refused statement: the
        caller rolls back and, if it wants, tries again from a fresh read."""
        if not conn.is_in_transaction():
            raise RuntimeError("EventStore.append must run inside a transaction")
        if not events:
            return []
        try:
            # One round trip: the version check, the events, their outbox rows and the
            # publisher's wake-up (delivered at commit). It was six (a version query, a
            # savepoint around the insert, the outbox, the notify): on a two-core machine
            # the write path spent a third of its CPU in loopback round trips.
            rows = await conn.fetch(
                _APPEND,
                stream_id,
                expected_version,
                utcnow(),
                [e.id for e in events],
                [e.type for e in events],
                [e.data for e in events],
                [e.organization_id for e in events],
                [e.mode for e in events],
                [e.metadata for e in events],
                # Private events (e.g. one carrying a key hash) stay in the store, off the bus.
                [e.id for e in events if not e.publish],
                self._channel,
            )
        except asyncpg.UniqueViolationError as exc:
            if exc.constraint_name != "events_stream_version_key":
                raise
            # Another writer committed this version while we waited on its row lock.
            raise ConcurrencyError(stream_id, expected_version, expected_version + 1) from exc
        if rows[0]["position"] is None:
            raise ConcurrencyError(stream_id, expected_version, rows[0]["current_version"])
        stored = sorted(
            (_stored(row, skip=("current_version", "notified")) for row in rows),
            key=lambda e: e.version,
        )
        if self.projector is not None:
            # A projector whose events each carry the whole state after them needs only the
            # last of an append (all of one stream): a sale's two events, one projection.
            latest = getattr(self.projector, "whole_states", False)
            for event in stored[-1:] if latest else stored:
                await self.projector.apply(conn, event)
        if self.metrics is not None:
            for event in stored:
                self.metrics.events_appended.labels(type=event.type).inc()
        return stored

    async def lock_stream(self, conn: asyncpg.Connection, *, stream_id: str) -> None:
        """Queues writers of one stream behind each other until commit. Optimistic
        concurrency stays the guarantee; this only spares concurrent writers of one
        aggregate from failing and retrying against each other."""
        await conn.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", f"{self.schema}:{stream_id}"
        )

    async def lock_streams(self, conn: asyncpg.Connection, *, stream_ids: Sequence[str]) -> None:
        """`lock_stream` for many streams in one round trip, in the order given: callers pass
        them sorted, so two transactions locking overlapping sets never deadlock."""
        await conn.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(k, 0))"
            " FROM unnest($1::text[]) WITH ORDINALITY AS s(k, n) ORDER BY n",
            [f"{self.schema}:{stream_id}" for stream_id in stream_ids],
        )

    async def read_last_many(
        self, conn: asyncpg.Connection, *, stream_ids: Sequence[str]
    ) -> dict[str, StoredEvent]:
        """`read_last` of many streams in one round trip (an order's 500 items)."""
        rows = await conn.fetch(
            f"SELECT DISTINCT ON (stream_id) {_COLUMNS} FROM events"
            " WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, version DESC",
            list(stream_ids),
        )
        return {row["stream_id"]: _stored(row) for row in rows}

    async def stream_version(self, conn: asyncpg.Connection, *, stream_id: str) -> int:
        version = await conn.fetchval(
            "SELECT coalesce(max(version), 0) FROM events WHERE stream_id = $1", stream_id
        )
        return int(version)

    async def read_stream(
        self, conn: asyncpg.Connection, *, stream_id: str, after_version: int = 0
    ) -> list[StoredEvent]:
        rows = await conn.fetch(
            f"SELECT {_COLUMNS} FROM events WHERE stream_id = $1 AND version > $2 ORDER BY version",
            stream_id,
            after_version,
        )
        return [_stored(row) for row in rows]

    async def read_last(self, conn: asyncpg.Connection, *, stream_id: str) -> StoredEvent | None:
        """The newest event of a stream: all an aggregate needs when, as here, each event
        carries the whole state after it."""
        row = await conn.fetchrow(
            f"SELECT {_COLUMNS} FROM events WHERE stream_id = $1 ORDER BY version DESC LIMIT 1",
            stream_id,
        )
        return _stored(row) if row is not None else None

    async def read_all(
        self, conn: asyncpg.Connection, *, after_position: int = 0, limit: int = 1000
    ) -> list[StoredEvent]:
        rows = await conn.fetch(
            f"SELECT {_COLUMNS} FROM events WHERE position > $1 ORDER BY position LIMIT $2",
            after_position,
            limit,
        )
        return [_stored(row) for row in rows]

    async def rebuild(self, conn: asyncpg.Connection, *, batch: int = 1000) -> int:
        """Empties the read models and replays every event through the projector.

        One transaction: readers see the old models or the new, never a half-built one. An
        append racing the rebuild blocks on the read-model tables (TRUNCATE's lock) after its
        event row is written, so it is either replayed here or applied after: never lost.
        """
        if self.projector is None:
            return 0
        replayed = 0
        async with conn.transaction():
            if self.projector.tables:
                tables = ", ".join(f'"{t}"' for t in self.projector.tables)
                await conn.execute(f"TRUNCATE {tables}")
            position = 0
            while events := await self.read_all(conn, after_position=position, limit=batch):
                for event in events:
                    await self.projector.apply(conn, event)
                position = events[-1].position
                replayed += len(events)
        return replayed
