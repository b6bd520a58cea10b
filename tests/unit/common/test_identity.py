import pytest

from libs.common.errors import AuthenticationRequired
from libs.common.identity import Identity, sign, verify

SECRET = "a-test-secret-that-is-long-enough-for-hs256"
WHO = Identity(
    organization_id="org_1",
    mode="test",
    key_id="key_1",
    scopes=frozenset({"products:read"}),
    request_id="req_1",
)


def test_a_signed_identity_verifies_for_its_audience() -> None:
    token = sign(WHO, secret=SECRET, audience="catalog")
    assert verify(token, secret=SECRET, audience="catalog", request_id="req_1") == WHO


@pytest.mark.parametrize(
    ("token_secret", "audience", "issued_ago"),
    [
        (
            "another-secret-of-sufficient-length-xx",
            "catalog",
            0,
        ),  # forged by someone without the secret
        (SECRET, "orders", 0),  # meant for another service
        (SECRET, "catalog", 31),  # expired
    ],
)
def test_forged_misaddressed_or_stale_identities_are_refused(
    token_secret: str, audience: str, issued_ago: int
) -> None:
    import time

    token = sign(WHO, secret=token_secret, audience="catalog", now=time.time() - issued_ago)
    with pytest.raises(AuthenticationRequired):
        verify(token, secret=SECRET, audience=audience)


@pytest.mark.parametrize("token", ["", "org_1", "a.b.c", "eyJhbGciOiJub25lIn0.e30."])
def test_garbage_and_unsigned_tokens_are_refused(token: str) -> None:
    with pytest.raises(AuthenticationRequired):
        verify(token, secret=SECRET, audience="catalog")
