"""The gateway's per-replica caches stay bounded and forget what the bus says changed."""

from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from libs.common import identity
from libs.common.keys import Keyring
from services.gateway.adapters.keys import KeyCache, Principal
from services.gateway.domain.access import Plan
from services.gateway.domain.model import ApiKey
from services.gateway.http.proxy import IdentityTokens


class FakeBroker:
    is_connected = True


def _principal(n: int, org: str = "org_1") -> Principal:
    key = ApiKey(
        id=f"key_{n}",
        organization_id=org,
        mode="live",
        public_id=f"pub{n:09d}",
        secret_hash="0" * 64,
        scopes=frozenset({"products:read"}),
        expires_at=None,
        revoked_at=None,
        created_at=datetime.now(UTC),
        version=1,
    )
    return Principal(key=key, plan=Plan.ENTERPRISE)


def _cache(size: int) -> KeyCache:
    broker: Any = FakeBroker()
    return KeyCache(broker=broker, size=size)


def test_key_cache_keeps_the_most_recently_used_within_its_size() -> None:
    cache = _cache(size=3)
    for n in range(3):
        cache.put(f"p{n}", _principal(n))
    assert cache.get("p0") is not None  # p0 is now the most recently used
    cache.put("p3", _principal(3))
    assert cache.get("p1") is None
    assert [cache.get(p) is not None for p in ("p0", "p2", "p3")] == [True, True, True]


def test_key_cache_evicts_by_key_and_by_organization() -> None:
    cache = _cache(size=10)
    cache.put("a", _principal(1, org="org_a"))
    cache.put("b", _principal(2, org="org_a"))
    cache.put("c", _principal(3, org="org_c"))
    cache.evict_key("key_3")
    assert cache.get("c") is None and cache.get("a") is not None
    cache.evict_organization("org_a")
    assert cache.get("a") is None and cache.get("b") is None


def test_key_cache_is_bypassed_while_the_bus_is_down() -> None:
    broker: Any = FakeBroker()
    cache = KeyCache(broker=broker)
    cache.put("a", _principal(1))
    broker.is_connected = False
    assert cache.get("a") is None
    broker.is_connected = True
    assert cache.get("a") is None  # emptied: a revocation may have been missed meanwhile


def test_identity_tokens_are_reused_per_key_and_service() -> None:
    private = Ed25519PrivateKey.generate()
    tokens = IdentityTokens(
        Keyring(
            service="gateway",
            private_key=private,
            public_keys={"gateway": (private.public_key(),)},
        )
    )
    key = _principal(1).key
    first = tokens.token(key, "catalog")
    assert tokens.token(key, "catalog") == first
    other = tokens.token(key, "orders")
    who = identity.verify(
        other,
        public_keys={"gateway": (private.public_key(),)},
        audience="orders",
        accepted={"gateway"},
    )
    assert who.key_id == "key_1"


def test_unknown_public_ids_are_remembered_briefly_and_boundedly() -> None:
    now = [0.0]
    broker: Any = FakeBroker()
    cache = KeyCache(broker=broker, unknown_ttl=2.0, unknown_size=2, timer=lambda: now[0])
    cache.put_unknown("a")
    assert cache.is_unknown("a") and not cache.is_unknown("b")
    now[0] = 2.5  # a key created meanwhile is looked up again after 2 s at most
    assert not cache.is_unknown("a")
    for public_id in ("x", "y", "z"):
        cache.put_unknown(public_id)
    assert [cache.is_unknown(p) for p in ("x", "y", "z")] == [False, True, True]
