"""Keys' names, actors, statuses and rolls: the domain alone, with a fixed clock; and the
replica's in-memory "last used" notes."""

from datetime import timedelta

import pytest

from libs.common.clock import utcnow
from services.gateway.adapters.key_usage import KeyUsage
from services.gateway.domain.model import (
    AccessError,
    ApiKey,
    KeyNotUsable,
    create_key,
    create_organization,
    end_after_grace,
    fold_key,
    key_from,
    revoke_key,
)

NOW = utcnow()
ORG = create_organization(
    org_id="org_x", name="Acme", plan="professional", location_id="loc_x", now=NOW
)


def _key(**overrides: object) -> ApiKey:
    options: dict[str, object] = dict(
        key_id="key_1",
        org=ORG,
        mode="live",
        public_id="p" * 12,
        secret_hash="h",
        scopes=None,
        expires_at=None,
        now=NOW,
    )
    options.update(overrides)
    return create_key(**options)  # type: ignore[arg-type]


def test_a_name_is_trimmed_and_has_1_to_100_characters() -> None:
    assert _key(name="  Till app \n").name == "Till app"
    for bad in ("", "   ", "x" * 101):
        with pytest.raises(AccessError) as refused:
            _key(name=bad)
        assert refused.value.field == "name"
    assert _key(name="x" * 100).name == "x" * 100


def test_keys_from_before_names_read_as_the_operators_cli_keys() -> None:
    old_event = _key().public()
    for added in ("name", "createdBy", "rolledFrom"):
        old_event.pop(added)
    key = key_from(old_event, secret_hash="h")
    assert (key.name, key.created_by, key.rolled_from) == ("CLI key", "operator", None)
    made = _key(name="Web", created_by="mem_1", rolled_from="key_0")
    assert fold_key([{**made.public(), "secretHash": "h"}]) == made


def test_status_tells_active_expiring_expired_and_revoked_apart() -> None:
    assert _key().status(now=NOW) == "active"
    assert _key(expires_at=NOW + timedelta(days=8)).status(now=NOW) == "active"
    soon = _key(expires_at=NOW + timedelta(days=7))
    assert soon.status(now=NOW) == "expiring"
    assert soon.status(now=NOW + timedelta(days=7)) == "expired"
    revoked = revoke_key(soon, now=NOW)
    assert revoked is not None and revoked.status(now=NOW) == "revoked"


def test_a_roll_ends_the_old_key_after_the_grace_never_later_than_it_would_have() -> None:
    key = _key()
    ended = end_after_grace(key, grace_seconds=3600, now=NOW)
    assert ended.expires_at == NOW + timedelta(hours=1) and ended.version == key.version + 1
    assert end_after_grace(key, grace_seconds=0, now=NOW).status(now=NOW) == "expired"
    assert end_after_grace(key, grace_seconds=7 * 86400, now=NOW).status(now=NOW) == "expiring"
    short = _key(expires_at=NOW + timedelta(minutes=5))
    assert end_after_grace(short, grace_seconds=86400, now=NOW).expires_at == short.expires_at
    for grace in (-1, 7 * 86400 + 1):
        with pytest.raises(AccessError) as refused:
            end_after_grace(key, grace_seconds=grace, now=NOW)
        assert refused.value.field == "graceSeconds"


def test_a_revoked_or_expired_key_cannot_be_rolled() -> None:
    revoked = revoke_key(_key(), now=NOW)
    assert revoked is not None
    with pytest.raises(KeyNotUsable):
        end_after_grace(revoked, grace_seconds=60, now=NOW)
    expired = _key(expires_at=NOW + timedelta(seconds=1))
    with pytest.raises(KeyNotUsable):
        end_after_grace(expired, grace_seconds=60, now=NOW + timedelta(seconds=2))


class _Pool:
    """Stands in for asyncpg.Pool's one method the flush uses."""

    def __init__(self, *, fail: bool = False) -> None:
        self.fail = fail
        self.calls: list[tuple[str, list[str], list[object]]] = []

    async def execute(self, sql: str, ids: list[str], times: list[object]) -> None:
        if self.fail:
            raise ConnectionError("down")
        self.calls.append((sql, ids, times))


async def test_notes_are_flushed_in_one_statement_and_kept_when_it_fails() -> None:
    clock = iter([100.0, 101.0, 102.0, 103.0])
    usage = KeyUsage(timer=lambda: next(clock))
    usage.note("key_a")
    usage.note("key_b")
    usage.note("key_a")  # the later time wins
    down = _Pool(fail=True)
    with pytest.raises(ConnectionError):
        await usage.flush(down)
    usage.note("key_b")  # noted meanwhile: newer than the failed flush's
    pool = _Pool()
    assert await usage.flush(pool) == 2
    assert await usage.flush(pool) == 0  # nothing new: no query
    ((sql, ids, times),) = pool.calls
    assert sql.count("unnest") == 1 and "GREATEST" in sql
    stamps = dict(zip(ids, [t.timestamp() for t in times], strict=True))  # type: ignore[attr-defined]
    assert stamps == {"key_a": 102.0, "key_b": 103.0}
