"""The event store against the real PostgreSQL."""

import asyncio
from collections.abc import Sequence

import asyncpg
import pytest

from libs.common.events import NewEvent, StoredEvent
from libs.common.eventstore import ConcurrencyError, EventStore
from libs.common.metrics import Metrics


class TallyProjector:
    """A read model of how many events each stream has seen, and their types."""

    tables: Sequence[str] = ("tally",)

    async def apply(self, conn: asyncpg.Connection, event: StoredEvent) -> None:
        if event.data.get("explode"):
            raise RuntimeError("projection failed")
        await conn.execute(
            "INSERT INTO tally (stream_id, count, types) VALUES ($1, 1, ARRAY[$2])"
            " ON CONFLICT (stream_id) DO UPDATE SET count = tally.count + 1,"
            " types = tally.types || $2",
            event.stream_id,
            event.type,
        )


@pytest.fixture
async def store(pool: asyncpg.Pool, metrics: Metrics) -> EventStore:
    await pool.execute(
        "CREATE TABLE tally (stream_id text PRIMARY KEY, count int NOT NULL, types text[])"
    )
    schema = await pool.fetchval("SELECT current_schema()")
    return EventStore(schema=schema, projector=TallyProjector(), metrics=metrics)


def _event(n: int = 0, **data: object) -> NewEvent:
    return NewEvent(
        type="thing.happened", data={"n": n, **data}, organization_id="org_x", mode="live"
    )


async def _append(
    pool: asyncpg.Pool, store: EventStore, stream: str, expected: int, *events: NewEvent
) -> list[StoredEvent]:
    async with pool.acquire() as conn, conn.transaction():
        return await store.append(
            conn, stream_id=stream, expected_version=expected, events=list(events)
        )


async def test_appends_number_versions_from_the_expected_one(
    pool: asyncpg.Pool, store: EventStore
) -> None:
    first = await _append(pool, store, "s1", 0, _event(1), _event(2))
    assert [e.version for e in first] == [1, 2]
    more = await _append(pool, store, "s1", 2, _event(3))
    assert [e.version for e in more] == [3]
    async with pool.acquire() as conn:
        history = await store.read_stream(conn, stream_id="s1")
    assert [e.data["n"] for e in history] == [1, 2, 3]
    assert history[0].organization_id == "org_x" and history[0].mode == "live"


async def test_concurrent_appends_to_one_stream_exactly_one_wins_per_version(
    pool: asyncpg.Pool, store: EventStore
) -> None:
    for version in range(5):
        outcomes = await asyncio.gather(
            *(_append(pool, store, "race", version, _event(i)) for i in range(10)),
            return_exceptions=True,
        )
        winners = [o for o in outcomes if isinstance(o, list)]
        losers = [o for o in outcomes if isinstance(o, ConcurrencyError)]
        assert len(winners) == 1, outcomes
        assert len(losers) == 9
        assert winners[0][0].version == version + 1
    async with pool.acquire() as conn:
        assert await store.stream_version(conn, stream_id="race") == 5


async def test_stale_or_future_expected_version_is_refused_and_leaves_no_gap(
    pool: asyncpg.Pool, store: EventStore
) -> None:
    await _append(pool, store, "s2", 0, _event())
    with pytest.raises(ConcurrencyError) as stale:
        await _append(pool, store, "s2", 0, _event())
    assert (stale.value.expected, stale.value.actual) == (0, 1)
    with pytest.raises(ConcurrencyError):
        await _append(pool, store, "s2", 5, _event())
    async with pool.acquire() as conn:
        assert [e.version for e in await store.read_stream(conn, stream_id="s2")] == [1]


async def test_read_model_is_updated_in_the_same_transaction(
    pool: asyncpg.Pool, store: EventStore
) -> None:
    await _append(pool, store, "s3", 0, _event(), _event())
    assert await pool.fetchval("SELECT count FROM tally WHERE stream_id = 's3'") == 2
    assert await pool.fetchval("SELECT count(*) FROM outbox") == 2


async def test_a_failing_projection_leaves_nothing_behind(
    pool: asyncpg.Pool, store: EventStore
) -> None:
    with pytest.raises(RuntimeError):
        await _append(pool, store, "s4", 0, _event(), _event(explode=True))
    assert await pool.fetchval("SELECT count(*) FROM events WHERE stream_id = 's4'") == 0
    assert await pool.fetchval("SELECT count(*) FROM outbox") == 0
    assert await pool.fetchval("SELECT count(*) FROM tally") == 0


async def test_append_outside_a_transaction_is_a_programming_error(
    pool: asyncpg.Pool, store: EventStore
) -> None:
    async with pool.acquire() as conn:
        with pytest.raises(RuntimeError, match="inside a transaction"):
            await store.append(conn, stream_id="s5", expected_version=0, events=[_event()])


async def test_rebuild_reproduces_the_live_read_model(
    pool: asyncpg.Pool, store: EventStore
) -> None:
    for i in range(30):
        stream = f"r{i % 7}"
        async with pool.acquire() as conn, conn.transaction():
            version = await store.stream_version(conn, stream_id=stream)
            await store.append(
                conn,
                stream_id=stream,
                expected_version=version,
                events=[NewEvent(type=f"t.{i % 3}", data={"i": i})],
            )
    live = await pool.fetch("SELECT * FROM tally ORDER BY stream_id")
    await pool.execute("UPDATE tally SET count = -1")  # damage it, as a bad deploy might
    async with pool.acquire() as conn:
        replayed = await store.rebuild(conn, batch=4)
    assert replayed == 30
    rebuilt = await pool.fetch("SELECT * FROM tally ORDER BY stream_id")
    assert [dict(r) for r in rebuilt] == [dict(r) for r in live]


async def test_appends_are_counted_in_metrics(
    pool: asyncpg.Pool, store: EventStore, metrics: Metrics
) -> None:
    await _append(pool, store, "s6", 0, _event(), _event())
    assert metrics.events_appended.labels(type="thing.happened")._value.get() == 2


async def test_a_whole_states_projector_applies_only_an_appends_last_event(
    pool: asyncpg.Pool, store: EventStore
) -> None:
    class Latest(TallyProjector):
        whole_states = True

    latest = EventStore(schema=store.schema, projector=Latest())
    await _append(pool, latest, "s1", 0, _event(1), _event(2), _event(3))
    row = await pool.fetchrow("SELECT count, types FROM tally WHERE stream_id = 's1'")
    assert row["count"] == 1
    async with pool.acquire() as conn:
        assert await latest.rebuild(conn) == 3  # a rebuild still replays every event
