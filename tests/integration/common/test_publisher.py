"""The outbox relay against the real PostgreSQL and RabbitMQ."""

import asyncio
import contextlib
import random
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable

import asyncpg
import pytest

from libs.common import jsoncodec
from libs.common.broker import Broker
from libs.common.events import NewEvent
from libs.common.eventstore import ConcurrencyError, EventStore
from libs.common.metrics import Metrics
from libs.common.publisher import OutboxPublisher
from tests.conftest import Collector, until


def _publisher(
    database_url: str,
    schema: str,
    broker: Broker,
    metrics: Metrics,
    cls: type[OutboxPublisher] = OutboxPublisher,
    **options: float,
) -> OutboxPublisher:
    return cls(dsn=database_url, schema=schema, broker=broker, metrics=metrics, **options)


@contextlib.asynccontextmanager
async def running(publisher: OutboxPublisher) -> AsyncIterator[asyncio.Task[None]]:
    task = asyncio.create_task(publisher.run())
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task


async def _append_with_delayed_commit(
    pool: asyncpg.Pool, store: EventStore, stream: str, n: int
) -> None:
    while True:
        try:
            async with pool.acquire() as conn, conn.transaction():
                version = await store.stream_version(conn, stream_id=stream)
                await store.append(
                    conn,
                    stream_id=stream,
                    expected_version=version,
                    events=[NewEvent(type="test.appended", data={"n": n})],
                )
                # Hold the transaction open after the position is taken, so that commits
                # land out of position order across streams.
                await conn.execute("SELECT pg_sleep($1)", random.uniform(0, 0.05))
            return
        except ConcurrencyError:
            continue


async def test_concurrent_appenders_with_delayed_commits_publish_each_event_once_in_stream_order(
    database_url: str,
    schema: str,
    pool: asyncpg.Pool,
    broker: Broker,
    metrics: Metrics,
    collector: Collector,
) -> None:
    store = EventStore(schema=schema)
    async with running(_publisher(database_url, schema, broker, metrics, batch_size=7)):
        await asyncio.gather(
            *(_append_with_delayed_commit(pool, store, f"stream-{i % 6}", i) for i in range(240))
        )
        await until(lambda: len(collector.messages) >= 240, what="240 published events")
        # Let any stray duplicate arrive before judging "exactly once".
        await until(lambda: pool.fetchval("SELECT count(*) = 0 FROM outbox"), what="empty outbox")
    stored = await pool.fetch("SELECT id, stream_id, version FROM events")
    assert sorted(collector.ids) == sorted(r["id"] for r in stored)  # none lost, none twice
    versions: dict[str, list[int]] = defaultdict(list)
    for message in collector.messages:
        assert message.headers is not None
        versions[str(message.headers["x-stream-id"])].append(
            int(message.headers["x-stream-version"])
        )
    for stream, seen in versions.items():
        assert seen == list(range(1, len(seen) + 1)), f"{stream} out of order: {seen}"


async def test_a_batch_published_at_once_arrives_in_position_order(
    database_url: str,
    schema: str,
    pool: asyncpg.Pool,
    broker: Broker,
    metrics: Metrics,
    collector: Collector,
) -> None:
    # Written before the relay starts, so one drain sends all 300 and awaits their confirms
    # together: the frames must still leave, and arrive, in the outbox's order.
    store = EventStore(schema=schema)
    async with pool.acquire() as conn, conn.transaction():
        for n in range(300):
            await store.append(
                conn,
                stream_id=f"s-{n % 7}",
                expected_version=n // 7,
                events=[NewEvent(type="test.appended", data={"n": n})],
            )
    async with running(_publisher(database_url, schema, broker, metrics, batch_size=500)):
        await until(lambda: len(collector.messages) >= 300, what="300 published events")
    arrived = [jsoncodec.loads(m.body)["data"]["n"] for m in collector.messages]
    assert arrived == list(range(300))


async def test_message_is_the_public_event_envelope(
    database_url: str,
    schema: str,
    pool: asyncpg.Pool,
    broker: Broker,
    metrics: Metrics,
    collector: Collector,
) -> None:
    store = EventStore(schema=schema)
    async with pool.acquire() as conn, conn.transaction():
        [event] = await store.append(
            conn,
            stream_id="prod_1",
            expected_version=0,
            events=[
                NewEvent(
                    type="product.created",
                    data={"id": "prod_1", "price": 4.99},
                    organization_id="org_1",
                    mode="test",
                )
            ],
        )
    async with running(_publisher(database_url, schema, broker, metrics)):
        await until(lambda: len(collector.messages) == 1, what="the event")
    message = collector.messages[0]
    assert message.routing_key == "product.created"
    assert message.message_id == event.id
    assert message.delivery_mode == 2  # persistent
    body = jsoncodec.loads(message.body)
    assert body == {
        "id": event.id,
        "event": "product.created",
        "timestamp": body["timestamp"],
        "organizationId": "org_1",
        "mode": "test",
        "data": {"id": "prod_1", "price": 4.99},
    }
    assert body["timestamp"].endswith("Z")
    assert metrics.events_published.labels(type="product.created")._value.get() == 1


class Crash(BaseException):
    """Stands for the process dying between the broker's confirm and the outbox delete."""


class CrashAfterPublishing(OutboxPublisher):
    async def _mark_published(self, conn: asyncpg.Connection, positions: list[int]) -> None:
        raise Crash()


async def test_publisher_killed_between_publishing_and_recording_loses_nothing(
    database_url: str,
    schema: str,
    pool: asyncpg.Pool,
    broker: Broker,
    metrics: Metrics,
    collector: Collector,
) -> None:
    store = EventStore(schema=schema)
    for i in range(20):
        async with pool.acquire() as conn, conn.transaction():
            await store.append(
                conn,
                stream_id=f"s{i}",
                expected_version=0,
                events=[NewEvent(type="test.appended", data={"i": i})],
            )
    doomed = _publisher(database_url, schema, broker, metrics, CrashAfterPublishing, batch_size=8)
    with pytest.raises(Crash):
        await asyncio.wait_for(doomed.run(), timeout=20)
    await until(lambda: len(collector.messages) >= 8, what="the first batch")
    assert await pool.fetchval("SELECT count(*) FROM outbox") == 20  # nothing recorded
    async with running(_publisher(database_url, schema, broker, metrics)):
        await until(lambda: pool.fetchval("SELECT count(*) = 0 FROM outbox"), what="drain")
        stored_ids = {r["id"] for r in await pool.fetch("SELECT id FROM events")}
        await until(lambda: set(collector.ids) >= stored_ids, what="every event")
    duplicates = len(collector.ids) - len(set(collector.ids))
    assert duplicates == 8  # the crashed batch, sent again: consumers dedupe by id


async def test_publisher_is_woken_by_the_commit_not_by_polling(
    database_url: str,
    schema: str,
    pool: asyncpg.Pool,
    broker: Broker,
    metrics: Metrics,
    collector: Collector,
) -> None:
    store = EventStore(schema=schema)
    # With a one-hour poll, only the commit's NOTIFY can bring the event out in time.
    async with running(_publisher(database_url, schema, broker, metrics, poll_interval=3600)):
        await until(_listening(pool, schema), what="LISTEN registered")
        for i in range(3):
            async with pool.acquire() as conn, conn.transaction():
                await store.append(
                    conn,
                    stream_id=f"w{i}",
                    expected_version=0,
                    events=[NewEvent(type="test.appended", data={})],
                )
            await until(
                lambda n=i + 1: len(collector.messages) == n,
                timeout=10,
                what=f"event {i + 1} without polling",
            )


def _listening(pool: asyncpg.Pool, schema: str) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return bool(
            await pool.fetchval(
                # Its first drain query runs right after LISTEN is registered.
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1"
                " AND query LIKE '%FROM outbox%'",
                f"stacknex-publisher-{schema}",
            )
        )

    return check


async def test_publisher_survives_its_database_connection_being_killed(
    database_url: str,
    schema: str,
    pool: asyncpg.Pool,
    broker: Broker,
    metrics: Metrics,
    collector: Collector,
) -> None:
    store = EventStore(schema=schema)
    async with running(_publisher(database_url, schema, broker, metrics, poll_interval=0.2)):
        await until(_listening(pool, schema), what="publisher connected")
        killed = await pool.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE application_name = $1",
            f"stacknex-publisher-{schema}",
        )
        assert killed == 1
        async with pool.acquire() as conn, conn.transaction():
            await store.append(
                conn,
                stream_id="after-kill",
                expected_version=0,
                events=[NewEvent(type="test.appended", data={})],
            )
        await until(lambda: len(collector.messages) == 1, what="event after reconnect")
