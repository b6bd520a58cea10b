"""Identities signed with each service's own Ed25519 key: only the issuers a verifier knows,
with their own keys, for this audience, in time, with EdDSA, and only the callers a route
names."""

import base64
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import jwt
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from libs.common import identity
from libs.common.errors import AuthenticationRequired, CallerNotAllowed
from libs.common.identity import Identity, callers, sign, verify
from libs.common.keys import Keyring
from libs.common.settings import ServiceSettings
from libs.common.web import base_app, ok
from libs.contract.webhooks import OPERATIONS as WEBHOOK_OPERATIONS
from tests.conftest import key_settings, keyring

WHO = Identity(
    organization_id="org_1",
    mode="test",
    key_id="key_1",
    scopes=frozenset({"products:read"}),
    request_id="req_1",
)
KEYS = {name: Ed25519PrivateKey.generate() for name in ("gateway", "orders", "catalog")}
PUBLIC = {name: (key.public_key(),) for name, key in KEYS.items()}


def _token(issuer: str = "gateway", audience: str = "catalog", **kwargs: float) -> str:
    return sign(WHO, key=KEYS[issuer], issuer=issuer, audience=audience, **kwargs)


def _verify(token: str, accepted: frozenset[str] = frozenset({"gateway"})) -> Identity:
    return verify(
        token, public_keys=PUBLIC, audience="catalog", accepted=accepted, request_id="req_1"
    )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _hs256(secret: bytes, claims: dict[str, object]) -> str:
    """An HS256 token keyed with `secret`, made by hand: PyJWT refuses to key HMAC with a
    PEM, which is the very confusion an attacker would try on a verifier."""
    head = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = _b64(json.dumps(claims).encode())
    mac = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{_b64(mac)}"


def _claims() -> dict[str, object]:
    now = int(time.time())
    return jwt.decode(_token(), options={"verify_signature": False}) | {"iat": now, "exp": now + 30}


def test_a_signed_identity_verifies_for_its_audience() -> None:
    assert _verify(_token()) == WHO


def test_a_token_forged_with_a_fresh_key_is_refused() -> None:
    forged = sign(WHO, key=Ed25519PrivateKey.generate(), issuer="gateway", audience="catalog")
    with pytest.raises(AuthenticationRequired):
        _verify(forged)


def test_an_unknown_issuer_is_refused() -> None:
    stranger = sign(WHO, key=Ed25519PrivateKey.generate(), issuer="mallory", audience="catalog")
    with pytest.raises(AuthenticationRequired):
        _verify(stranger)


def test_a_known_service_on_a_route_that_does_not_name_it_is_forbidden() -> None:
    with pytest.raises(CallerNotAllowed) as refused:
        _verify(_token(issuer="orders"))
    assert (refused.value.status, refused.value.details) == (403, {"caller": "orders"})
    assert _verify(_token(issuer="orders"), frozenset({"gateway", "orders"})) == WHO


def test_a_service_cannot_pass_its_token_off_as_another_issuers() -> None:
    # Signed by catalog, claiming to be the gateway: the gateway's key does not verify it.
    claims = jwt.decode(_token(issuer="catalog"), options={"verify_signature": False})
    lying = jwt.encode(claims | {"iss": "gateway"}, KEYS["catalog"], algorithm="EdDSA")
    with pytest.raises(AuthenticationRequired):
        _verify(lying)


@pytest.mark.parametrize(
    ("audience", "issued_ago"),
    [("orders", 0), ("catalog", 31)],  # meant for another service; expired
)
def test_misaddressed_or_stale_identities_are_refused(audience: str, issued_ago: int) -> None:
    token = _token(audience=audience, now=time.time() - issued_ago)
    with pytest.raises(AuthenticationRequired):
        _verify(token)


def test_alg_none_and_hs256_keyed_with_the_public_key_are_refused() -> None:
    public = KEYS["gateway"].public_key()
    pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    head = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    unsigned = f"{head}.{_b64(json.dumps(_claims()).encode())}."
    for token in (unsigned, _hs256(pem, _claims()), _hs256(public.public_bytes_raw(), _claims())):
        with pytest.raises(AuthenticationRequired):
            _verify(token)


@pytest.mark.parametrize("token", ["", "org_1", "a.b.c", "eyJhbGciOiJub25lIn0.e30."])
def test_garbage_tokens_are_refused(token: str) -> None:
    with pytest.raises(AuthenticationRequired):
        _verify(token)


def test_during_a_rotation_both_keys_of_an_issuer_verify() -> None:
    new = Ed25519PrivateKey.generate()
    ring = Keyring(
        service="catalog",
        private_key=KEYS["catalog"],
        public_keys={"gateway": (KEYS["gateway"].public_key(), new.public_key())},
    )
    accepted = frozenset({"gateway"})
    for key in (KEYS["gateway"], new):
        token = sign(WHO, key=key, issuer="gateway", audience="catalog")
        assert ring.verify(token, accepted=accepted).organization_id == "org_1"


# Each route names its callers: the middleware every domain service runs.


def _answer() -> Callable[[web.Request], Awaitable[web.Response]]:
    async def answer(request: web.Request) -> web.Response:
        return ok({"org": request[identity.IDENTITY].organization_id})

    return answer


@pytest.fixture
async def service(keys_dir: Path) -> AsyncIterator[TestClient]:
    app = base_app(ServiceSettings(service_name="inventory", **key_settings(keys_dir, "inventory")))
    app.router.add_get("/api/v1/public", _answer())
    app.router.add_get("/api/v1/shared", callers("gateway", "orders")(_answer()))
    app.router.add_get("/internal/v1/unnamed", _answer())
    app.router.add_get("/internal/v1/holds", callers("orders")(_answer()))
    async with TestClient(TestServer(app)) as client:
        yield client


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/api/v1/public", {"gateway"}),
        ("/api/v1/shared", {"gateway", "orders"}),
        ("/internal/v1/unnamed", set()),
        ("/internal/v1/holds", {"orders"}),
    ],
)
async def test_each_route_answers_only_the_callers_it_names(
    service: TestClient, keys_dir: Path, path: str, allowed: set[str]
) -> None:
    for caller in ("gateway", "orders", "catalog"):
        token = keyring(keys_dir, caller).sign(WHO, audience="inventory")
        response = await service.get(path, headers={identity.HEADER: token})
        body = await response.json()
        if caller in allowed:
            assert (response.status, body["data"]) == (200, {"org": "org_1"}), caller
        else:
            assert response.status == 403, caller
            assert body["error"]["code"] == "CALLER_NOT_ALLOWED"
    forged = sign(WHO, key=Ed25519PrivateKey.generate(), issuer="orders", audience="inventory")
    for headers in ({identity.HEADER: forged}, {"X-Org-Id": "org_1"}):
        response = await service.get(path, headers=headers)
        assert response.status == 401
        assert (await response.json())["error"]["code"] == "AUTHENTICATION_REQUIRED"


def test_a_verified_token_is_remembered_until_it_expires_and_still_authorized_per_route(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ring = Keyring(service="catalog", private_key=KEYS["catalog"], public_keys=PUBLIC)
    checked: list[str] = []
    real = identity.authenticate

    def counting(token: str, **kwargs: object) -> identity.Verified:
        checked.append(token)
        return real(token, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(identity, "authenticate", counting)
    token = _token()
    assert ring.verify(token, accepted=frozenset({"gateway"}), request_id="a").request_id == "a"
    assert ring.verify(token, accepted=frozenset({"gateway"}), request_id="b").request_id == "b"
    assert len(checked) == 1  # the second was remembered
    with pytest.raises(CallerNotAllowed):
        ring.verify(token, accepted=frozenset({"orders"}))  # remembered, not allowed here
    # Past its `exp`, a remembered token is verified afresh (and expired tokens fail it).
    later = time.time() + identity.TTL_SECONDS + 1
    monkeypatch.setattr("libs.common.keys.time.time", lambda: later)
    ring.verify(token, accepted=frozenset({"gateway"}))
    assert len(checked) == 2
    for garbage in ("x.y.z", "x.y.z"):  # failures are not remembered
        with pytest.raises(AuthenticationRequired):
            ring.verify(garbage, accepted=frozenset({"gateway"}))
    assert checked[-2:] == ["x.y.z", "x.y.z"]


# Who may call what across the platform: every exception to "the gateway alone" on purpose.
SIBLING_CALLS = {
    ("catalog", "GET", "/api/v1/products"): {"gateway", "orders"},
    ("catalog", "GET", "/api/v1/products/{id}"): {"gateway", "inventory"},
    ("orders", "GET", "/api/v1/orders/{id}"): {"gateway", "inventory"},
    ("inventory", "POST", "/internal/v1/stock-holds"): {"orders"},
    ("inventory", "DELETE", "/internal/v1/stock-holds/{id}"): {"orders"},
    ("inventory", "PUT", "/internal/v1/stock-holds/{id}/order"): {"orders"},
    ("inventory", "PUT", "/internal/v1/products/{id}"): {"catalog"},
    # The dashboard calls every webhooks and events route for its members, but the stream.
    **{
        ("webhooks", op.method, op.path): {"gateway", "dashboard"}
        for op in WEBHOOK_OPERATIONS
        if op.id != "streamEvents"
    },
    ("webhooks", "GET", "/internal/v1/webhooks/health"): {"dashboard"},
    ("webhooks", "GET", "/internal/v1/events/{id}/deliveries"): {"dashboard"},
    ("webhooks", "GET", "/internal/v1/security"): {"dashboard"},
}


def test_the_routes_name_exactly_the_sibling_calls_the_services_make(keys_dir: Path) -> None:
    from cli.registry import load_spec

    declared = {}
    for service in ("catalog", "orders", "inventory", "webhooks"):
        spec = load_spec(service)
        app = spec.create_app(spec.settings_cls(**key_settings(keys_dir, service)))
        for route in app.router.routes():
            path = route.resource.canonical if route.resource else ""
            named = getattr(route.handler, "stacknex_callers", None)
            if path.startswith("/internal/"):
                assert named, f"{service} {route.method} {path} names no caller: unreachable"
            if named is not None and route.method != "HEAD":  # aiohttp's twin of each GET
                declared[(service, route.method, path)] = set(named)
    assert declared == SIBLING_CALLS
