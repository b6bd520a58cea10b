"""The security history: what the events on keys and members say, in a sentence, and who
did it. A projection of events that already exist, read when asked (no read model): each
event carries the whole resource after it and `metadata.actor`, which is all it needs."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from libs.common.clock import rfc3339
from services.gateway.domain import events as ev
from services.gateway.domain.members import OPERATOR

# Not an action: the same password hashed again at a sign-in (domain/events.py).
LEFT_OUT = (ev.MEMBER_PASSWORD_REHASHED,)
# 1 to 100 entries a page (CONVENTIONS: Lists), 50 unless asked.
DEFAULT_LIMIT = 50
MAX_LIMIT = 100


@dataclass(frozen=True)
class Entry:
    id: str  # the event's
    position: int  # the cursor: the event store's order
    at: datetime
    type: str
    actor_id: str
    actor_email: str | None
    mode: str | None
    subject_id: str
    summary: str

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": rfc3339(self.at),
            "type": self.type,
            "actor": {"id": self.actor_id, "email": self.actor_email},
            "mode": self.mode,
            "subjectId": self.subject_id,
            "summary": self.summary,
        }


def actor_of(metadata: dict[str, Any] | None) -> str:
    """Events from before actors were recorded were all the operator's (the CLI)."""
    actor = (metadata or {}).get("actor")
    return str(actor) if actor else OPERATOR


def summary(type: str, data: dict[str, Any], *, previous_role: str | None = None) -> str:
    """One line a person reads: the subject by its email or key prefix, never a hash."""
    if type.startswith("member."):
        email, role = data.get("email", "?"), data.get("role", "?")
        return {
            ev.MEMBER_INVITED: f"Invited {email} as {role}",
            ev.MEMBER_JOINED: f"{email} joined as {role}",
            ev.MEMBER_PASSWORD_CHANGED: f"{email} changed their password",
            ev.MEMBER_ROLE_CHANGED: (
                f"Changed {email}'s role from {previous_role} to {role}"
                if previous_role
                else f"Changed {email}'s role to {role}"
            ),
            ev.MEMBER_REMOVED: f"Removed {email}",
        }.get(type, f"{_verb(type)} member {email}")
    # The key by its prefix (what a reader can match against their own), and its name.
    prefix = data.get("prefix") or data.get("id", "?")
    key = f'{prefix} "{data["name"]}"' if data.get("name") else prefix
    if type == ev.API_KEY_CREATED:
        scopes = data.get("scopes") or []
        return f"Created key {key} ({data.get('mode', '?')}, {len(scopes)} scopes)"
    if type == ev.API_KEY_REVOKED:
        return f"Revoked key {key}"
    # Types another change may add (a roll, a rename): named from the type itself.
    return f"{_verb(type)} key {key}"


def _verb(type: str) -> str:
    return type.split(".", 1)[-1].replace("_", " ").capitalize()
