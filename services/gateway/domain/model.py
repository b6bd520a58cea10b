"""Organizations and API keys as event-sourced aggregates: state is the fold of the stream,
and each decision returns the events that record it."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Literal

from libs.common.clock import rfc3339
from libs.common.events import Mode
from services.gateway.domain.access import MODES, SCOPES, Plan


class AccessError(Exception):
    """A command the domain refuses; `field` names the offending input."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Organization:
    id: str
    name: str
    plan: Plan
    default_location_id: str
    created_at: datetime
    updated_at: datetime
    version: int

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "plan": self.plan.value,
            "defaultLocationId": self.default_location_id,
            "createdAt": rfc3339(self.created_at),
            "updatedAt": rfc3339(self.updated_at),
            "version": self.version,
        }


# What keys made before they had names (and the CLI's, unless `--name`) are called, and
# who made them: the operator was then the only one who could.
DEFAULT_KEY_NAME = "CLI key"
OPERATOR = "operator"
KEY_NAME_MAX = 100
# A roll's grace: up to 7 days (issue 14), long enough to redeploy every client of a key.
MAX_GRACE = timedelta(days=7)
# A key that expires within this is shown as expiring: a week's warning to replace it.
EXPIRING_WITHIN = timedelta(days=7)
KeyStatus = Literal["active", "expiring", "expired", "revoked"]


@dataclass(frozen=True)
class ApiKey:
    id: str
    organization_id: str
    mode: Mode
    public_id: str
    secret_hash: str
    scopes: frozenset[str]
    expires_at: datetime | None
    revoked_at: datetime | None
    created_at: datetime
    version: int
    name: str = DEFAULT_KEY_NAME
    created_by: str = OPERATOR  # `operator` (the CLI) or the member id
    rolled_from: str | None = None  # the key a roll replaced with this one

    def public(self) -> dict[str, Any]:
        """What the CLI lists and the key's events carry: never the hash."""
        return {
            "id": self.id,
            "organizationId": self.organization_id,
            "mode": self.mode,
            "name": self.name,
            "prefix": f"nxp_{self.mode}_{self.public_id}",
            "scopes": sorted(self.scopes),
            "expiresAt": rfc3339(self.expires_at) if self.expires_at else None,
            "revokedAt": rfc3339(self.revoked_at) if self.revoked_at else None,
            "createdAt": rfc3339(self.created_at),
            "createdBy": self.created_by,
            "rolledFrom": self.rolled_from,
            "version": self.version,
        }

    def status(self, *, now: datetime) -> KeyStatus:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        if self.expires_at is not None and self.expires_at - now <= EXPIRING_WITHIN:
            return "expiring"
        return "active"


def parse_plan(value: str) -> Plan:
    try:
        return Plan(value)
    except ValueError:
        choices = ", ".join(p.value for p in Plan)
        message = f"Unknown plan {value!r}; choose one of: {choices}."
        raise AccessError(message, field="plan") from None


def create_organization(
    *, org_id: str, name: str, plan: str, location_id: str, now: datetime
) -> Organization:
    name = name.strip()
    if not 1 <= len(name) <= 200:
        raise AccessError("An organization name has 1 to 200 characters.", field="name")
    return Organization(
        id=org_id,
        name=name,
        plan=parse_plan(plan),
        default_location_id=location_id,
        created_at=now,
        updated_at=now,
        version=1,
    )


def change_plan(org: Organization, *, plan: str, now: datetime) -> Organization | None:
    """The organization on its new plan, or None when it is already on it."""
    new_plan = parse_plan(plan)
    if new_plan == org.plan:
        return None
    return replace(org, plan=new_plan, updated_at=now, version=org.version + 1)


def create_key(
    *,
    key_id: str,
    org: Organization,
    mode: str,
    public_id: str,
    secret_hash: str,
    scopes: list[str] | None,
    expires_at: datetime | None,
    now: datetime,
    name: str = DEFAULT_KEY_NAME,
    created_by: str = OPERATOR,
    rolled_from: str | None = None,
) -> ApiKey:
    name = name.strip()
    if not 1 <= len(name) <= KEY_NAME_MAX:
        raise AccessError(f"A key's name has 1 to {KEY_NAME_MAX} characters.", field="name")
    if mode not in MODES:
        raise AccessError("Mode is live or test.", field="mode")
    key_mode: Mode = "live" if mode == "live" else "test"
    unknown = sorted(set(scopes or ()) - SCOPES)
    if unknown:
        raise AccessError(f"Unknown scope(s): {', '.join(unknown)}.", field="scopes")
    if expires_at is not None and expires_at <= now:
        raise AccessError("An expiry must lie in the future.", field="expiresIn")
    return ApiKey(
        id=key_id,
        organization_id=org.id,
        mode=key_mode,
        public_id=public_id,
        secret_hash=secret_hash,
        # A key created without scopes has all of them (CONVENTIONS).
        scopes=frozenset(scopes) if scopes else SCOPES,
        expires_at=expires_at,
        revoked_at=None,
        created_at=now,
        version=1,
        name=name,
        created_by=created_by,
        rolled_from=rolled_from,
    )


def revoke_key(key: ApiKey, *, now: datetime) -> ApiKey | None:
    """The revoked key, or None when it already was (revoking twice changes nothing)."""
    if key.revoked_at is not None:
        return None
    return replace(key, revoked_at=now, version=key.version + 1)


class KeyNotUsable(AccessError):
    """A revoked or expired key, where only a working one will do (HTTP: 409)."""


def end_after_grace(key: ApiKey, *, grace_seconds: int, now: datetime) -> ApiKey:
    """The rolled key: it keeps working for the grace (0: it stops at once), never longer
    than it would have anyway."""
    if not 0 <= grace_seconds <= MAX_GRACE.total_seconds():
        days = MAX_GRACE.days
        raise AccessError(f"A grace lies between 0 and {days} days.", field="graceSeconds")
    if key.status(now=now) in ("revoked", "expired"):
        raise KeyNotUsable("This key is revoked or expired: create a new one instead.")
    ends = now + timedelta(seconds=grace_seconds)
    if key.expires_at is not None and key.expires_at < ends:
        ends = key.expires_at
    return replace(key, expires_at=ends, version=key.version + 1)


def _ts(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def organization_from(data: dict[str, Any]) -> Organization:
    return Organization(
        id=data["id"],
        name=data["name"],
        plan=Plan(data["plan"]),
        default_location_id=data["defaultLocationId"],
        created_at=datetime.fromisoformat(data["createdAt"]),
        updated_at=datetime.fromisoformat(data["updatedAt"]),
        version=data["version"],
    )


def key_from(data: dict[str, Any], *, secret_hash: str) -> ApiKey:
    return ApiKey(
        id=data["id"],
        organization_id=data["organizationId"],
        mode=data["mode"],
        public_id=data["prefix"].rsplit("_", 1)[1],
        secret_hash=secret_hash,
        scopes=frozenset(data["scopes"]),
        expires_at=_ts(data["expiresAt"]),
        revoked_at=_ts(data["revokedAt"]),
        created_at=datetime.fromisoformat(data["createdAt"]),
        version=data["version"],
        # Events from before keys had names and actors: the operator's CLI made them.
        name=data.get("name", DEFAULT_KEY_NAME),
        created_by=data.get("createdBy", OPERATOR),
        rolled_from=data.get("rolledFrom"),
    )


def fold_organization(events: list[dict[str, Any]]) -> Organization | None:
    """Each organization event carries the whole organization after it."""
    return organization_from(events[-1]) if events else None


def fold_key(events: list[dict[str, Any]]) -> ApiKey | None:
    """The hash lives only in the creation event, which is never published."""
    if not events:
        return None
    return key_from(events[-1], secret_hash=events[0]["secretHash"])


class UnknownResource(AccessError):
    """An organization or key id that does not exist."""
