"""Locations: created by the API or, for the default one, by the organization's event."""

from typing import Any

import asyncpg

from libs.common.clock import utcnow
from libs.common.eventstore import EventStore
from libs.common.identity import Identity
from libs.common.ids import new_id
from libs.common.kit import append_to, load_owned_stream
from libs.common.resources import revise
from libs.contract.inventory import LocationCreate, LocationRead
from services.inventory.domain import locations
from services.inventory.service.stock import ensure_items_for_location


async def _append(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    who: Identity,
    location: LocationRead,
    kind: str,
    changed: list[str] | None = None,
) -> None:
    await append_to(
        conn,
        store=store,
        who=who,
        stream_id=locations.stream_id(location.id, who.mode),
        kind=kind,
        data=location,
        expected=location.version - 1,
        metadata={"changedFields": changed} if changed else None,
    )


async def create(
    conn: asyncpg.Connection, *, store: EventStore, who: Identity, values: LocationCreate
) -> LocationRead:
    location = locations.create(location_id=new_id("loc"), values=values, now=utcnow())
    await _append(conn, store=store, who=who, location=location, kind=locations.LOCATION_CREATED)
    await ensure_items_for_location(conn, store=store, who=who, location_id=location.id)
    return location


async def create_default(
    conn: asyncpg.Connection, *, store: EventStore, who: Identity, location_id: str
) -> None:
    location = locations.default_location(location_id=location_id, now=utcnow())
    # Version 0 expected: a second delivery of the organization's event changes nothing.
    stream = locations.stream_id(location_id, who.mode)
    if await store.stream_version(conn, stream_id=stream) == 0:
        await _append(
            conn, store=store, who=who, location=location, kind=locations.LOCATION_CREATED
        )


async def change(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    who: Identity,
    location_id: str,
    changes: dict[str, Any],
    expected: int | None,
) -> LocationRead:
    location = await load_owned_stream(
        conn,
        store=store,
        who=who,
        stream_id=locations.stream_id(location_id, who.mode),
        resource_id=location_id,
        model=LocationRead,
    )
    updated, changed = revise(location, changes, expected=expected, now=utcnow())
    if changed:
        await _append(
            conn,
            store=store,
            who=who,
            location=updated,
            kind=locations.LOCATION_UPDATED,
            changed=changed,
        )
    return updated
