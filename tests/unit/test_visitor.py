"""The gateway's word to the dashboard: only the gateway's key, for the dashboard, in time."""

import time
from pathlib import Path

import pytest

from cli.keys import generate
from libs.common import visitor
from libs.common.errors import AuthenticationRequired
from libs.common.keys import Keyring, load_keyring

MEMBER = visitor.SignedIn(
    member_id="mem_1",
    organization_id="org_1",
    role="developer",
    email="dev@example.com",
    session_hash="ab" * 32,
    csrf_token="csrf",
)


@pytest.fixture(scope="module")
def keyrings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Keyring]:
    directory: Path = tmp_path_factory.mktemp("keys")
    generate(directory)
    return {
        name: load_keyring(
            service=name,
            signing_key_file=directory / f"{name}.key",
            public_keys_dir=directory / "public",
        )
        for name in ("gateway", "dashboard", "orders")
    }


def test_a_visitor_signed_by_the_gateway_reads_back_whole(keyrings: dict[str, Keyring]) -> None:
    for who in (visitor.Visitor("10.0.0.1", MEMBER), visitor.Visitor("10.0.0.2", None)):
        token = visitor.sign(who, keyring=keyrings["gateway"])
        assert visitor.verify(token, keyring=keyrings["dashboard"]) == who


def test_another_service_cannot_vouch_for_a_visitor(keyrings: dict[str, Keyring]) -> None:
    token = visitor.sign(visitor.Visitor("10.0.0.1", MEMBER), keyring=keyrings["orders"])
    with pytest.raises(AuthenticationRequired):
        visitor.verify(token, keyring=keyrings["dashboard"])


def test_an_expired_or_altered_visitor_is_refused(keyrings: dict[str, Keyring]) -> None:
    old = visitor.sign(
        visitor.Visitor("10.0.0.1", MEMBER), keyring=keyrings["gateway"], now=time.time() - 60
    )
    fresh = visitor.sign(visitor.Visitor("10.0.0.1", MEMBER), keyring=keyrings["gateway"])
    head, body, signature = fresh.split(".")
    altered = ".".join((head, body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1], signature))
    for token in (old, altered, "", "not-a-token"):
        with pytest.raises(AuthenticationRequired):
            visitor.verify(token, keyring=keyrings["dashboard"])
