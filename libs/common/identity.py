"""The identity the gateway hands to a service with each request it forwards.

A short-lived HS256 JWT (PyJWT) in `X-StackNex-Identity`, addressed to one service
(`aud`), carrying the organization, mode, key id and scopes. The request id travels in
`X-Request-Id` beside it, so one token serves every request of a key for a few seconds
(the gateway caches it: signing was a tenth of its time per request). Services trust
nothing else: a plain `X-Org-Id` or a forged token from a caller who reached a service
port directly is refused with 401.
"""

import time
from dataclasses import dataclass

import jwt
from aiohttp import web

from libs.common.errors import AuthenticationRequired
from libs.common.events import Mode

HEADER = "X-StackNex-Identity"
# 30 s: far longer than any hop inside the cluster, far too short to be worth stealing.
TTL_SECONDS = 30
_ISSUER = "stacknex-gateway"


@dataclass(frozen=True)
class Identity:
    organization_id: str
    mode: Mode
    key_id: str
    scopes: frozenset[str]
    request_id: str


IDENTITY = web.RequestKey("identity", Identity)


def sign(identity: Identity, *, secret: str, audience: str, now: float | None = None) -> str:
    issued = int(now if now is not None else time.time())
    claims = {
        "iss": _ISSUER,
        "aud": audience,
        "iat": issued,
        "exp": issued + TTL_SECONDS,
        "org": identity.organization_id,
        "mode": identity.mode,
        "kid": identity.key_id,
        "scp": sorted(identity.scopes),
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def verify(token: str, *, secret: str, audience: str, request_id: str = "") -> Identity:
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            audience=audience,
            issuer=_ISSUER,
            options={"require": ["exp", "iat", "aud", "iss"]},
        )
        if claims["mode"] not in ("live", "test"):
            raise jwt.InvalidTokenError("bad mode")
        mode: Mode = "live" if claims["mode"] == "live" else "test"
        return Identity(
            organization_id=str(claims["org"]),
            mode=mode,
            key_id=str(claims["kid"]),
            scopes=frozenset(claims["scp"]),
            request_id=request_id,
        )
    except (jwt.PyJWTError, KeyError, TypeError) as exc:
        raise AuthenticationRequired(
            "This service accepts API requests only through the StackNex gateway."
        ) from exc
