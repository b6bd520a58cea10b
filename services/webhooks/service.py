"""The webhooks service's use cases: endpoints, what each consumed event sets off (its log
entry, `inventory.low`, its deliveries), and replays."""

from datetime import datetime
from typing import Any

import asyncpg

from libs.common import jsoncodec
from libs.common.clock import utcnow
from libs.common.events import Event, NewEvent
from libs.common.eventstore import EventStore
from libs.common.identity import Identity
from libs.common.ids import new_id
from services.webhooks.adapters import deliveries, stream
from services.webhooks.adapters.secrets import SecretBox
from services.webhooks.domain import endpoints, signing, thresholds
from services.webhooks.domain.errors import EndpointNotFound, EventExpired, StaleVersion

INVENTORY_LOW = "inventory.low"


async def _append(
    conn: asyncpg.Connection,
    store: EventStore,
    endpoint: endpoints.Endpoint,
    kind: str,
    changed: list[str] | None = None,
) -> None:
    await store.append(
        conn,
        stream_id=endpoint.id,
        expected_version=endpoint.version - 1,
        events=[
            NewEvent(
                type=kind,
                data=endpoint.state(),
                publish=False,
                organization_id=endpoint.organization_id,
                mode=endpoint.mode,
                metadata={"changedFields": changed} if changed else {},
            )
        ],
    )


async def load(
    conn: asyncpg.Connection, store: EventStore, who: Identity | None, endpoint_id: str
) -> endpoints.Endpoint:
    await store.lock_stream(conn, stream_id=endpoint_id)
    event = await store.read_last(conn, stream_id=endpoint_id)
    if event is None or (
        who is not None and (event.organization_id != who.organization_id or event.mode != who.mode)
    ):
        raise EndpointNotFound(endpoint_id)
    assert event.organization_id is not None and event.mode is not None
    endpoint = endpoints.from_state(
        event.data, organization_id=event.organization_id, mode=event.mode
    )
    if endpoint.deleted_at is not None:
        raise EndpointNotFound(endpoint_id)
    return endpoint


async def create(
    conn: asyncpg.Connection,
    store: EventStore,
    box: SecretBox,
    who: Identity,
    *,
    url: str,
    events: list[str],
    description: str | None,
    enabled: bool,
) -> tuple[endpoints.Endpoint, str]:
    secret = signing.new_secret()
    endpoint = endpoints.create(
        endpoint_id=new_id("we"),
        organization_id=who.organization_id,
        mode=who.mode,
        url=url,
        events=tuple(events),
        description=description,
        enabled=enabled,
        sealed_secret=box.seal(secret),
        now=utcnow(),
    )
    await _append(conn, store, endpoint, endpoints.ENDPOINT_CREATED)
    return endpoint, secret


async def change(
    conn: asyncpg.Connection,
    store: EventStore,
    who: Identity,
    *,
    endpoint_id: str,
    changes: dict[str, Any],
    expected: int | None,
) -> endpoints.Endpoint:
    endpoint = await load(conn, store, who, endpoint_id)
    if expected is not None and expected != endpoint.version:
        raise StaleVersion(endpoint.version)
    updated, changed = endpoints.update(endpoint, dict(changes), now=utcnow())
    if changed:
        await _append(conn, store, updated, endpoints.ENDPOINT_UPDATED, changed)
    return updated


async def delete(
    conn: asyncpg.Connection, store: EventStore, who: Identity, endpoint_id: str
) -> endpoints.Endpoint:
    endpoint = await load(conn, store, who, endpoint_id)
    deleted = endpoints.delete(endpoint, now=utcnow())
    await _append(conn, store, deleted, endpoints.ENDPOINT_DELETED)
    await conn.execute(
        "UPDATE deliveries SET status = 'failed', last_error = 'endpoint deleted'"
        " WHERE endpoint_id = $1 AND status = 'pending'",
        endpoint_id,
    )
    return deleted


async def rotate(
    conn: asyncpg.Connection,
    store: EventStore,
    box: SecretBox,
    who: Identity,
    *,
    endpoint_id: str,
    keep_old_for: float,
) -> tuple[endpoints.Endpoint, str]:
    endpoint = await load(conn, store, who, endpoint_id)
    secret = signing.new_secret()
    rotated = endpoints.rotate(
        endpoint, sealed_secret=box.seal(secret), keep_old_for=keep_old_for, now=utcnow()
    )
    await _append(conn, store, rotated, endpoints.SECRET_ROTATED)
    return rotated, secret


async def disable_endpoint(
    conn: asyncpg.Connection, store: EventStore, endpoint_id: str, *, reason: str
) -> None:
    endpoint = await load(conn, store, None, endpoint_id)
    if endpoint.enabled:
        await _append(
            conn,
            store,
            endpoints.disable(endpoint, reason=reason, now=utcnow()),
            endpoints.ENDPOINT_DISABLED,
        )


# What each event sets off


async def on_event(conn: asyncpg.Connection, store: EventStore, event: Event) -> bool:
    """An event of the stream: logged (the Events API reads it), watched for low stock, and
    fanned out to the endpoints that want it. True when it raised an `inventory.low`."""
    if not await record(conn, event):
        return False  # logged already: a redelivery
    low = event.event == "inventory.updated" and await watch_stock(conn, store, event)
    await fan_out(conn, event)
    return low


async def record(conn: asyncpg.Connection, event: Event) -> bool:
    """Logs the event with the exact bytes deliveries will carry; False if already logged.
    The same statement wakes the open event streams of the event's organization and mode in
    every replica (delivered at commit; adapters/stream.py listens)."""
    body = event.public()
    inserted = await conn.fetchval(
        "WITH logged AS (INSERT INTO event_log"
        " (id, type, organization_id, mode, occurred_at, body, payload)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING"
        " RETURNING organization_id, mode)"
        f" SELECT true FROM logged, pg_notify({stream.CHANNEL_SQL},"
        " coalesce(logged.organization_id, '') || ' ' || coalesce(logged.mode, ''))",
        event.id,
        event.event,
        event.organization_id,
        event.mode,
        event.timestamp,
        body,
        jsoncodec.dumps(body),
    )
    return bool(inserted)


async def fan_out(conn: asyncpg.Connection, event: Event) -> list[str]:
    if event.event not in endpoints.PUBLIC_EVENTS or event.organization_id is None:
        return []
    rows = await conn.fetch(
        "SELECT id FROM endpoints WHERE organization_id = $1 AND mode = $2 AND enabled"
        " AND deleted_at IS NULL AND (events @> ARRAY[$3] OR events @> ARRAY['*'])",
        event.organization_id,
        event.mode,
        event.event,
    )
    return await deliveries.enqueue(
        conn,
        event_id=event.id,
        event_type=event.event,
        organization_id=event.organization_id,
        mode=event.mode or "live",
        event_at=event.timestamp,
        endpoint_ids=[r["id"] for r in rows],
    )


async def watch_stock(conn: asyncpg.Connection, store: EventStore, event: Event) -> bool:
    """Turns a fall below an item's threshold into one `inventory.low` (our own event)."""
    data = event.data
    state = await conn.fetchrow(
        "SELECT low, version FROM low_stock_state WHERE item_id = $1 FOR UPDATE", data["id"]
    )
    if state is not None and state["version"] >= data["version"]:
        return False  # older than what was seen: it arrived late
    seen = thresholds.observe(data, was_low=state["low"] if state is not None else None)
    await conn.execute(
        "INSERT INTO low_stock_state (item_id, low, version) VALUES ($1, $2, $3)"
        " ON CONFLICT (item_id) DO UPDATE SET low = $2, version = $3",
        data["id"],
        seen.low,
        data["version"],
    )
    if not seen.fire:
        return False
    stream = f"low:{data['id']}"
    version = await store.stream_version(conn, stream_id=stream)
    await store.append(
        conn,
        stream_id=stream,
        expected_version=version,
        events=[
            NewEvent(
                type=INVENTORY_LOW,
                organization_id=event.organization_id,
                mode=event.mode,
                data={
                    "inventoryItemId": data["id"],
                    "productId": data["productId"],
                    "locationId": data["locationId"],
                    "available": data["available"],
                    "onHand": data["onHand"],
                    "lowStockThreshold": data["lowStockThreshold"],
                },
            )
        ],
    )
    return True


# Replays


async def send_test(
    conn: asyncpg.Connection, store: EventStore, who: Identity, endpoint_id: str
) -> tuple[str, str]:
    endpoint = await load(conn, store, who, endpoint_id)
    event = Event(
        id=new_id("evt"),
        event=endpoints.TEST_EVENT,
        timestamp=utcnow(),
        organization_id=who.organization_id,
        mode=who.mode,
        data={"webhookId": endpoint.id, "message": "A test delivery from StackNex."},
    )
    await record(conn, event)
    [delivery_id] = await deliveries.enqueue(
        conn,
        event_id=event.id,
        event_type=event.event,
        organization_id=who.organization_id,
        mode=who.mode,
        event_at=event.timestamp,
        endpoint_ids=[endpoint.id],
    )
    return event.id, delivery_id


async def retry(
    conn: asyncpg.Connection, who: Identity, *, endpoint_id: str, delivery_id: str
) -> bool:
    """False if there is no such delivery; `EventExpired` if its event is gone."""
    requeued = await deliveries.schedule_now(
        conn,
        where="id = $1 AND endpoint_id = $2 AND organization_id = $3 AND mode = $4",
        args=[delivery_id, endpoint_id, who.organization_id, who.mode],
    )
    if requeued.expired:
        raise EventExpired(requeued.expired[0][1])
    return bool(requeued.ids)


async def recover(
    conn: asyncpg.Connection, store: EventStore, who: Identity, *, endpoint_id: str, since: datetime
) -> deliveries.Requeued:
    """Requeues the endpoint's failed deliveries since `since`; those whose event is gone
    are left failed and reported, so that one of them does not refuse all the others."""
    await load(conn, store, who, endpoint_id)
    return await deliveries.schedule_now(
        conn,
        where="endpoint_id = $1 AND status = 'failed' AND created_at >= $2",
        args=[endpoint_id, since],
    )
