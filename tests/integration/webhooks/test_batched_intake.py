"""The intake of a batch of the stream (`service.on_events`, the consumer's batches) against
the real PostgreSQL: the same log, deliveries and `inventory.low` as taking the events one
by one (`service.on_event`), in a statement each for the log, the endpoints, the deliveries."""

import asyncpg

from libs.common.clock import utcnow
from libs.common.events import Event
from libs.common.eventstore import EventStore
from libs.common.ids import new_id
from libs.common.metrics import Metrics
from services.webhooks import service
from services.webhooks.adapters.projections import WebhooksProjector


async def _endpoint(pool: asyncpg.Pool, org: str, events: list[str], *, enabled: bool) -> str:
    endpoint_id = new_id("we")
    await pool.execute(
        "INSERT INTO endpoints (id, organization_id, mode, url, events, enabled, secret, version,"
        " created_at, updated_at) VALUES ($1, $2, 'live', 'https://example.com/hook',"
        " $3, $4, 'sealed', 1, now(), now())",
        endpoint_id,
        org,
        events,
        enabled,
    )
    return endpoint_id


def _events(org: str) -> list[Event]:
    """A sale as the webhooks service hears it, and its stock falling below its threshold."""
    item = new_id("inv")

    def event(kind: str, **data: object) -> Event:
        return Event(
            id=new_id("evt"),
            event=kind,
            timestamp=utcnow(),
            organization_id=org,
            mode="live",
            data={"id": new_id("ord"), **data},
        )

    stock = {
        "id": item,
        "productId": "prod_1",
        "locationId": "loc_1",
        "onHand": 4,
        "lowStockThreshold": 5,
        "previousAvailable": 5,
    }
    return [
        event("order.created"),
        event("order.completed"),
        event("inventory.updated", **stock, available=4, version=2),
        event("inventory.updated", **stock, available=3, version=3),  # still low: no second
        event("customer.created"),
    ]


async def _outcome(pool: asyncpg.Pool, org: str) -> tuple[object, ...]:
    logged = await pool.fetch(
        "SELECT type FROM event_log WHERE organization_id = $1 ORDER BY tx, position", org
    )
    sent = await pool.fetch(
        "SELECT e.events, d.event_type FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id"
        " WHERE d.organization_id = $1 ORDER BY d.id",
        org,
    )
    lows = await pool.fetchval(
        "SELECT count(*) FROM events WHERE type = 'inventory.low' AND organization_id = $1", org
    )
    return [r["type"] for r in logged], sorted((tuple(r[0]), r[1]) for r in sent), lows


async def test_a_batch_sets_off_what_its_events_one_by_one_do(pool: asyncpg.Pool) -> None:
    store = EventStore(schema="unused", projector=WebhooksProjector(), metrics=Metrics("t"))
    store.schema = await pool.fetchval("SELECT current_schema()")
    outcomes = []
    for org, batched in (("org_one", False), ("org_batch", True)):
        await _endpoint(pool, org, ["order.created"], enabled=True)
        await _endpoint(pool, org, ["*"], enabled=True)
        await _endpoint(pool, org, ["*"], enabled=False)
        events = _events(org)
        async with pool.acquire() as conn, conn.transaction():
            if batched:
                # The first already logged (a redelivery): it sets off nothing again.
                await service.on_events(conn, store=store, events=events[:1])
                raised = await service.on_events(conn, store=store, events=events)
            else:
                raised = 0
                for event in [events[0], *events]:
                    raised += await service.on_event(conn, store=store, event=event)
        assert raised == 1
        outcomes.append(await _outcome(pool, org))
    one_by_one, batch = outcomes
    assert batch == one_by_one
    types, sent, lows = batch
    assert types == [
        "order.created",
        "order.completed",
        "inventory.updated",
        "inventory.updated",
        "customer.created",
    ]
    assert sent.count((("order.created",), "order.created")) == 1  # the disabled one: none
    assert len([s for s in sent if s[0] == ("*",)]) == 5 and lows == 1
