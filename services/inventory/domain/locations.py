"""Locations: the shops, stockrooms and vans where stock lives.

Every organization starts with a default location whose id the gateway chose when it
created the organization; it exists in both modes, as two records that share the id and
change independently (a test-mode rename never touches live data)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from libs.common.clock import rfc3339
from libs.common.events import Mode

LOCATION_CREATED = "location.created"
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

    @property
    def stream_id(self) -> str:
        return stream_id(self.id, self.mode)

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "isDefault": self.is_default,
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
    )
