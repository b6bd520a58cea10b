"""Events: what a service appends (`NewEvent`), what its store holds (`StoredEvent`), and the
public envelope that the broker, the Events API and webhooks carry (`Event`)."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from libs.common.clock import rfc3339
from libs.common.ids import new_id

Mode = Literal["live", "test"]


class Event(BaseModel):
    """An event as clients see it (CONVENTIONS: Events)."""

    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="ignore")

    id: str
    event: str
    timestamp: datetime
    organization_id: str | None = Field(default=None, alias="organizationId")
    mode: Mode | None = None
    data: dict[str, Any]
    # On `*.updated` events: the fields that changed (camelCase names, as in `data`).
    changed_fields: list[str] | None = Field(default=None, alias="changedFields")

    def public(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": self.id,
            "event": self.event,
            "timestamp": rfc3339(self.timestamp),
            "organizationId": self.organization_id,
            "mode": self.mode,
            "data": self.data,
        }
        if self.changed_fields is not None:
            body["changedFields"] = self.changed_fields
        return body


@dataclass(frozen=True)
class NewEvent:
    """A fact about to be appended; `data` is the resource as GET shows it after the change."""

    type: str
    data: dict[str, Any]
    organization_id: str | None = None
    mode: Mode | None = None
    id: str = field(default_factory=lambda: new_id("evt"))
    # Facts about the event rather than the resource, e.g. {"changedFields": [...]}.
    metadata: dict[str, Any] = field(default_factory=dict)
    # False keeps the event inside its service's store (e.g. one that carries a key hash):
    # it folds into aggregates and read models but is never put on the bus.
    publish: bool = True


@dataclass(frozen=True)
class StoredEvent:
    position: int
    id: str
    stream_id: str
    version: int
    type: str
    data: dict[str, Any]
    organization_id: str | None
    mode: Mode | None
    occurred_at: datetime
    metadata: dict[str, Any] = field(default_factory=dict)

    def envelope(self) -> Event:
        return Event(
            id=self.id,
            event=self.type,
            timestamp=self.occurred_at,
            organization_id=self.organization_id,
            mode=self.mode,
            data=self.data,
            changed_fields=self.metadata.get("changedFields"),
        )
