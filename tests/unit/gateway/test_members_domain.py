import hashlib
from datetime import timedelta

import pytest
from argon2 import PasswordHasher

from libs.common.clock import utcnow
from libs.common.roles import PERMISSIONS, Action, Role, may
from services.gateway.domain import credentials
from services.gateway.domain import members as dm
from services.gateway.domain.model import AccessError

NOW = utcnow()

# The whole matrix, written out: a change to the table must change this test too.
EXPECTED = {
    Role.VIEWER: {Action.READ, Action.MANAGE_OWN_ACCOUNT},
    Role.DEVELOPER: {
        Action.READ,
        Action.MANAGE_OWN_ACCOUNT,
        Action.READ_SECRETS,
        Action.MANAGE_KEYS,
        Action.MANAGE_WEBHOOKS,
    },
    Role.OWNER: set(Action),
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_each_role_may_exactly_what_the_matrix_says(role: Role, action: Action) -> None:
    assert may(role, action) is (action in EXPECTED[role])


def test_every_role_has_a_row() -> None:
    assert set(PERMISSIONS) == set(Role)


def test_a_password_hash_is_argon2id_with_the_owasp_parameters_and_verifies() -> None:
    stored = credentials.hash_password("correct horse battery")
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert "correct horse battery" not in stored
    assert credentials.verify_password(stored, "correct horse battery")
    assert not credentials.verify_password(stored, "correct horse batterY")
    assert not credentials.verify_password("not a hash", "anything")
    assert not credentials.needs_rehash(stored)


def test_a_hash_made_with_weaker_parameters_needs_a_rehash() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash("pw")
    assert credentials.needs_rehash(weak)


def test_tokens_are_32_random_bytes_url_safe_and_stored_as_sha256() -> None:
    token = credentials.new_token()
    assert len(token) == 43 and token.replace("-", "").replace("_", "").isalnum()
    assert token != credentials.new_token()
    assert credentials.hash_token(token) == hashlib.sha256(token.encode()).hexdigest()


def test_the_csrf_token_is_the_sessions_own_and_checked_in_constant_time() -> None:
    one, other = credentials.new_token(), credentials.new_token()
    assert credentials.csrf_matches(one, credentials.csrf_token(one))
    assert not credentials.csrf_matches(other, credentials.csrf_token(one))
    assert credentials.csrf_token(one) not in one


def _invited(role: str = "owner") -> dm.Member:
    return dm.invite(
        member_id="mem_x",
        org_id="org_x",
        email=" Ann@Example.COM ",
        role=role,
        invite_hash="h",
        now=NOW,
    )


def test_an_invite_lasts_72_hours_and_normalizes_the_email() -> None:
    member = _invited()
    assert member.email == "ann@example.com"
    assert member.invite_expires_at == NOW + timedelta(hours=72)
    assert member.status == dm.Status.INVITED


@pytest.mark.parametrize(
    ("field", "kwargs"), [("email", {"email": "nope"}), ("role", {"role": "admin"})]
)
def test_a_bad_invite_names_its_field(field: str, kwargs: dict[str, str]) -> None:
    args = {"member_id": "mem_x", "org_id": "org_x", "email": "a@b.co", "role": "viewer"}
    with pytest.raises(AccessError) as refused:
        dm.invite(**{**args, **kwargs}, invite_hash="h", now=NOW)
    assert refused.value.field == field


def test_joining_uses_the_invite_once_and_not_after_it_expired() -> None:
    member = _invited()
    joined = dm.join(member, name="Ann", password_hash="$argon2id$x", now=NOW)
    assert joined.status == dm.Status.ACTIVE and joined.invite_hash is None
    with pytest.raises(dm.InvalidInvite):
        dm.join(joined, name="Ann", password_hash="$argon2id$x", now=NOW)
    with pytest.raises(dm.InvalidInvite):
        dm.join(member, name="Ann", password_hash="$argon2id$x", now=NOW + timedelta(hours=72))


def test_the_last_owner_can_be_neither_demoted_nor_removed() -> None:
    owner = dm.join(_invited(), name="Ann", password_hash="$argon2id$x", now=NOW)
    with pytest.raises(dm.Conflict):
        dm.change_role(owner, role="viewer", owners=1, now=NOW)
    with pytest.raises(dm.Conflict):
        dm.remove(owner, owners=1, now=NOW)
    demoted = dm.change_role(owner, role="viewer", owners=2, now=NOW)
    assert demoted is not None and demoted.role == Role.VIEWER
    removed = dm.remove(owner, owners=2, now=NOW)
    assert removed is not None and removed.password_hash is None
    assert dm.remove(removed, owners=2, now=NOW) is None


def test_a_member_folds_back_from_its_record() -> None:
    joined = dm.join(_invited(), name="Ann", password_hash="$argon2id$x", now=NOW)
    assert dm.fold_member([_invited().record(), joined.record()]) == joined
    assert "passwordHash" not in joined.public()


@pytest.mark.parametrize("password", ["short", "x" * 129])
def test_a_password_has_12_to_128_characters(password: str) -> None:
    with pytest.raises(AccessError) as refused:
        dm.check_password(password)
    assert refused.value.field == "password"
