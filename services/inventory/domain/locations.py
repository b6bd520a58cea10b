"""Locations: the shops, stockrooms and vans where stock lives. A location is a
`LocationRead`; a change is `revise`d (libs/common/resources.py).

Every organization starts with a default location whose id the gateway chose when it
created the organization; it exists in both modes, as two records that share the id and
change independently (a test-mode rename never touches live data)."""

from datetime import datetime

from libs.common.events import Mode
from libs.contract.inventory import LocationCreate, LocationRead

LOCATION_CREATED = "location.created"
LOCATION_UPDATED = "location.updated"
DEFAULT_LOCATION_NAME = "Main location"


def stream_id(location_id: str, mode: Mode) -> str:
    # The default location's id is shared by both modes, so the mode is part of the stream.
    return f"{location_id}@{mode}"


def default_location(*, location_id: str, now: datetime) -> LocationRead:
    return LocationRead(
        id=location_id,
        version=1,
        created_at=now,
        updated_at=now,
        name=DEFAULT_LOCATION_NAME,
        is_default=True,
    )


def create(*, location_id: str, values: LocationCreate, now: datetime) -> LocationRead:
    return LocationRead(
        id=location_id, version=1, created_at=now, updated_at=now, **values.model_dump()
    )
