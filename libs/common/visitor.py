"""Who is looking at a dashboard page: the gateway's word to the dashboard service.

The gateway owns sessions (it alone reads the session cookie); for every request under
`/dashboard/` it signs a short-lived EdDSA token in `X-StackNex-Visitor` for the
`dashboard` audience, naming the client's address (the sign-in throttle counts per
address) and, when the session cookie is live, the signed-in member: their organization,
current role, email, the session's hash (to sign it out) and its CSRF token (every form
carries it). No session: `member` is null and the dashboard shows only its public pages.

Signed with the gateway's key and verified with its public key, exactly as API identities
are (`libs/common/identity.py`); a dashboard port reached without one answers 401.
"""

import time
from dataclasses import dataclass
from typing import Any

import jwt

from libs.common import identity
from libs.common.errors import AuthenticationRequired
from libs.common.keys import Keyring

HEADER = "X-StackNex-Visitor"
AUDIENCE = "dashboard"
ISSUER = "gateway"
# As long as an API identity: a page is one hop away from the gateway.
TTL_SECONDS = 30


@dataclass(frozen=True)
class SignedIn:
    member_id: str
    organization_id: str
    role: str  # owner | developer | viewer, read at this request (a change applies at once)
    email: str
    session_hash: str  # the session's SHA-256: enough to sign it out, useless to sign in
    csrf_token: str


@dataclass(frozen=True)
class Visitor:
    address: str
    member: SignedIn | None


def sign(visitor: Visitor, *, keyring: Keyring, now: float | None = None) -> str:
    issued = int(now if now is not None else time.time())
    claims: dict[str, Any] = {
        "iss": keyring.service,
        "aud": AUDIENCE,
        "iat": issued,
        "exp": issued + TTL_SECONDS,
        "addr": visitor.address,
        "mem": None,
    }
    if visitor.member is not None:
        m = visitor.member
        claims["mem"] = {
            "id": m.member_id,
            "org": m.organization_id,
            "role": m.role,
            "email": m.email,
            "sid": m.session_hash,
            "csrf": m.csrf_token,
        }
    return jwt.encode(claims, keyring.private_key, algorithm=identity.ALGORITHM)


def verify(token: str, *, keyring: Keyring) -> Visitor:
    """The visitor the gateway vouched for; 401 for anything else (another issuer, another
    audience, expired, tampered)."""
    try:
        issuer, claims = identity.verified_claims(
            token, public_keys=keyring.public_keys, audience=AUDIENCE
        )
        if issuer != ISSUER:
            raise jwt.InvalidIssuerError("only the gateway vouches for visitors")
        return _visitor(claims)
    except (jwt.PyJWTError, KeyError, TypeError) as exc:
        raise AuthenticationRequired(
            "The dashboard is reached only through the StackNex gateway."
        ) from exc


def _visitor(claims: dict[str, Any]) -> Visitor:
    m = claims["mem"]
    member = None
    if m is not None:
        member = SignedIn(
            member_id=str(m["id"]),
            organization_id=str(m["org"]),
            role=str(m["role"]),
            email=str(m["email"]),
            session_hash=str(m["sid"]),
            csrf_token=str(m["csrf"]),
        )
    return Visitor(address=str(claims["addr"]), member=member)
