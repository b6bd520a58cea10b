"""A member of an organization as an event-sourced aggregate: invited, then joined (name and
password set from the invite), then any number of password and role changes, until removed.
Each decision returns the member after it; the service records it as the matching event."""

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from libs.common.clock import rfc3339
from libs.common.roles import Role
from services.gateway.domain.credentials import PASSWORD_MAX, PASSWORD_MIN
from services.gateway.domain.model import AccessError

# 72 h (issue 14): long enough to cross a weekend, short enough that a leaked link dies.
INVITE_TTL = timedelta(hours=72)
# The CLI and `stacknex demo` act as the operator; a dashboard action names its member id.
OPERATOR = "operator"

# One @, no spaces, a dot in the domain: the address is proven by the invite reaching it,
# so the pattern only refuses what is plainly not an address.
_EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s.]+$")


class Status(StrEnum):
    INVITED = "invited"
    ACTIVE = "active"
    REMOVED = "removed"


class Conflict(AccessError):
    """A command the member's current state forbids (HTTP: 409 CONFLICT)."""


class SignInFailed(AccessError):
    """One message for an unknown email and a wrong password, so neither is revealed."""

    def __init__(self) -> None:
        super().__init__("The email or password is wrong.")


class SignInThrottled(AccessError):
    """Too many failed sign-ins for this email or address (HTTP: 429)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Too many failed sign-ins; try again in {retry_after} s.")
        self.retry_after = retry_after


class NotAuthenticated(AccessError):
    """No session, or one expired or revoked (HTTP: 401)."""


class Forbidden(AccessError):
    """The member's role does not allow the action (HTTP: 403)."""


class InvalidInvite(AccessError):
    """An unknown, expired or already used invite: one message for all three."""

    def __init__(self) -> None:
        super().__init__("This invite link is invalid or has expired.", field="token")


@dataclass(frozen=True)
class Member:
    id: str
    organization_id: str
    email: str
    name: str | None
    role: Role
    status: Status
    password_hash: str | None
    invite_hash: str | None  # SHA-256 of the invite token, until it is used
    invite_expires_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int

    def public(self) -> dict[str, Any]:
        """What the CLI and the dashboard show: never a hash."""
        return {
            "id": self.id,
            "organizationId": self.organization_id,
            "email": self.email,
            "name": self.name,
            "role": self.role.value,
            "status": self.status.value,
            "inviteExpiresAt": rfc3339(self.invite_expires_at) if self.invite_expires_at else None,
            "createdAt": rfc3339(self.created_at),
            "updatedAt": rfc3339(self.updated_at),
            "version": self.version,
        }

    def record(self) -> dict[str, Any]:
        """What its (private) events carry: the public shape and the hashes."""
        return {**self.public(), "passwordHash": self.password_hash, "inviteHash": self.invite_hash}


def normalize_email(value: str) -> str:
    email = value.strip().lower()
    if len(email) > 254 or not _EMAIL_RE.match(email):
        raise AccessError("An email looks like name@example.com.", field="email")
    return email


def parse_role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        raise AccessError(
            f"Unknown role {value!r}; choose one of: {choices}.", field="role"
        ) from None


def check_password(password: str) -> str:
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        message = f"A password has {PASSWORD_MIN} to {PASSWORD_MAX} characters."
        raise AccessError(message, field="password")
    return password


def invite(
    *, member_id: str, org_id: str, email: str, role: str, invite_hash: str, now: datetime
) -> Member:
    return Member(
        id=member_id,
        organization_id=org_id,
        email=normalize_email(email),
        name=None,
        role=parse_role(role),
        status=Status.INVITED,
        password_hash=None,
        invite_hash=invite_hash,
        invite_expires_at=now + INVITE_TTL,
        created_at=now,
        updated_at=now,
        version=1,
    )


def invite_open(member: Member, *, now: datetime) -> bool:
    return (
        member.status == Status.INVITED
        and member.invite_expires_at is not None
        and now < member.invite_expires_at
    )


def join(member: Member, *, name: str, password_hash: str, now: datetime) -> Member:
    """Accepts the invite; the caller found the member by its invite hash."""
    if not invite_open(member, now=now):
        raise InvalidInvite()
    name = name.strip()
    if not 1 <= len(name) <= 200:
        raise AccessError("A name has 1 to 200 characters.", field="name")
    return _next(
        member,
        now,
        name=name,
        password_hash=password_hash,
        status=Status.ACTIVE,
        invite_hash=None,  # single use: the hash goes, so the token finds nothing again
        invite_expires_at=None,
    )


def set_password(member: Member, *, password_hash: str, now: datetime) -> Member:
    _require_active(member)
    return _next(member, now, password_hash=password_hash)


def change_role(member: Member, *, role: str, owners: int, now: datetime) -> Member | None:
    """`owners`: the organization's active owners now. None when the role is unchanged."""
    new_role = parse_role(role)
    if member.status == Status.REMOVED:
        raise Conflict("This member was removed.", field="member")
    if new_role == member.role:
        return None
    if _is_last_owner(member, owners):
        raise Conflict("The last owner cannot be demoted; make another owner first.", field="role")
    return _next(member, now, role=new_role)


def remove(member: Member, *, owners: int, now: datetime) -> Member | None:
    """None when the member already was removed."""
    if member.status == Status.REMOVED:
        return None
    if _is_last_owner(member, owners):
        raise Conflict("The last owner cannot be removed.", field="member")
    return _next(
        member,
        now,
        status=Status.REMOVED,
        password_hash=None,
        invite_hash=None,
        invite_expires_at=None,
    )


def _is_last_owner(member: Member, owners: int) -> bool:
    return member.status == Status.ACTIVE and member.role == Role.OWNER and owners <= 1


def _require_active(member: Member) -> None:
    if member.status != Status.ACTIVE:
        raise Conflict("This member has not joined or was removed.", field="member")


def _next(member: Member, now: datetime, **changes: Any) -> Member:
    return replace(member, **changes, updated_at=now, version=member.version + 1)


def member_from(data: dict[str, Any]) -> Member:
    expires = data["inviteExpiresAt"]
    return Member(
        id=data["id"],
        organization_id=data["organizationId"],
        email=data["email"],
        name=data["name"],
        role=Role(data["role"]),
        status=Status(data["status"]),
        password_hash=data["passwordHash"],
        invite_hash=data["inviteHash"],
        invite_expires_at=datetime.fromisoformat(expires) if expires else None,
        created_at=datetime.fromisoformat(data["createdAt"]),
        updated_at=datetime.fromisoformat(data["updatedAt"]),
        version=data["version"],
    )


def fold_member(events: list[dict[str, Any]]) -> Member | None:
    """Each member event carries the whole member after it."""
    return member_from(events[-1]) if events else None
