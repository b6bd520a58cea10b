"""Locations: the shops, stockrooms and vans where stock lives.

Every organization starts with a default location whose id the gateway chose when it
created the organization; it exists in both modes, as two records that share the id and
change independently (a test-mode rename never touches live data)."""

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from libs.common.clock import rfc3339
from libs.common.events import Mode

LOCATION_CREATED = "location.created"
LOCATION_UPDATED = "location.updated"
DEFAULT_LOCATION_NAME = "Main location"


@dataclass(frozen=True)
class Location:
    id: str
    organization_id: str
    mode: Mode
    name: str
    is_default: bool
    created_at: datetime
    updated_at: datetime
    version: int
    address: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def stream_id(self) -> str:
        return stream_id(self.id, self.mode)

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "address": self.address,
            "isDefault": self.is_default,
            "metadata": self.metadata,
            "createdAt": rfc3339(self.created_at),
            "updatedAt": rfc3339(self.updated_at),
            "version": self.version,
        }


def stream_id(location_id: str, mode: Mode) -> str:
    # The default location's id is shared by both modes, so the mode is part of the stream.
    return f"{location_id}@{mode}"


def default_location(
    *, location_id: str, organization_id: str, mode: Mode, now: datetime
) -> Location:
    return Location(
        id=location_id,
        organization_id=organization_id,
        mode=mode,
        name=DEFAULT_LOCATION_NAME,
        is_default=True,
        created_at=now,
        updated_at=now,
        version=1,
    )


def new_location(
    *,
    location_id: str,
    organization_id: str,
    mode: Mode,
    name: str,
    address: str | None,
    metadata: dict[str, str],
    now: datetime,
) -> Location:
    return Location(
        id=location_id,
        organization_id=organization_id,
        mode=mode,
        name=name,
        is_default=False,
        created_at=now,
        updated_at=now,
        version=1,
        address=address,
        metadata=metadata,
    )


def update(
    location: Location, changes: dict[str, Any], *, now: datetime
) -> tuple[Location, list[str]]:
    updated = replace(location, **changes)
    changed = [
        name
        for name in ("name", "address", "metadata")
        if getattr(updated, name) != getattr(location, name)
    ]
    if not changed:
        return location, []
    return replace(updated, version=location.version + 1, updated_at=now), changed


def location_from(data: dict[str, Any], *, organization_id: str, mode: Mode) -> Location:
    return Location(
        id=data["id"],
        organization_id=organization_id,
        mode=mode,
        name=data["name"],
        is_default=data["isDefault"],
        created_at=datetime.fromisoformat(data["createdAt"]),
        updated_at=datetime.fromisoformat(data["updatedAt"]),
        version=data["version"],
        address=data.get("address"),
        metadata=data.get("metadata", {}),
    )
