"""The webhooks service's use cases: endpoints, what each consumed event sets off (its log
entry, `inventory.low`, its deliveries). The recorded actions are in actions.py."""

from typing import Any

import asyncpg

from libs.common import jsoncodec
from libs.common.clock import utcnow
from libs.common.errors import NotFound
from libs.common.events import Event, NewEvent, StoredEvent
from libs.common.eventstore import EventStore
from libs.common.identity import Identity
from libs.common.ids import new_id
from libs.common.kit import load_owned
from libs.contract.events import PUBLIC_EVENTS
from libs.contract.webhooks import (
    InventoryLowRead,
    WebhookEndpointCreated,
    WebhookEndpointRead,
    WebhookSecretRotated,
)
from services.webhooks.adapters import deliveries, stream
from services.webhooks.adapters.secrets import SecretBox
from services.webhooks.domain import actions, endpoints, signing, thresholds
from services.webhooks.domain.endpoints import Endpoint

INVENTORY_LOW = "inventory.low"


async def _append(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    owner: Identity | StoredEvent,
    kind: str,
    endpoint: Endpoint,
    changed: list[str] | None = None,
) -> None:
    # Who did it, on every change: the key or the member of the caller, or the platform
    # itself when there is no caller (the worker's verdict: `owner` is then the stream's).
    actor = owner.key_id if isinstance(owner, Identity) else actions.SYSTEM
    metadata: dict[str, Any] = {"actor": actor}
    if changed:
        metadata["changedFields"] = changed
    # Not `kit.append`: these events carry the sealed secrets, so they stay in this
    # service's store (publish=False) and never reach the bus.
    await store.append(
        conn,
        stream_id=endpoint.id,
        expected_version=endpoint.version - 1,
        events=[
            NewEvent(
                type=kind,
                data=endpoint.dump(),
                publish=False,
                organization_id=owner.organization_id,
                mode=owner.mode,
                metadata=metadata,
            )
        ],
    )


async def _mine(
    conn: asyncpg.Connection, *, store: EventStore, who: Identity, endpoint_id: str
) -> Endpoint:
    return await load_owned(conn, store=store, who=who, stream_id=endpoint_id, model=Endpoint)


async def create(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    box: SecretBox,
    who: Identity,
    url: str,
    events: list[str],
    description: str | None,
    enabled: bool,
) -> WebhookEndpointCreated:
    secret = signing.new_secret()
    endpoint = endpoints.create(
        endpoint_id=new_id("we"),
        url=url,
        events=events,
        description=description,
        enabled=enabled,
        sealed_secret=box.seal(secret),
        now=utcnow(),
    )
    await _append(conn, store=store, owner=who, kind=endpoints.ENDPOINT_CREATED, endpoint=endpoint)
    return WebhookEndpointCreated(**dict(endpoint.shown()), secret=secret)


async def change(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    who: Identity,
    endpoint_id: str,
    changes: dict[str, Any],
    expected: int | None,
) -> WebhookEndpointRead:
    endpoint = await _mine(conn, store=store, who=who, endpoint_id=endpoint_id)
    updated, changed = endpoints.update(endpoint, changes, expected=expected, now=utcnow())
    if changed:
        await _append(
            conn,
            store=store,
            owner=who,
            kind=endpoints.ENDPOINT_UPDATED,
            endpoint=updated,
            changed=changed,
        )
    return updated.shown()


async def delete(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    who: Identity,
    endpoint_id: str,
    expected: int | None,
) -> WebhookEndpointRead:
    endpoint = await _mine(conn, store=store, who=who, endpoint_id=endpoint_id)
    deleted = endpoints.delete(endpoint, expected=expected, now=utcnow())
    await _append(conn, store=store, owner=who, kind=endpoints.ENDPOINT_DELETED, endpoint=deleted)
    await conn.execute(
        "UPDATE deliveries SET status = 'failed', last_error = 'endpoint deleted'"
        " WHERE endpoint_id = $1 AND status = 'pending'",
        endpoint_id,
    )
    return deleted.shown()


async def rotate(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    box: SecretBox,
    who: Identity,
    endpoint_id: str,
    keep_old_for: float,
) -> WebhookSecretRotated:
    endpoint = await _mine(conn, store=store, who=who, endpoint_id=endpoint_id)
    secret = signing.new_secret()
    rotated = endpoints.rotate(
        endpoint, sealed_secret=box.seal(secret), keep_old_for=keep_old_for, now=utcnow()
    )
    await _append(conn, store=store, owner=who, kind=endpoints.SECRET_ROTATED, endpoint=rotated)
    return WebhookSecretRotated(
        **dict(rotated.shown()),
        secret=secret,
        previous_secret_expires_at=rotated.previous_expires_at,
    )


async def disable_endpoint(
    conn: asyncpg.Connection, *, store: EventStore, endpoint_id: str, reason: str
) -> None:
    """The worker's verdict on an endpoint (410 Gone, failing too long): there is no caller,
    so the owner is the stream's."""
    await store.lock_stream(conn, stream_id=endpoint_id)
    last = await store.read_last(conn, stream_id=endpoint_id)
    endpoint = Endpoint.model_validate(last.data) if last is not None else None
    if last is None or endpoint is None or endpoint.deleted_at is not None:
        raise NotFound(f"No {Endpoint.kind} {endpoint_id}.")
    if endpoint.enabled:
        await _append(
            conn,
            store=store,
            owner=last,
            kind=endpoints.ENDPOINT_DISABLED,
            endpoint=endpoints.disable(endpoint, reason=reason, now=utcnow()),
        )


# What each event sets off


async def on_event(conn: asyncpg.Connection, *, store: EventStore, event: Event) -> bool:
    """One event of the stream (`on_events` of one). True when it raised an `inventory.low`."""
    return await on_events(conn, store=store, events=[event]) > 0


async def on_events(conn: asyncpg.Connection, *, store: EventStore, events: list[Event]) -> int:
    """Events of the stream, in their order (a batch of the consumer's): each logged (the
    Events API reads it), watched for low stock, and fanned out to the endpoints that want
    it; one already logged (a redelivery) sets off nothing again. The log entries, the
    endpoints and the deliveries of a batch take a statement each, not three an event.
    The number of `inventory.low` it raised."""
    logged = await record_many(conn, events=events)
    fresh = [event for event in events if event.id in logged]
    low = 0
    for event in fresh:
        if event.event == "inventory.updated" and await watch_stock(conn, store=store, event=event):
            low += 1
    await fan_out_many(conn, events=fresh)
    return low


async def record(conn: asyncpg.Connection, *, event: Event) -> bool:
    """`record_many` of one event: False if it was logged already."""
    return event.id in await record_many(conn, events=[event])


async def record_many(conn: asyncpg.Connection, *, events: list[Event]) -> set[str]:
    """Logs the events with the exact bytes deliveries will carry; the ids it logged (not
    logged already). The same statement wakes the open event streams of each organization
    and mode it logged for, in every replica (delivered at commit; adapters/stream.py
    listens), once per organization and mode (PostgreSQL sends one per payload anyway)."""
    bodies = [event.dump() for event in events]
    rows = await conn.fetch(
        "WITH logged AS (INSERT INTO event_log"
        " (id, type, organization_id, mode, occurred_at, body, payload)"
        " SELECT id, type, org, mode, at, body, payload FROM unnest($1::text[], $2::text[],"
        " $3::text[], $4::text[], $5::timestamptz[], $6::jsonb[], $7::bytea[])"
        " WITH ORDINALITY AS e(id, type, org, mode, at, body, payload, n) ORDER BY n"
        " ON CONFLICT (id) DO NOTHING RETURNING id, organization_id, mode),"
        " woken AS (SELECT 1 FROM (SELECT DISTINCT organization_id, mode FROM logged) AS o,"
        f" pg_notify({stream.CHANNEL_SQL},"
        " coalesce(o.organization_id, '') || ' ' || coalesce(o.mode, '')))"
        " SELECT id, (SELECT count(*) FROM woken) AS woken FROM logged",
        [event.id for event in events],
        [event.event for event in events],
        [event.organization_id for event in events],
        [event.mode for event in events],
        [event.timestamp for event in events],
        bodies,
        [jsoncodec.dumps(body) for body in bodies],
    )
    return {row["id"] for row in rows}


async def fan_out(conn: asyncpg.Connection, *, event: Event) -> list[str]:
    """`fan_out_many` of one event."""
    return await fan_out_many(conn, events=[event])


async def fan_out_many(conn: asyncpg.Connection, *, events: list[Event]) -> list[str]:
    """The deliveries of public events to the endpoints that want them: the endpoints in one
    statement, the deliveries in one. The ids of the deliveries added."""
    wanted = [e for e in events if e.event in PUBLIC_EVENTS and e.organization_id is not None]
    if not wanted:
        return []
    rows = await conn.fetch(
        "SELECT e.n, ep.id FROM unnest($1::text[], $2::text[], $3::text[])"
        " WITH ORDINALITY AS e(org, mode, type, n)"
        " JOIN endpoints ep ON ep.organization_id = e.org AND ep.mode = e.mode AND ep.enabled"
        " AND ep.deleted_at IS NULL AND (ep.events @> ARRAY[e.type] OR ep.events @> ARRAY['*'])"
        " ORDER BY e.n, ep.id",
        [e.organization_id for e in wanted],
        [e.mode for e in wanted],
        [e.event for e in wanted],
    )
    return await deliveries.enqueue_many(
        conn, pairs=[(wanted[row["n"] - 1], row["id"]) for row in rows]
    )


async def watch_stock(conn: asyncpg.Connection, *, store: EventStore, event: Event) -> bool:
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
    # The item's own fields, under the names an `inventory.low` gives them.
    low = InventoryLowRead.model_validate({**data, "inventoryItemId": data["id"]})
    event_low = NewEvent(
        type=INVENTORY_LOW,
        organization_id=event.organization_id,
        mode=event.mode,
        data=low.dump(),
    )
    version = await store.stream_version(conn, stream_id=stream)
    await store.append(conn, stream_id=stream, expected_version=version, events=[event_low])
    return True
