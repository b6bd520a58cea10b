"""The use cases that change no endpoint but are recorded with their actor (the security
history, domain/actions.py): revealing its secret, a test event, a retry, a recovery."""

from datetime import datetime
from typing import Any

import asyncpg

from libs.common.clock import utcnow
from libs.common.events import Event, NewEvent
from libs.common.eventstore import EventStore
from libs.common.identity import Identity
from libs.common.ids import new_id
from libs.common.kit import load_owned
from libs.contract.deliveries import Recovered, WebhookTestQueued
from libs.contract.webhooks import WebhookSecret, WebhookTestRead
from services.webhooks.adapters import deliveries
from services.webhooks.adapters.secrets import SecretBox
from services.webhooks.domain import actions, endpoints
from services.webhooks.domain.endpoints import Endpoint
from services.webhooks.domain.errors import EventExpired
from services.webhooks.service import record


async def _mine(
    conn: asyncpg.Connection, *, store: EventStore, who: Identity, endpoint_id: str
) -> Endpoint:
    return await load_owned(conn, store=store, who=who, stream_id=endpoint_id, model=Endpoint)


async def _recorded(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    who: Identity,
    endpoint: Endpoint,
    kind: str,
    data: dict[str, Any] | None = None,
) -> None:
    """Appends the action to the endpoint's actions stream, in the caller's transaction: the
    action and its record commit together or not at all."""
    stream = actions.actions_stream(endpoint.id)
    # Two reveals at once queue up here instead of one failing on the stream's version.
    await store.lock_stream(conn, stream_id=stream)
    version = await store.stream_version(conn, stream_id=stream)
    event = NewEvent(
        type=kind,
        # The endpoint's URL as it was then: the history reads well after a URL change.
        data={"endpointId": endpoint.id, "url": endpoint.url, **(data or {})},
        publish=False,
        organization_id=who.organization_id,
        mode=who.mode,
        metadata={"actor": who.key_id},
    )
    await store.append(conn, stream_id=stream, expected_version=version, events=[event])


async def reveal(
    conn: asyncpg.Connection, *, store: EventStore, box: SecretBox, who: Identity, endpoint_id: str
) -> WebhookSecret:
    endpoint = await _mine(conn, store=store, who=who, endpoint_id=endpoint_id)
    await _recorded(conn, store=store, who=who, endpoint=endpoint, kind=actions.SECRET_REVEALED)
    return WebhookSecret(
        secret=box.open(endpoint.secret),
        previous_secret_expires_at=endpoint.previous_expires_at,
    )


async def send_test(
    conn: asyncpg.Connection, *, store: EventStore, who: Identity, endpoint_id: str
) -> WebhookTestQueued:
    endpoint = await _mine(conn, store=store, who=who, endpoint_id=endpoint_id)
    event = Event(
        id=new_id("evt"),
        event=endpoints.TEST_EVENT,
        timestamp=utcnow(),
        organization_id=who.organization_id,
        mode=who.mode,
        data=WebhookTestRead(
            webhook_id=endpoint.id, message="A test delivery from StackNex."
        ).dump(),
    )
    await record(conn, event=event)
    [delivery_id] = await deliveries.enqueue(
        conn,
        event_id=event.id,
        event_type=event.event,
        organization_id=who.organization_id,
        mode=who.mode,
        event_at=event.timestamp,
        endpoint_ids=[endpoint.id],
    )
    await _recorded(
        conn,
        store=store,
        who=who,
        endpoint=endpoint,
        kind=actions.TEST_SENT,
        data={"eventId": event.id, "deliveryId": delivery_id},
    )
    return WebhookTestQueued(event_id=event.id, delivery_id=delivery_id)


async def retry(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    who: Identity,
    endpoint_id: str,
    delivery_id: str,
) -> bool:
    """False if there is no such delivery; `EventExpired` if its event is gone."""
    endpoint = await _mine(conn, store=store, who=who, endpoint_id=endpoint_id)
    requeued = await deliveries.schedule_now(
        conn,
        where="id = $1 AND endpoint_id = $2 AND organization_id = $3 AND mode = $4",
        args=[delivery_id, endpoint_id, who.organization_id, who.mode],
    )
    if requeued.expired:
        raise EventExpired(requeued.expired[0][1])
    if not requeued.ids:
        return False
    await _recorded(
        conn,
        store=store,
        who=who,
        endpoint=endpoint,
        kind=actions.DELIVERY_RETRIED,
        data={"deliveryId": delivery_id},
    )
    return True


async def recover(
    conn: asyncpg.Connection, *, store: EventStore, who: Identity, endpoint_id: str, since: datetime
) -> Recovered:
    """Requeues the endpoint's failed deliveries since `since`; those whose event is gone
    are left failed and reported, so that one of them does not refuse all the others."""
    endpoint = await _mine(conn, store=store, who=who, endpoint_id=endpoint_id)
    requeued = await deliveries.schedule_now(
        conn,
        where="endpoint_id = $1 AND status = 'failed' AND created_at >= $2",
        args=[endpoint_id, since],
    )
    recovered = Recovered(
        requeued=len(requeued.ids), delivery_ids=requeued.ids, skipped=len(requeued.expired)
    )
    await _recorded(
        conn,
        store=store,
        who=who,
        endpoint=endpoint,
        kind=actions.DELIVERIES_RECOVERED,
        data={
            "since": since.isoformat().replace("+00:00", "Z"),
            "requeued": recovered.requeued,
            "skipped": recovered.skipped,
        },
    )
    return recovered
