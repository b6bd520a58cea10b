"""Plans, scopes and the API key format (CONVENTIONS: Authentication, modes, scopes, plans)."""

import hashlib
import re
import secrets
from dataclasses import dataclass
from enum import StrEnum

from libs.common.ids import ALPHABET


class Plan(StrEnum):
    STARTER = "starter"
    PROFESSIONAL = "professional"
    ENTERPRISE = "enterprise"


# Requests per hour per organization and mode; a plan absent here has no API access.
HOURLY_LIMITS: dict[Plan, int] = {Plan.PROFESSIONAL: 1_000, Plan.ENTERPRISE: 10_000}

SCOPES: frozenset[str] = frozenset(
    f"{resource}:{access}"
    for resource in ("products", "categories", "orders", "customers", "inventory", "webhooks")
    for access in ("read", "write")
) | {"events:read"}

MODES = ("live", "test")

# nxp_<mode>_<12 base62: public, indexed>_<32 hex: 128 secret bits>
_KEY_RE = re.compile(r"^nxp_(live|test)_([0-9A-Za-z]{12})_([0-9a-f]{32,128})$")


@dataclass(frozen=True)
class KeyParts:
    mode: str
    public_id: str
    secret: str


def generate_key(mode: str) -> tuple[KeyParts, str]:
    public_id = "".join(secrets.choice(ALPHABET) for _ in range(12))
    parts = KeyParts(mode=mode, public_id=public_id, secret=secrets.token_hex(16))
    return parts, f"nxp_{mode}_{public_id}_{parts.secret}"


def parse_key(token: str) -> KeyParts | None:
    match = _KEY_RE.match(token)
    if match is None:
        return None
    return KeyParts(mode=match.group(1), public_id=match.group(2), secret=match.group(3))


def hash_secret(secret: str) -> str:
    # The secret carries 128 random bits, so a fast hash is enough: slow hashes exist to
    # protect low-entropy passwords from guessing, which is not the threat here.
    return hashlib.sha256(secret.encode()).hexdigest()
