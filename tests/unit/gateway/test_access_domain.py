from datetime import timedelta

import pytest

from libs.common.clock import utcnow
from services.gateway.domain.access import SCOPES, generate_key, hash_secret, parse_key
from services.gateway.domain.model import (
    AccessError,
    change_plan,
    create_key,
    create_organization,
    fold_key,
    revoke_key,
)

NOW = utcnow()
ORG = create_organization(
    org_id="org_x", name="Acme", plan="professional", location_id="loc_x", now=NOW
)


def test_generated_keys_have_the_documented_format_and_parse_back() -> None:
    parts, token = generate_key("live")
    assert token.startswith("nxp_live_")
    _, _, public_id, secret = token.split("_")
    assert len(public_id) == 12 and public_id.isalnum()
    assert len(secret) == 32 and int(secret, 16) >= 0
    assert parse_key(token) == parts


@pytest.mark.parametrize(
    "token",
    [
        "nxp_prod_aBcDeFgHiJkL_1234567890abcdef1234567890abcdef",
        "nxp_live_aBcDeFgHiJk_1234567890abcdef1234567890abcdef",
        "nxp_live_aBcDeFgHiJkL_1234567890abcdef",
        "nxp_live_aBcDeFgHiJkL_1234567890ABCDEF1234567890ABCDEF",
        "sk_live_aBcDeFgHiJkL_1234567890abcdef1234567890abcdef",
        "",
    ],
)
def test_malformed_keys_do_not_parse(token: str) -> None:
    assert parse_key(token) is None


def test_the_seed_example_key_has_a_valid_shape() -> None:
    assert parse_key("nxp_live_aBcDeFgHiJkL_1234567890abcdef1234567890abcdef") is not None


def test_a_key_without_scopes_has_all_of_them_and_write_does_not_imply_read() -> None:
    everything = create_key(
        key_id="key_1",
        org=ORG,
        mode="test",
        public_id="p" * 12,
        secret_hash=hash_secret("s"),
        scopes=None,
        expires_at=None,
        now=NOW,
    )
    assert everything.scopes == SCOPES
    writer = create_key(
        key_id="key_2",
        org=ORG,
        mode="live",
        public_id="q" * 12,
        secret_hash=hash_secret("s"),
        scopes=["products:write"],
        expires_at=None,
        now=NOW,
    )
    assert "products:read" not in writer.scopes


def test_unknown_scopes_modes_and_past_expiries_are_refused() -> None:
    common = dict(key_id="key_1", org=ORG, public_id="p" * 12, secret_hash="h", now=NOW)
    with pytest.raises(AccessError, match="scope") as bad_scope:
        create_key(mode="live", scopes=["products:delete"], expires_at=None, **common)  # type: ignore[arg-type]
    assert bad_scope.value.field == "scopes"
    with pytest.raises(AccessError):
        create_key(mode="staging", scopes=None, expires_at=None, **common)  # type: ignore[arg-type]
    with pytest.raises(AccessError):
        create_key(mode="live", scopes=None, expires_at=NOW - timedelta(seconds=1), **common)  # type: ignore[arg-type]


def test_plan_changes_and_revocations_are_versioned_and_idempotent() -> None:
    assert change_plan(ORG, plan="professional", now=NOW) is None
    upgraded = change_plan(ORG, plan="enterprise", now=NOW)
    assert upgraded is not None and upgraded.version == 2
    with pytest.raises(AccessError):
        change_plan(ORG, plan="platinum", now=NOW)
    key = create_key(
        key_id="key_1",
        org=ORG,
        mode="live",
        public_id="p" * 12,
        secret_hash="h",
        scopes=None,
        expires_at=None,
        now=NOW,
    )
    revoked = revoke_key(key, now=NOW)
    assert revoked is not None and revoked.revoked_at == NOW and revoked.version == 2
    assert revoke_key(revoked, now=NOW) is None


def test_a_key_folds_from_its_events_keeping_the_private_hash() -> None:
    key = create_key(
        key_id="key_1",
        org=ORG,
        mode="live",
        public_id="p" * 12,
        secret_hash="abc",
        scopes=["orders:read"],
        expires_at=None,
        now=NOW,
    )
    revoked = revoke_key(key, now=NOW)
    assert revoked is not None
    folded = fold_key([{**key.public(), "secretHash": "abc"}, revoked.public()])
    assert folded == revoked
