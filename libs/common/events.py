"""Events: what a service appends (`NewEvent`), what its store holds (`StoredEvent`), and the
public envelope that the broker, the Events API and webhooks carry (`Event`)."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pydantic import ConfigDict, Field

from libs.common.ids import new_id
from libs.common.resources import PUBLIC_SHAPE, At, View

Mode = Literal["live", "test"]


def _only_on_updates(schema: dict[str, Any]) -> None:
    # Every field is in every event, null when empty, except `changedFields`: it is left out
    # of events that are not updates, and the document must not promise it.
    schema["required"] = [f for f in schema.get("required", []) if f != "changedFields"]


class Event(View):
    """An event as clients see it (CONVENTIONS: Events), the one envelope on the bus, in the
    Events API, in a resource's history and in every webhook: `dump()` is their JSON.
    `libs.contract.events.typed_event` narrows `data` to a resource's model for the
    document."""

    model_config = ConfigDict(**PUBLIC_SHAPE, json_schema_extra=_only_on_updates)

    id: str
    event: str
    timestamp: At
    organization_id: str | None = None
    mode: Mode | None = None
    data: dict[str, Any]
    # On `*.updated` events: the fields that changed (camelCase names, as in `data`).
    changed_fields: list[str] | None = Field(default=None, exclude_if=lambda v: v is None)


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
