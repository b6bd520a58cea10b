"""Consumers against the real PostgreSQL and RabbitMQ: idempotency, poison messages."""

import asyncio
import subprocess
from collections.abc import AsyncIterator
from urllib.parse import unquote, urlsplit

import aio_pika
import asyncpg
import pytest

from libs.common import jsoncodec
from libs.common.broker import Broker
from libs.common.clock import utcnow
from libs.common.consumer import Consumer, Subscription, one_by_one
from libs.common.events import Event
from libs.common.ids import new_id
from libs.common.metrics import Metrics
from tests.conftest import AMQP_URL, unique, until


@pytest.fixture
async def effects(pool: asyncpg.Pool) -> asyncpg.Pool:
    await pool.execute("CREATE TABLE effects (event_id text NOT NULL, n int NOT NULL)")
    return pool


@pytest.fixture
async def subscription(broker: Broker) -> AsyncIterator[Subscription]:
    subscription = Subscription(queue=unique("test.consumer"), bindings=("order.*",))
    yield subscription
    channel = await broker.connection.channel()
    await channel.queue_delete(subscription.queue)
    await channel.queue_delete(subscription.dead_letter_queue)
    await channel.close()


async def apply_effect(conn: asyncpg.Connection, event: Event) -> None:
    if event.data.get("poison"):
        raise ValueError("this event can never be applied")
    await conn.execute(
        "INSERT INTO effects (event_id, n) VALUES ($1, $2)", event.id, event.data["n"]
    )


def _message(event_type: str = "order.created", **data: object) -> aio_pika.Message:
    event = Event(
        id=new_id("evt"),
        event=event_type,
        timestamp=utcnow(),
        organization_id="org_1",
        mode="live",
        data=data,
    )
    return aio_pika.Message(
        jsoncodec.dumps(event.dump()),
        message_id=event.id,
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        headers={"x-stream-id": "ord_1"},
    )


async def _publish(broker: Broker, *messages: aio_pika.Message, key: str = "order.created") -> None:
    channel = await broker.connection.channel(publisher_confirms=True)
    exchange = await broker.declare_events_exchange(channel)
    for message in messages:
        await exchange.publish(message, key)
    await channel.close()


def _consumer(
    subscription: Subscription, effects: asyncpg.Pool, broker: Broker, metrics: Metrics
) -> Consumer:
    return Consumer(
        subscription=subscription,
        pool=effects,
        broker=broker,
        handler=one_by_one(apply_effect),
        metrics=metrics,
        max_attempts=3,
        transient_backoff=0.1,
    )


async def test_redelivered_event_takes_effect_once(
    subscription: Subscription, effects: asyncpg.Pool, broker: Broker, metrics: Metrics
) -> None:
    consumer = _consumer(subscription, effects, broker, metrics)
    await consumer.start()
    try:
        message = _message(n=1)
        twin = aio_pika.Message(
            message.body, message_id=message.message_id, headers=message.headers
        )
        await _publish(broker, message, twin)
        await until(
            lambda: (
                metrics.events_consumed.labels(subscription.queue, "duplicate")._value.get() == 1
            ),
            what="the duplicate to be seen",
        )
    finally:
        await consumer.stop()
    assert await effects.fetchval("SELECT count(*) FROM effects") == 1


async def test_poison_message_is_dead_lettered_and_the_ones_behind_it_are_processed(
    subscription: Subscription, effects: asyncpg.Pool, broker: Broker, metrics: Metrics
) -> None:
    consumer = _consumer(subscription, effects, broker, metrics)
    await consumer.start()
    try:
        poison = _message(poison=True)
        await _publish(broker, poison, *(_message(n=i) for i in range(20)))
        await until(
            lambda: effects.fetchval("SELECT count(*) = 20 FROM effects"), what="the 20 good events"
        )
        await until(
            lambda: metrics.events_dead_lettered.labels(subscription.queue)._value.get() == 1,
            what="the poison message to be dead-lettered",
        )
    finally:
        await consumer.stop()
    channel = await broker.connection.channel()
    dead_letters = await channel.declare_queue(subscription.dead_letter_queue, passive=True)
    dead: list[aio_pika.abc.AbstractIncomingMessage] = []

    async def fetch() -> bool:
        message = await dead_letters.get(fail=False)
        if message is not None:
            dead.append(message)
            await message.ack()
        return bool(dead)

    await until(fetch, what="the dead-letter queue to hold the poison message")
    assert dead[0].message_id == poison.message_id
    assert metrics.events_consumed.labels(subscription.queue, "failed")._value.get() == 2
    await channel.close()


async def test_a_burst_is_applied_in_batches_once_each_in_stream_order(
    subscription: Subscription, effects: asyncpg.Pool, broker: Broker, metrics: Metrics
) -> None:
    await effects.execute(
        "CREATE TABLE applied (seq bigserial, stream text, n int, tx bigint, event_id text)"
    )

    async def note(conn: asyncpg.Connection, event: Event) -> None:
        await conn.execute(
            "INSERT INTO applied (stream, n, tx, event_id) VALUES ($1, $2, txid_current(), $3)",
            event.data["stream"],
            event.data["n"],
            event.id,
        )

    messages = []
    for n in range(200):
        message = _message(n=n, stream=f"ord_{n % 5}")
        message.headers = {"x-stream-id": f"ord_{n % 5}"}
        messages.append(message)
    # Published before the consumer starts: they wait in the queue and arrive together.
    consumer = Consumer(
        subscription=subscription,
        pool=effects,
        broker=broker,
        handler=one_by_one(note),
        metrics=metrics,
    )
    await consumer.start()
    await consumer.stop()
    await _publish(broker, *messages)
    await consumer.start()
    try:
        await until(
            lambda: effects.fetchval("SELECT count(*) = 200 FROM applied"), what="200 events"
        )
    finally:
        await consumer.stop()
    rows = await effects.fetch("SELECT stream, n, tx, event_id FROM applied ORDER BY seq")
    assert sorted(r["event_id"] for r in rows) == sorted(m.message_id for m in messages)
    for stream in {r["stream"] for r in rows}:
        seen = [r["n"] for r in rows if r["stream"] == stream]
        assert seen == sorted(seen), f"{stream} applied out of order"
    # Batched: far fewer transactions than events (one per event before).
    assert len({r["tx"] for r in rows}) < 100


async def test_unreadable_message_goes_straight_to_the_dead_letter_queue(
    subscription: Subscription, effects: asyncpg.Pool, broker: Broker, metrics: Metrics
) -> None:
    consumer = _consumer(subscription, effects, broker, metrics)
    await consumer.start()
    try:
        await _publish(broker, aio_pika.Message(b"{not json", message_id="junk"), _message(n=7))
        await until(
            lambda: effects.fetchval("SELECT count(*) = 1 FROM effects"), what="the good event"
        )
        await until(
            lambda: metrics.events_dead_lettered.labels(subscription.queue)._value.get() == 1,
            what="the junk to be dead-lettered",
        )
    finally:
        await consumer.stop()


async def test_a_database_outage_is_retried_not_dead_lettered(
    subscription: Subscription,
    database_url: str,
    schema: str,
    effects: asyncpg.Pool,
    broker: Broker,
    metrics: Metrics,
) -> None:
    consumer = _consumer(subscription, effects, broker, metrics)
    await consumer.start()
    observer = await asyncpg.connect(database_url, server_settings={"search_path": schema})
    try:
        # Kill every pooled connection, as a database restart does: transient for the consumer.
        await observer.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND application_name = 'stacknex'"
        )
        await _publish(broker, *(_message(n=i) for i in range(5)))
        await until(
            lambda: observer.fetchval("SELECT count(*) = 5 FROM effects"),
            what="all five events after the connections died",
        )
    finally:
        await consumer.stop()
        await observer.close()
    assert metrics.events_dead_lettered.labels(subscription.queue)._value.get() == 0


def _vhost() -> str:
    """The suite's vhost (STACKNEX_TEST_AMQP_URL may name another than `stacknex_test`)."""
    return unquote(urlsplit(AMQP_URL).path.lstrip("/")) or "/"


async def test_consumer_survives_the_broker_closing_its_connection(
    subscription: Subscription, effects: asyncpg.Pool, broker: Broker, metrics: Metrics
) -> None:
    consumer = _consumer(subscription, effects, broker, metrics)
    await consumer.start()
    try:
        await _publish(broker, _message(n=1))
        await until(lambda: effects.fetchval("SELECT count(*) = 1 FROM effects"), what="first")
        # As a broker restart looks from the client: the server drops every connection.
        await asyncio.to_thread(
            subprocess.run,
            ["rabbitmqctl", "-q", "close_all_connections", "-p", _vhost(), "test"],
            check=True,
            capture_output=True,
        )
        await until(lambda: broker.is_connected, timeout=30, what="reconnect")

        async def delivered_after_reconnect() -> bool:
            if await effects.fetchval("SELECT count(*) FROM effects WHERE n = 2") == 0:
                try:
                    await _publish(broker, _message(n=2))
                except (aio_pika.exceptions.AMQPError, RuntimeError):
                    return False
            return bool(await effects.fetchval("SELECT count(*) FROM effects WHERE n = 2"))

        await until(delivered_after_reconnect, timeout=30, what="an event after reconnect")
    finally:
        await consumer.stop()
