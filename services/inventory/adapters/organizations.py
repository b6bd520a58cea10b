"""Hears new organizations and gives each its default location, in both modes."""

import asyncpg

from libs.common.clock import utcnow
from libs.common.consumer import Subscription
from libs.common.events import Event, NewEvent
from libs.common.eventstore import EventStore
from services.inventory.adapters.projections import InventoryProjector
from services.inventory.domain.locations import LOCATION_CREATED, default_location

SUBSCRIPTION = Subscription(queue="inventory.events", bindings=("organization.created",))


def event_store() -> EventStore:
    return EventStore(schema="inventory", projector=InventoryProjector())


async def on_event(conn: asyncpg.Connection, event: Event) -> None:
    if event.event != "organization.created":
        return
    store = event_store()
    now = utcnow()
    for mode in ("live", "test"):
        location = default_location(
            location_id=event.data["defaultLocationId"],
            organization_id=event.data["id"],
            mode=mode,
            now=now,
        )
        # Expected version 0: a second delivery of the event cannot create it twice.
        if await store.stream_version(conn, stream_id=location.stream_id) == 0:
            await store.append(
                conn,
                stream_id=location.stream_id,
                expected_version=0,
                events=[
                    NewEvent(
                        type=LOCATION_CREATED,
                        data=location.public(),
                        organization_id=location.organization_id,
                        mode=mode,
                    )
                ],
            )
