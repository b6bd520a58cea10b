"""What the Ed25519 service identities cost, against the HS256 tokens they replaced, in CPU
time per call (time.process_time: other processes' load on a shared machine does not count).

    python -m bench.identity

The gateway signs (and reuses each token for 10 s); every service verifies, and remembers
what it verified for the token's life, so a request normally costs it a cache hit.
"""

import time
import timeit
from collections.abc import Callable

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from libs.common import identity
from libs.common.keys import Keyring

WHO = identity.Identity(
    organization_id="org_0354xIPEOJKu0fmmxXMXnj",
    mode="live",
    key_id="key_0354xIPEOJKu0fmmxXMXnj",
    scopes=frozenset({"orders:read", "orders:write", "products:read", "products:write"}),
    request_id="",
)
SECRET = "x" * 48
GATEWAY = frozenset({"gateway"})


def _claims(issuer: str = "stacknex-gateway") -> dict[str, object]:
    # An hour, not 30 s: the measurement outlives a real token.
    now = int(time.time())
    return {
        "iss": issuer,
        "aud": "catalog",
        "iat": now,
        "exp": now + 3600,
        "org": WHO.organization_id,
        "mode": WHO.mode,
        "kid": WHO.key_id,
        "scp": sorted(WHO.scopes),
    }


def cases() -> dict[str, Callable[[], object]]:
    key = Ed25519PrivateKey.generate()
    public = {"gateway": (key.public_key(),)}
    ring = Keyring(service="catalog", private_key=key, public_keys=public)
    old = jwt.encode(_claims(), SECRET, algorithm="HS256")
    new = jwt.encode(_claims("gateway"), key, algorithm="EdDSA")
    ring.verify(new, accepted=GATEWAY)
    return {
        "HS256 sign (before)": lambda: jwt.encode(_claims(), SECRET, algorithm="HS256"),
        "EdDSA sign": lambda: identity.sign(WHO, key=key, issuer="gateway", audience="catalog"),
        "HS256 verify (before)": lambda: jwt.decode(
            old,
            SECRET,
            algorithms=["HS256"],
            audience="catalog",
            issuer="stacknex-gateway",
            options={"require": ["exp", "iat", "aud", "iss"]},
        ),
        "EdDSA verify": lambda: identity.verify(
            new, public_keys=public, audience="catalog", accepted=GATEWAY
        ),
        "EdDSA verify, remembered": lambda: ring.verify(new, accepted=GATEWAY, request_id="r"),
    }


def main() -> None:
    for name, call in cases().items():
        timer = timeit.Timer(call, timer=time.process_time)
        best = min(timer.repeat(repeat=7, number=2000)) / 2000
        print(f"{name:28s} {best * 1e6:7.1f} us CPU per call")


if __name__ == "__main__":
    main()
