"""Consuming the event stream: one durable quorum queue per consuming service.

A message is acked only after its effect has committed, and the effect's transaction
also records the event id, so a redelivered event is recognised and skipped. A message
that keeps failing is rejected to the dead-letter queue after `max_attempts`, logged and
counted, and the messages behind it carry on. Database or broker outages are not the
message's fault: those are requeued after a pause, without counting against it.
"""

import asyncio
import contextlib
import zlib
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

import aio_pika
import asyncpg
import structlog
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage, AbstractQueue

from libs.common.broker import DEAD_LETTER_EXCHANGE, Broker
from libs.common.events import Event
from libs.common.logging import get_logger
from libs.common.metrics import Metrics
from libs.common.publisher import TRANSIENT

log = get_logger(__name__)

# The effect of a batch's new events, in their order, in the batch's transaction (a lone
# message is a batch of one): the webhooks service logs a batch in one statement.
BatchHandler = Callable[[asyncpg.Connection, list[Event]], Awaitable[None]]
Handler = Callable[[asyncpg.Connection, Event], Awaitable[None]]


def one_by_one(handler: Handler) -> BatchHandler:
    """A batch handler that applies `handler` to each event in turn."""

    async def each(conn: asyncpg.Connection, events: list[Event]) -> None:
        for event in events:
            with structlog.contextvars.bound_contextvars(event_id=event.id, event_type=event.event):
                await handler(conn, event)

    return each


@dataclass(frozen=True)
class Subscription:
    """A consuming service's queue and the event types (routing keys) bound to it."""

    queue: str
    bindings: Sequence[str]
    # Bindings an earlier release declared and this one must drop: a durable queue keeps
    # its bindings across deploys, so narrowing them takes an explicit unbind.
    retired: Sequence[str] = ()

    @property
    def dead_letter_queue(self) -> str:
        return f"{self.queue}.dead-letter"


async def declare_topology(
    channel: AbstractChannel, broker: Broker, subscription: Subscription
) -> AbstractQueue:
    """Idempotent: run by `stacknex migrate` (so no event is published before its queue
    exists) and again by each consumer at start."""
    exchange = await broker.declare_events_exchange(channel)
    dlx = await channel.declare_exchange(
        DEAD_LETTER_EXCHANGE, aio_pika.ExchangeType.DIRECT, durable=True
    )
    dlq = await channel.declare_queue(
        subscription.dead_letter_queue, durable=True, arguments={"x-queue-type": "quorum"}
    )
    await dlq.bind(dlx, subscription.queue)
    queue = await channel.declare_queue(
        subscription.queue,
        durable=True,
        arguments={
            "x-queue-type": "quorum",
            "x-dead-letter-exchange": DEAD_LETTER_EXCHANGE,
            "x-dead-letter-routing-key": subscription.queue,
            # At-least-once dead-lettering: a poison message is never dropped on the way.
            "x-dead-letter-strategy": "at-least-once",
            "x-overflow": "reject-publish",
        },
    )
    for key in subscription.bindings:
        await queue.bind(exchange, key)
    for key in subscription.retired:
        await queue.unbind(exchange, key)  # a no-op when the binding is already gone
    return queue


class Consumer:
    """Takes a queue's messages in batches: whatever has arrived when the last batch is done
    (up to `batch_size`) commits in one transaction, with one statement recording every
    event id. A sale's events cost the inventory and the webhooks service a transaction
    each (BEGIN, the id, COMMIT: 15 of a sale's ~64 statements); under load a batch shares
    them, and when idle a batch is the one message there is, so nothing waits for company.

    Messages go to `lanes` by stream: a lane's batches run one after another, so a stream's
    events are applied in the order they arrived; the lanes run side by side. A batch that
    fails rolls back whole, and its messages are then applied one by one, each in its own
    transaction: only the message that cannot be applied counts an attempt."""

    def __init__(
        self,
        *,
        subscription: Subscription,
        pool: asyncpg.Pool,
        broker: Broker,
        handler: BatchHandler,
        metrics: Metrics,
        max_attempts: int = 5,
        prefetch: int = 64,
        lanes: int = 4,
        batch_size: int = 32,
        # Pause before requeueing after an outage, so a down database is not hammered.
        transient_backoff: float = 1.0,
    ) -> None:
        self.subscription = subscription
        self.pool = pool
        self.broker = broker
        self.handler = handler
        self.metrics = metrics
        self.max_attempts = max_attempts
        self.prefetch = prefetch
        self.batch_size = batch_size
        self.transient_backoff = transient_backoff
        self._channel: AbstractChannel | None = None
        self._queue: AbstractQueue | None = None
        self._tag: str | None = None
        self._lanes = [_Lane() for _ in range(lanes)]
        self._stopping = False

    @property
    def name(self) -> str:
        return self.subscription.queue

    async def start(self) -> None:
        self._stopping = False
        for lane in self._lanes:
            lane.task = asyncio.create_task(self._run(lane), name=f"consumer-{self.name}")
        self._channel = await self.broker.connection.channel()
        await self._channel.set_qos(prefetch_count=self.prefetch)
        self._queue = await declare_topology(self._channel, self.broker, self.subscription)
        self._tag = await self._queue.consume(self._on_message)

    async def stop(self, timeout: float = 20.0) -> None:
        """Takes no new messages, lets those taken finish (or be redelivered later)."""
        if self._queue is not None and self._tag is not None:
            with contextlib.suppress(*TRANSIENT):
                await self._queue.cancel(self._tag)
        self._stopping = True
        tasks = [lane.task for lane in self._lanes if lane.task is not None]
        for lane in self._lanes:
            lane.wake.set()
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=timeout)
            for task in late:  # unacked: the broker redelivers them to another consumer
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        if self._channel is not None:
            with contextlib.suppress(*TRANSIENT):
                await self._channel.close()

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        stream = str((message.headers or {}).get("x-stream-id") or message.message_id or "")
        lane = self._lanes[zlib.crc32(stream.encode()) % len(self._lanes)]
        lane.inbox.append(message)
        lane.wake.set()

    async def _run(self, lane: "_Lane") -> None:
        while True:
            if not lane.inbox:
                if self._stopping:
                    return
                lane.wake.clear()
                await lane.wake.wait()
                continue
            size = min(len(lane.inbox), self.batch_size)
            batch = [lane.inbox.popleft() for _ in range(size)]
            try:
                await self._process_batch(batch)
            except Exception:
                # A bug here must not end the lane: its messages stay unacked and come back
                # when the channel does; the lane carries on with the next.
                log.exception("consumer.batch_failed", consumer=self.name, size=len(batch))

    async def _process_batch(self, messages: list[AbstractIncomingMessage]) -> None:
        batch: list[tuple[AbstractIncomingMessage, Event]] = []
        for message in messages:
            try:
                batch.append((message, Event.model_validate_json(message.body)))
            except ValueError as exc:
                await self._dead_letter(message, reason=f"unreadable event: {exc}")
        if len(batch) == 1:
            await self._process(*batch[0])
            return
        if not batch:
            return
        try:
            applied = await self._apply_many([event for _, event in batch])
        except TRANSIENT as exc:
            log.warning("consumer.transient_failure", consumer=self.name, error=repr(exc))
            self.metrics.events_consumed.labels(self.name, "retried").inc(len(batch))
            await asyncio.sleep(self.transient_backoff)
            for message, _ in batch:
                await self._settle(message.nack(requeue=True))
            return
        except Exception:
            # One of them cannot be applied, and nothing of the batch was: alone, each
            # either commits or counts an attempt of its own.
            for message, event in batch:
                await self._process(message, event)
            return
        for (message, _), first_time in zip(batch, applied, strict=True):
            self.metrics.events_consumed.labels(
                self.name, "processed" if first_time else "duplicate"
            ).inc()
            await self._settle(message.ack())

    async def _apply_many(self, events: list[Event]) -> list[bool]:
        async with self.pool.acquire() as conn, conn.transaction():
            new = {
                row["event_id"]
                for row in await conn.fetch(
                    "INSERT INTO processed_events (consumer, event_id)"
                    " SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING RETURNING event_id",
                    self.name,
                    [event.id for event in events],
                )
            }
            applied = []
            for event in events:
                applied.append(event.id in new)
                new.discard(event.id)  # a redelivered copy in the same batch is a duplicate
            await self.handler(conn, [e for e, first in zip(events, applied, strict=True) if first])
            return applied

    async def _process(self, message: AbstractIncomingMessage, event: Event) -> None:
        with structlog.contextvars.bound_contextvars(event_id=event.id, event_type=event.event):
            try:
                applied = await self._apply(event)
            except TRANSIENT as exc:
                log.warning("consumer.transient_failure", consumer=self.name, error=repr(exc))
                self.metrics.events_consumed.labels(self.name, "retried").inc()
                await asyncio.sleep(self.transient_backoff)
                await self._settle(message.nack(requeue=True))
            except Exception as exc:
                await self._on_failure(message, exc)
            else:
                self.metrics.events_consumed.labels(
                    self.name, "processed" if applied else "duplicate"
                ).inc()
                await self._settle(message.ack())

    async def _apply(self, event: Event) -> bool:
        [first_time] = await self._apply_many([event])
        return first_time

    async def _on_failure(self, message: AbstractIncomingMessage, exc: Exception) -> None:
        # Quorum queues count redeliveries in x-delivery-count (absent on the first).
        attempt = int(str((message.headers or {}).get("x-delivery-count") or 0)) + 1
        if attempt >= self.max_attempts:
            await self._dead_letter(message, reason=repr(exc), attempts=attempt)
            return
        log.warning("consumer.failed", consumer=self.name, attempt=attempt, error=repr(exc))
        self.metrics.events_consumed.labels(self.name, "failed").inc()
        await self._settle(message.nack(requeue=True))

    async def _dead_letter(
        self, message: AbstractIncomingMessage, *, reason: str, attempts: int = 1
    ) -> None:
        log.error(
            "consumer.dead_lettered",
            consumer=self.name,
            message_id=message.message_id,
            attempts=attempts,
            reason=reason,
            dead_letter_queue=self.subscription.dead_letter_queue,
        )
        self.metrics.events_dead_lettered.labels(self.name).inc()
        await self._settle(message.reject(requeue=False))

    @staticmethod
    async def _settle(result: Awaitable[None]) -> None:
        # If the channel died meanwhile the broker redelivers the message: nothing to do.
        with contextlib.suppress(*TRANSIENT, RuntimeError):
            await result


@dataclass
class _Lane:
    inbox: deque[AbstractIncomingMessage] = field(default_factory=deque)
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    task: "asyncio.Task[None] | None" = None
