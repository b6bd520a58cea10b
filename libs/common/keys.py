"""The key material of one service: its own Ed25519 private key, which signs what it sends,
and the public keys of every service, which verify what it receives.

Layout (what `stacknex keys generate DIR` writes, and the defaults outside production):

    DIR/<service>.key            PKCS#8 PEM private key, mode 0600, one per service
    DIR/public/<service>.pem     SubjectPublicKeyInfo PEM, every service's

A public key file `<issuer>.pem` or `<issuer>.<anything>.pem` is a key of `<issuer>`; two
files of one issuer (`gateway.pem`, `gateway.next.pem`) are how a rotation accepts the old
and the new key at once (docs/deploy.md). Nothing here is in the repository: each
environment makes its own.
"""

import re
import time
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cachetools import TTLCache
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from libs.common import identity

LOCAL_KEYS_DIR = Path(".run/keys")
PUBLIC_DIR = "public"
_ISSUER_RE = re.compile(r"^[a-z][a-z0-9-]*$")


class KeyMaterialError(Exception):
    """A key is missing or unusable: the service cannot start."""


def private_key_path(directory: Path, service: str) -> Path:
    return directory / f"{service}.key"


def public_key_path(directory: Path, service: str) -> Path:
    return directory / PUBLIC_DIR / f"{service}.pem"


@dataclass(frozen=True)
class Keyring:
    service: str
    private_key: Ed25519PrivateKey
    public_keys: Mapping[str, tuple[Ed25519PublicKey, ...]]
    # Tokens already verified. The gateway reuses one per key and service for 10 s, so a
    # service sees each many times: verifying an EdDSA token costs ~290 us of CPU, a hit
    # ~5 us (`python -m bench.identity`). A hit says what verifying again would say until
    # the token expires, as the keys never change while the process runs; failures are
    # not kept. 20,000 entries: the gateway's own bound on the tokens it keeps.
    _verified: TTLCache[str, identity.Verified] = field(
        default_factory=lambda: TTLCache(
            maxsize=20_000, ttl=identity.TTL_SECONDS, timer=time.monotonic
        ),
        compare=False,
        repr=False,
    )

    def sign(self, who: identity.Identity, *, audience: str) -> str:
        return identity.sign(who, key=self.private_key, issuer=self.service, audience=audience)

    def verify(
        self, token: str, *, accepted: frozenset[str], request_id: str = ""
    ) -> identity.Identity:
        verified = self._verified.get(token)
        if verified is None or verified.expires <= time.time():
            verified = identity.authenticate(
                token, public_keys=self.public_keys, audience=self.service
            )
            self._verified[token] = verified
        return identity.authorize(verified, accepted=accepted, request_id=request_id)


class ReusedTokens:
    """Signed identities kept for 10 s of their 30 s life (`identity.TTL_SECONDS`): a caller
    signs once per identity and audience every 10 s instead of once per request, and the
    receiver verifies a token it has seen from its cache (`Keyring.verify`). A token reused
    has 20 s left to travel. Bounded, least recently used out first: a flood of keys or
    organizations cannot grow it. The gateway's tokens for API keys and a service's for its
    siblings both come from here."""

    SECONDS = 10.0

    def __init__(self) -> None:
        self._tokens: TTLCache[Hashable, str] = TTLCache(
            maxsize=20_000, ttl=self.SECONDS, timer=time.monotonic
        )

    def get(self, key: Hashable, sign: Callable[[], str]) -> str:
        """The token kept under `key`, or the one `sign` makes (and keeps) when none is."""
        token = self._tokens.get(key)
        if token is None:
            token = self._tokens[key] = sign()
        return token


def load_keyring(*, service: str, signing_key_file: Path, public_keys_dir: Path) -> Keyring:
    private_key = load_private_key(signing_key_file)
    public_keys = load_public_keys(public_keys_dir)
    if identity.GATEWAY not in public_keys:
        raise KeyMaterialError(f"{public_keys_dir} holds no public key of the gateway")
    own = private_key.public_key().public_bytes_raw()
    if not any(key.public_bytes_raw() == own for key in public_keys.get(service, ())):
        # Caught here rather than as 401s at every sibling this service calls.
        raise KeyMaterialError(
            f"{public_keys_dir} lacks the public key of {signing_key_file} ({service}.pem)"
        )
    return Keyring(service=service, private_key=private_key, public_keys=public_keys)


def load_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except OSError as exc:
        raise KeyMaterialError(
            f"signing key {path} is unreadable ({exc.strerror}); locally `make run` generates"
            " one (`stacknex keys generate .run/keys`)"
        ) from exc
    except (ValueError, TypeError) as exc:
        raise KeyMaterialError(f"signing key {path} is not an unencrypted PEM key") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyMaterialError(f"signing key {path} is not an Ed25519 key")
    return key


def load_public_keys(directory: Path) -> dict[str, tuple[Ed25519PublicKey, ...]]:
    if not directory.is_dir():
        raise KeyMaterialError(f"public keys directory {directory} does not exist")
    found: dict[str, list[Ed25519PublicKey]] = {}
    # `*.pem` skips the dot-entries a Kubernetes ConfigMap volume adds (`..data`).
    for path in sorted(directory.glob("*.pem")):
        issuer = path.name.split(".", 1)[0]
        if not _ISSUER_RE.match(issuer):
            raise KeyMaterialError(f"{path}: the name must start with a service name")
        try:
            key = serialization.load_pem_public_key(path.read_bytes())
        except (ValueError, OSError) as exc:
            raise KeyMaterialError(f"{path} is not a PEM public key") from exc
        if not isinstance(key, Ed25519PublicKey):
            raise KeyMaterialError(f"{path} is not an Ed25519 public key")
        found.setdefault(issuer, []).append(key)
    return {issuer: tuple(keys) for issuer, keys in found.items()}
