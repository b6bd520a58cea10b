"""Locations: created by the API or, for the default one, by the organization's event."""

from typing import Any

import asyncpg

from libs.common.clock import utcnow
from libs.common.events import NewEvent
from libs.common.eventstore import EventStore
from libs.common.identity import Identity
from libs.common.ids import new_id
from services.inventory.domain import locations
from services.inventory.domain.errors import NotFoundError, StaleVersion
from services.inventory.service.stock import ensure_items_for_location


async def _append(
    conn: asyncpg.Connection,
    store: EventStore,
    who: Identity,
    location: locations.Location,
    kind: str,
    changed: list[str] | None = None,
) -> None:
    await store.append(
        conn,
        stream_id=location.stream_id,
        expected_version=location.version - 1,
        events=[
            NewEvent(
                type=kind,
                data=location.public(),
                organization_id=who.organization_id,
                mode=who.mode,
                metadata={"changedFields": changed} if changed else {},
            )
        ],
    )


async def create(
    conn: asyncpg.Connection,
    store: EventStore,
    who: Identity,
    *,
    name: str,
    address: str | None,
    metadata: dict[str, str],
) -> locations.Location:
    location = locations.new_location(
        location_id=new_id("loc"),
        organization_id=who.organization_id,
        mode=who.mode,
        name=name,
        address=address,
        metadata=metadata,
        now=utcnow(),
    )
    await _append(conn, store, who, location, locations.LOCATION_CREATED)
    await ensure_items_for_location(conn, store, who, location.id)
    return location


async def create_default(
    conn: asyncpg.Connection, store: EventStore, who: Identity, location_id: str
) -> None:
    location = locations.default_location(
        location_id=location_id, organization_id=who.organization_id, mode=who.mode, now=utcnow()
    )
    # Version 0 expected: a second delivery of the organization's event changes nothing.
    if await store.stream_version(conn, stream_id=location.stream_id) == 0:
        await _append(conn, store, who, location, locations.LOCATION_CREATED)


async def load(
    conn: asyncpg.Connection, store: EventStore, who: Identity, location_id: str
) -> locations.Location:
    stream = locations.stream_id(location_id, who.mode)
    await store.lock_stream(conn, stream_id=stream)
    event = await store.read_last(conn, stream_id=stream)
    if event is None or event.organization_id != who.organization_id:
        raise NotFoundError(f"No location {location_id}.")
    return locations.location_from(event.data, organization_id=who.organization_id, mode=who.mode)


async def change(
    conn: asyncpg.Connection,
    store: EventStore,
    who: Identity,
    *,
    location_id: str,
    changes: dict[str, Any],
    expected: int | None,
) -> locations.Location:
    location = await load(conn, store, who, location_id)
    if expected is not None and expected != location.version:
        raise StaleVersion(location.version)
    updated, changed = locations.update(location, changes, now=utcnow())
    if changed:
        await _append(conn, store, who, updated, locations.LOCATION_UPDATED, changed)
    return updated
