"""Who a request comes from, and for which organization.

A short-lived EdDSA (Ed25519) JWT, PyJWT over `cryptography`, in `X-StackNex-Identity`.
`iss` names the service that signed it, `aud` the one service it is for; the claims carry
the organization, mode, key id and scopes it acts under. The gateway signs client
identities (on behalf of an API key) with its own private key; a service calling a sibling
(orders → inventory) signs with *its own* key, for the organization it is serving. A
verifier holds public keys only: it picks them by `iss` among the issuers it knows, pins
the algorithm to EdDSA (no `none`, no HS256 keyed with a public key), and then refuses an
issuer the route does not name (403). So a compromised service can sign only as itself,
and reach only the routes that name it; a service port reached directly with anything else
answers 401.

The request id travels in `X-Request-Id` beside the token, so one token serves every request
of a key for a few seconds: the gateway reuses it, and the services remember what they
verified (keys.Keyring).
"""

import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from libs.common.errors import AuthenticationRequired, CallerNotAllowed
from libs.common.events import Mode

HEADER = "X-StackNex-Identity"
# 30 s: far longer than any hop inside the cluster, far too short to be worth stealing.
TTL_SECONDS = 30
ALGORITHM = "EdDSA"
# Public API routes are the gateway's to call; a route that another service calls too says
# so with `@callers(...)`. Internal routes name their callers or nobody may call them.
GATEWAY = "gateway"
_CALLERS_ATTR = "stacknex_callers"


@dataclass(frozen=True)
class Identity:
    organization_id: str
    mode: Mode
    key_id: str
    scopes: frozenset[str]
    request_id: str


IDENTITY = web.RequestKey("identity", Identity)

Handler = TypeVar("Handler", bound=Callable[..., Any])


def callers(*services: str) -> Callable[[Handler], Handler]:
    """Names every service that may call this route (put it below the `@routes` line)."""

    def mark(handler: Handler) -> Handler:
        setattr(handler, _CALLERS_ATTR, frozenset(services))
        return handler

    return mark


def callers_of(request: web.Request) -> frozenset[str]:
    declared: frozenset[str] | None = getattr(request.match_info.handler, _CALLERS_ATTR, None)
    if declared is not None:
        return declared
    return frozenset({GATEWAY}) if request.path.startswith("/api/") else frozenset()


def sign(
    identity: Identity,
    *,
    key: Ed25519PrivateKey,
    issuer: str,
    audience: str,
    now: float | None = None,
) -> str:
    issued = int(now if now is not None else time.time())
    claims = {
        "iss": issuer,
        "aud": audience,
        "iat": issued,
        "exp": issued + TTL_SECONDS,
        "org": identity.organization_id,
        "mode": identity.mode,
        "kid": identity.key_id,
        "scp": sorted(identity.scopes),
    }
    return jwt.encode(claims, key, algorithm=ALGORITHM)


@dataclass(frozen=True)
class Verified:
    """A token whose signature, audience and lifetime checked out: who signed it, for whom
    it acts, and until when."""

    issuer: str
    who: Identity
    expires: float


def verify(
    token: str,
    *,
    public_keys: Mapping[str, Sequence[Ed25519PublicKey]],
    audience: str,
    accepted: Collection[str],
    request_id: str = "",
) -> Identity:
    """The identity in `token` if one of `public_keys[iss]` signed it for `audience`:
    401 otherwise; 403 if `iss` is a known service but not one of `accepted`."""
    verified = authenticate(token, public_keys=public_keys, audience=audience)
    return authorize(verified, accepted=accepted, request_id=request_id)


def authenticate(
    token: str, *, public_keys: Mapping[str, Sequence[Ed25519PublicKey]], audience: str
) -> Verified:
    try:
        issuer, claims = verified_claims(token, public_keys=public_keys, audience=audience)
        if claims["mode"] not in ("live", "test"):
            raise jwt.InvalidTokenError("bad mode")
        mode: Mode = "live" if claims["mode"] == "live" else "test"
        who = Identity(
            organization_id=str(claims["org"]),
            mode=mode,
            key_id=str(claims["kid"]),
            scopes=frozenset(str(scope) for scope in claims["scp"]),
            request_id="",
        )
        return Verified(issuer=issuer, who=who, expires=float(claims["exp"]))
    except (jwt.PyJWTError, KeyError, TypeError, ValueError) as exc:
        raise AuthenticationRequired(
            "This service accepts API requests only through the StackNex gateway."
        ) from exc


def authorize(verified: Verified, *, accepted: Collection[str], request_id: str) -> Identity:
    if verified.issuer not in accepted:
        raise CallerNotAllowed(
            f"The {verified.issuer} service may not call this route.",
            details={"caller": verified.issuer},
        )
    return replace(verified.who, request_id=request_id)


def verified_claims(
    token: str, *, public_keys: Mapping[str, Sequence[Ed25519PublicKey]], audience: str
) -> tuple[str, dict[str, Any]]:
    """Who signed `token` and its claims, if one of that issuer's keys did, for `audience`
    and in time; raises PyJWT's errors otherwise. The dashboard's visitor tokens too."""
    # The unverified `iss` only chooses among the issuers configured here: an unknown one
    # has no key, and a known one must still have signed the token itself.
    issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
    if not isinstance(issuer, str) or not public_keys.get(issuer):
        raise jwt.InvalidIssuerError("unknown issuer")
    for key in public_keys[issuer]:  # two during a key rotation, one otherwise
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                audience=audience,
                issuer=issuer,
                options={"require": ["exp", "iat", "aud", "iss"]},
            )
        except jwt.InvalidSignatureError:
            continue
        return issuer, claims
    raise jwt.InvalidSignatureError("signed by none of the issuer's keys")
