"""RabbitMQ: one robust connection per process, the events exchange and the dead-letter
exchange, and the wire format of an event message."""

import aio_pika
from aio_pika.abc import AbstractExchange, AbstractRobustConnection

from libs.common import jsoncodec
from libs.common.events import StoredEvent

DEAD_LETTER_EXCHANGE = "stacknex.dead-letter"


def event_message(event: StoredEvent, *, source: str) -> aio_pika.Message:
    return aio_pika.Message(
        body=jsoncodec.dumps(event.envelope().dump()),
        content_type="application/json",
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        message_id=event.id,
        type=event.type,
        timestamp=event.occurred_at,
        headers={
            "x-stream-id": event.stream_id,
            "x-stream-version": event.version,
            "x-source": source,
        },
    )


class Broker:
    """Owns the process's connection; aio-pika's robust connection re-opens it, and the
    channels, exchanges, queues and consumers declared on it, after a broker restart."""

    def __init__(self, *, url: str, exchange: str) -> None:
        self.url = url
        self.exchange_name = exchange
        self._connection: AbstractRobustConnection | None = None

    async def connect(self) -> None:
        self._connection = await aio_pika.connect_robust(self.url)

    @property
    def connection(self) -> AbstractRobustConnection:
        if self._connection is None:
            raise RuntimeError("broker is not connected")
        return self._connection

    @property
    def is_connected(self) -> bool:
        # `connected` is cleared while the robust connection is re-establishing its transport.
        connection = self._connection
        return connection is not None and connection.connected.is_set() and not connection.is_closed

    async def declare_events_exchange(
        self, channel: aio_pika.abc.AbstractChannel
    ) -> AbstractExchange:
        return await channel.declare_exchange(
            self.exchange_name, aio_pika.ExchangeType.TOPIC, durable=True
        )

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()
            self._connection = None
