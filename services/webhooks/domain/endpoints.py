"""Webhook endpoints: where an organization wants its events, and the secrets that sign them.

The aggregate is an `Endpoint`: the endpoint as GET shows it (`WebhookEndpointRead`) and its
sealed secrets. Each event carries the whole of it, so the state is the newest event's data,
and the read-model row is the same model. Every event of this aggregate is private (never
published): it carries the secrets, which are encrypted before they reach this module
(see adapters/secrets.py)."""

from datetime import datetime, timedelta
from typing import Any

from libs.common.resources import At, mark_deleted, revise
from libs.contract.webhooks import WebhookEndpointRead

ENDPOINT_CREATED = "webhook_endpoint.created"
ENDPOINT_UPDATED = "webhook_endpoint.updated"
ENDPOINT_DELETED = "webhook_endpoint.deleted"
SECRET_ROTATED = "webhook_endpoint.secret_rotated"
ENDPOINT_DISABLED = "webhook_endpoint.disabled"

TEST_EVENT = "webhook.test"


class Endpoint(WebhookEndpointRead):
    secret: str  # sealed (a token of adapters/secrets.py)
    previous_secret: str | None = None  # sealed; still signs until previous_expires_at
    previous_expires_at: At | None = None
    deleted_at: At | None = None

    def shown(self) -> WebhookEndpointRead:
        """As GET shows it: without the secrets."""
        return WebhookEndpointRead.model_validate(self.model_dump())


def create(
    *,
    endpoint_id: str,
    url: str,
    events: list[str],
    description: str | None,
    enabled: bool,
    sealed_secret: str,
    now: datetime,
) -> Endpoint:
    return Endpoint(
        id=endpoint_id,
        version=1,
        created_at=now,
        updated_at=now,
        url=url,
        events=events,
        description=description,
        enabled=enabled,
        disabled_reason=None,
        secret=sealed_secret,
    )


def update(
    endpoint: Endpoint, changes: dict[str, Any], *, expected: int | None, now: datetime
) -> tuple[Endpoint, list[str]]:
    if changes.get("enabled") is True:
        changes = {**changes, "disabled_reason": None}  # turning it back on clears why it was off
    return revise(endpoint, changes, expected=expected, now=now)


def rotate(
    endpoint: Endpoint, *, sealed_secret: str, keep_old_for: float, now: datetime
) -> Endpoint:
    keep = keep_old_for > 0
    return endpoint.model_copy(
        update={
            "secret": sealed_secret,
            "previous_secret": endpoint.secret if keep else None,
            "previous_expires_at": now + timedelta(seconds=keep_old_for) if keep else None,
            "version": endpoint.version + 1,
            "updated_at": now,
        }
    )


def disable(endpoint: Endpoint, *, reason: str, now: datetime) -> Endpoint:
    return endpoint.model_copy(
        update={
            "enabled": False,
            "disabled_reason": reason,
            "version": endpoint.version + 1,
            "updated_at": now,
        }
    )


def delete(endpoint: Endpoint, *, expected: int | None, now: datetime) -> Endpoint:
    return mark_deleted(endpoint, expected=expected, now=now).model_copy(update={"enabled": False})
