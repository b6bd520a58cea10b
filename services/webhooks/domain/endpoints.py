"""Webhook endpoints: where an organization wants its events, and the secrets that sign them.

Every event of this aggregate is private (never published): it carries the secrets, which
are encrypted before they reach this module's callers' storage (see adapters/secrets.py)."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from libs.common.clock import rfc3339
from libs.common.events import Mode

ENDPOINT_CREATED = "webhook_endpoint.created"
ENDPOINT_UPDATED = "webhook_endpoint.updated"
ENDPOINT_DELETED = "webhook_endpoint.deleted"
SECRET_ROTATED = "webhook_endpoint.secret_rotated"
ENDPOINT_DISABLED = "webhook_endpoint.disabled"

TEST_EVENT = "webhook.test"


@dataclass(frozen=True)
class Endpoint:
    id: str
    organization_id: str
    mode: Mode
    url: str
    events: tuple[str, ...]
    description: str | None
    enabled: bool
    disabled_reason: str | None
    secret: str  # encrypted form (a token of adapters/secrets.py)
    previous_secret: str | None  # encrypted; still signs until previous_expires_at
    previous_expires_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "events": list(self.events),
            "description": self.description,
            "enabled": self.enabled,
            "disabledReason": self.disabled_reason,
            "version": self.version,
            "createdAt": rfc3339(self.created_at),
            "updatedAt": rfc3339(self.updated_at),
        }

    def state(self) -> dict[str, Any]:
        """Everything, for the aggregate's own (private) events."""
        return {
            **self.public(),
            "secret": self.secret,
            "previousSecret": self.previous_secret,
            "previousExpiresAt": rfc3339(self.previous_expires_at)
            if self.previous_expires_at
            else None,
            "deletedAt": rfc3339(self.deleted_at) if self.deleted_at else None,
        }

    def subscribes_to(self, event_type: str) -> bool:
        return "*" in self.events or event_type in self.events


def create(
    *,
    endpoint_id: str,
    organization_id: str,
    mode: Mode,
    url: str,
    events: tuple[str, ...],
    description: str | None,
    enabled: bool,
    sealed_secret: str,
    now: datetime,
) -> Endpoint:
    return Endpoint(
        id=endpoint_id,
        organization_id=organization_id,
        mode=mode,
        url=url,
        events=events,
        description=description,
        enabled=enabled,
        disabled_reason=None,
        secret=sealed_secret,
        previous_secret=None,
        previous_expires_at=None,
        version=1,
        created_at=now,
        updated_at=now,
    )


def update(
    endpoint: Endpoint, changes: dict[str, Any], *, now: datetime
) -> tuple[Endpoint, list[str]]:
    if "events" in changes:
        changes["events"] = tuple(changes["events"])
    if changes.get("enabled") is True:
        changes["disabled_reason"] = None  # turning it back on clears why it was off
    updated = replace(endpoint, **changes)
    names = {"disabled_reason": "disabledReason"}
    changed = [
        names.get(n, n)
        for n in ("url", "events", "description", "enabled", "disabled_reason")
        if getattr(updated, n) != getattr(endpoint, n)
    ]
    if not changed:
        return endpoint, []
    return replace(updated, version=endpoint.version + 1, updated_at=now), changed


def rotate(
    endpoint: Endpoint, *, sealed_secret: str, keep_old_for: float, now: datetime
) -> Endpoint:
    return replace(
        endpoint,
        secret=sealed_secret,
        previous_secret=endpoint.secret if keep_old_for > 0 else None,
        previous_expires_at=now + timedelta(seconds=keep_old_for) if keep_old_for > 0 else None,
        version=endpoint.version + 1,
        updated_at=now,
    )


def disable(endpoint: Endpoint, *, reason: str, now: datetime) -> Endpoint:
    return replace(
        endpoint,
        enabled=False,
        disabled_reason=reason,
        version=endpoint.version + 1,
        updated_at=now,
    )


def delete(endpoint: Endpoint, *, now: datetime) -> Endpoint:
    return replace(
        endpoint, enabled=False, deleted_at=now, version=endpoint.version + 1, updated_at=now
    )


def from_state(data: dict[str, Any], *, organization_id: str, mode: Mode) -> Endpoint:
    def when(key: str) -> datetime | None:
        return datetime.fromisoformat(data[key]) if data.get(key) else None

    return Endpoint(
        id=data["id"],
        organization_id=organization_id,
        mode=mode,
        url=data["url"],
        events=tuple(data["events"]),
        description=data["description"],
        enabled=data["enabled"],
        disabled_reason=data["disabledReason"],
        secret=data["secret"],
        previous_secret=data["previousSecret"],
        previous_expires_at=when("previousExpiresAt"),
        version=data["version"],
        created_at=datetime.fromisoformat(data["createdAt"]),
        updated_at=datetime.fromisoformat(data["updatedAt"]),
        deleted_at=when("deletedAt"),
    )
