"""Members, invites and sessions against the real PostgreSQL and Redis: the whole path from
an invite to signing out, the refusals, the throttle, the timeouts, and what is at rest."""

import io
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path

import asyncpg
import pytest
import structlog
from aiohttp import web
from argon2 import PasswordHasher
from redis import asyncio as aioredis

from libs.common.clock import utcnow
from libs.common.logging import configure_logging
from services.gateway.adapters.throttle import AuthThrottle, SignInThrottle
from services.gateway.app import MEMBERS, SESSIONS, create_app
from services.gateway.domain import credentials
from services.gateway.domain import members as dm
from services.gateway.members import Members, Principal
from services.gateway.service import Access, event_store
from services.gateway.sessions import Sessions
from services.gateway.settings import Settings
from tests.conftest import AMQP_URL, REDIS_URL, key_settings, unique

PASSWORD = "correct horse battery staple"


class Clock:
    """The clock the use cases read, moved by the test."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
async def redis() -> AsyncIterator[aioredis.Redis]:
    client = aioredis.Redis.from_url(REDIS_URL)
    yield client
    await client.aclose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def members(gateway_db: asyncpg.Pool, clock: Clock) -> Members:
    return Members(pool=gateway_db, public_url="https://gw.example/", clock=clock)


SessionsFactory = Callable[..., Sessions]


@pytest.fixture
def make_sessions(
    gateway_db: asyncpg.Pool, members: Members, redis: aioredis.Redis
) -> SessionsFactory:
    def make(email_limit: int = 5, address_limit: int = 20) -> Sessions:
        # Counters of their own per test: nothing left by another test or run counts here.
        prefix = unique("signin")
        throttle = SignInThrottle(
            by_email=AuthThrottle(redis, limit=email_limit, window=900, prefix=f"{prefix}:e"),
            by_address=AuthThrottle(redis, limit=address_limit, window=900, prefix=f"{prefix}:a"),
        )
        return Sessions(
            pool=gateway_db,
            members=members,
            throttle=throttle,
            idle_timeout=1800,
            absolute_timeout=12 * 3600,
        )

    return make


@pytest.fixture
def sessions(make_sessions: SessionsFactory) -> Sessions:
    return make_sessions()


@pytest.fixture
async def org_id(gateway_db: asyncpg.Pool) -> str:
    org = await Access(pool=gateway_db).create_organization(name="Acme", plan="professional")
    return org.id


Join = Callable[..., Awaitable[dm.Member]]


@pytest.fixture
def join(members: Members, org_id: str) -> Join:
    async def joined(role: str = "owner", email: str | None = None) -> dm.Member:
        email = email or f"{unique('m')}@example.com"
        invitation = await members.invite(org_id=org_id, email=email, role=role)
        token = invitation.link.rsplit("/", 1)[1]
        return await members.accept_invite(token=token, name="Ann Member", password=PASSWORD)

    return joined


async def test_invite_accept_sign_in_authenticate_and_sign_out(
    members: Members, sessions: Sessions, org_id: str, gateway_db: asyncpg.Pool
) -> None:
    invitation = await members.invite(org_id=org_id, email="Ann@Acme.example", role="developer")
    prefix = "https://gw.example/dashboard/invite/"
    assert invitation.link.startswith(prefix)
    token = invitation.link.removeprefix(prefix)
    member = await members.accept_invite(token=token, name=" Ann ", password=PASSWORD)
    assert (member.name, member.status, member.role.value) == ("Ann", "active", "developer")

    signed_in = await sessions.sign_in(email="ann@acme.example", password=PASSWORD, address="a1")
    who = await sessions.authenticate(token=signed_in.token)
    assert (who.member_id, who.organization_id, who.role.value, who.email) == (
        member.id,
        org_id,
        "developer",
        "ann@acme.example",
    )
    assert who.csrf_token == signed_in.csrf_token
    assert [m.id for m in await members.list_members(org_id=org_id)] == [member.id]

    await sessions.sign_out(token=signed_in.token)
    with pytest.raises(dm.NotAuthenticated):
        await sessions.authenticate(token=signed_in.token)
    async with gateway_db.acquire() as conn:
        actors = await conn.fetch(
            "SELECT type, metadata->>'actor' AS actor FROM events WHERE stream_id = $1"
            " ORDER BY version",
            member.id,
        )
        queued = await conn.fetchval(
            "SELECT count(*) FROM outbox o JOIN events e USING (position) WHERE e.stream_id = $1",
            member.id,
        )
    assert [(r["type"], r["actor"]) for r in actors] == [
        ("member.invited", "operator"),
        ("member.joined", member.id),
    ]
    assert queued == 0  # private events: nothing of a member goes on the bus


async def test_a_wrong_password_and_an_unknown_email_give_the_same_error_and_cost(
    join: Join, make_sessions: SessionsFactory
) -> None:
    sessions = make_sessions(email_limit=100, address_limit=100)
    member = await join()
    refusals, unknown, wrong = set(), [], []
    for _ in range(5):
        for email, password, timings in (
            ("nobody@example.com", PASSWORD, unknown),
            (member.email, "not the password!", wrong),
        ):
            started = time.perf_counter()
            with pytest.raises(dm.SignInFailed) as refused:
                await sessions.sign_in(email=email, password=password, address="a2")
            timings.append(time.perf_counter() - started)
            refusals.add((str(refused.value), refused.value.field))
    assert refusals == {("The email or password is wrong.", None)}
    # The unknown email is verified against a dummy hash: without it, it would answer in
    # well under a tenth of the time argon2 takes. The fastest of five tolerates a busy CPU.
    assert min(unknown) > 0.5 * min(wrong)


async def test_failed_sign_ins_are_throttled_per_email_and_per_address(
    join: Join, make_sessions: SessionsFactory
) -> None:
    member = await join()
    sessions = make_sessions(email_limit=3, address_limit=5)
    for n in range(3):
        with pytest.raises(dm.SignInFailed):
            await sessions.sign_in(email=member.email, password="wrong password", address=f"e{n}")
    # Even the right password is refused now, before it is checked.
    with pytest.raises(dm.SignInThrottled) as throttled:
        await sessions.sign_in(email=member.email, password=PASSWORD, address="elsewhere")
    assert 1 <= throttled.value.retry_after <= 900

    spraying = make_sessions(email_limit=3, address_limit=5)
    for n in range(5):
        with pytest.raises(dm.SignInFailed):
            await spraying.sign_in(email=f"guess{n}@example.com", password="x", address="spray")
    with pytest.raises(dm.SignInThrottled):
        await spraying.sign_in(email=member.email, password=PASSWORD, address="spray")
    assert await spraying.sign_in(email=member.email, password=PASSWORD, address="other")


async def test_idle_and_absolute_timeouts_and_the_idle_expiry_written_once_a_minute(
    join: Join, sessions: Sessions, clock: Clock, gateway_db: asyncpg.Pool
) -> None:
    member = await join()
    signed_in = await sessions.sign_in(email=member.email, password=PASSWORD, address="a3")
    token_hash = credentials.hash_token(signed_in.token)

    async def last_seen() -> datetime:
        async with gateway_db.acquire() as conn:
            value: datetime = await conn.fetchval(
                "SELECT last_seen_at FROM member_sessions WHERE token_hash = $1", token_hash
            )
        return value

    started = await last_seen()
    clock.advance(seconds=30)
    await sessions.authenticate(token=signed_in.token)
    assert await last_seen() == started  # within the minute: no write
    clock.advance(seconds=31)
    await sessions.authenticate(token=signed_in.token)
    assert await last_seen() == clock.now

    # Used every 29 minutes, the session lives until 12 h after sign-in, and not a moment more.
    while clock.now + timedelta(minutes=29) < started + timedelta(hours=12):
        clock.advance(minutes=29)
        await sessions.authenticate(token=signed_in.token)
    clock.now = started + timedelta(hours=12)
    with pytest.raises(dm.NotAuthenticated):
        await sessions.authenticate(token=signed_in.token)

    idle = await sessions.sign_in(email=member.email, password=PASSWORD, address="a3")
    clock.advance(minutes=29, seconds=59)
    await sessions.authenticate(token=idle.token)
    clock.advance(minutes=30)
    with pytest.raises(dm.NotAuthenticated):
        await sessions.authenticate(token=idle.token)


async def test_a_password_change_ends_the_other_sessions_and_sign_out_everywhere_all(
    join: Join, sessions: Sessions, members: Members
) -> None:
    member = await join()
    here = await sessions.sign_in(email=member.email, password=PASSWORD, address="a4")
    there = await sessions.sign_in(email=member.email, password=PASSWORD, address="a4")
    me = await sessions.authenticate(token=here.token)
    with pytest.raises(dm.AccessError) as refused:
        await members.change_password(
            by=me, current_password="not it at all", new_password="another long password"
        )
    assert refused.value.field == "currentPassword"
    await members.change_password(
        by=me, current_password=PASSWORD, new_password="another long password"
    )
    assert (await sessions.authenticate(token=here.token)).member_id == member.id
    with pytest.raises(dm.NotAuthenticated):
        await sessions.authenticate(token=there.token)
    with pytest.raises(dm.SignInFailed):
        await sessions.sign_in(email=member.email, password=PASSWORD, address="a4")
    again = await sessions.sign_in(
        email=member.email, password="another long password", address="a4"
    )
    assert await sessions.sign_out_everywhere(by=me) == 2
    for token in (here.token, again.token):
        with pytest.raises(dm.NotAuthenticated):
            await sessions.authenticate(token=token)


async def test_the_last_owner_can_be_neither_demoted_nor_removed(
    join: Join, members: Members, sessions: Sessions
) -> None:
    first = await join("owner")
    with pytest.raises(dm.Conflict):
        await members.change_role(member_id=first.id, role="developer")
    with pytest.raises(dm.Conflict):
        await members.remove(member_id=first.id)
    second = await join("owner")
    assert (await members.change_role(member_id=first.id, role="viewer")).role.value == "viewer"
    with pytest.raises(dm.Conflict):
        await members.remove(member_id=second.id)

    # A removed member's sessions end with them, and the role a session reports is current.
    signed_in = await sessions.sign_in(email=first.email, password=PASSWORD, address="a5")
    assert (await sessions.authenticate(token=signed_in.token)).role.value == "viewer"
    await members.change_role(member_id=first.id, role="developer")
    assert (await sessions.authenticate(token=signed_in.token)).role.value == "developer"
    await members.remove(member_id=first.id)
    with pytest.raises(dm.NotAuthenticated):
        await sessions.authenticate(token=signed_in.token)


async def test_roles_are_enforced_on_the_member_use_cases(
    join: Join, members: Members, sessions: Sessions, org_id: str
) -> None:
    viewer = await join("viewer")
    as_viewer = await sessions.authenticate(
        token=(await sessions.sign_in(email=viewer.email, password=PASSWORD, address="a6")).token
    )
    with pytest.raises(dm.Forbidden):
        await members.invite(org_id=org_id, email="x@example.com", role="owner", by=as_viewer)
    with pytest.raises(dm.Forbidden):
        await members.change_role(member_id=viewer.id, role="owner", by=as_viewer)
    assert await members.list_members(org_id=org_id, by=as_viewer)

    owner = await join("owner")
    as_owner = await sessions.authenticate(
        token=(await sessions.sign_in(email=owner.email, password=PASSWORD, address="a6")).token
    )
    invited = await members.invite(org_id=org_id, email="y@example.com", role="viewer", by=as_owner)
    other_org = Principal(**{**as_owner.__dict__, "organization_id": "org_other"})
    with pytest.raises(dm.Forbidden):
        await members.remove(member_id=invited.member.id, by=other_org)


async def test_an_expired_or_reused_invite_is_refused(
    members: Members, org_id: str, clock: Clock
) -> None:
    first = await members.invite(org_id=org_id, email="late@example.com", role="viewer")
    clock.advance(hours=72)
    with pytest.raises(dm.InvalidInvite):
        await members.accept_invite(token=first.link.rsplit("/", 1)[1], name="L", password=PASSWORD)

    second = await members.invite(org_id=org_id, email="twice@example.com", role="viewer")
    token = second.link.rsplit("/", 1)[1]
    await members.accept_invite(token=token, name="T", password=PASSWORD)
    with pytest.raises(dm.InvalidInvite):
        await members.accept_invite(token=token, name="T", password="a different password")
    with pytest.raises(dm.Conflict):
        await members.invite(org_id=org_id, email="TWICE@example.com", role="viewer")


async def test_a_weaker_hash_is_redone_at_sign_in_without_ending_sessions(
    members: Members,
    sessions: Sessions,
    org_id: str,
    monkeypatch: pytest.MonkeyPatch,
    gateway_db: asyncpg.Pool,
) -> None:
    invitation = await members.invite(org_id=org_id, email="old@example.com", role="viewer")
    with monkeypatch.context() as patch:
        patch.setattr(credentials, "PASSWORDS", PasswordHasher(time_cost=1, memory_cost=8192))
        member = await members.accept_invite(
            token=invitation.link.rsplit("/", 1)[1], name="Old", password=PASSWORD
        )
    assert member.password_hash and "m=8192" in member.password_hash
    earlier = await sessions.sign_in(email=member.email, password=PASSWORD, address="a7")
    async with gateway_db.acquire() as conn:
        stored = await conn.fetchval("SELECT password_hash FROM members WHERE id = $1", member.id)
        last = await conn.fetchval(
            "SELECT type FROM events WHERE stream_id = $1 ORDER BY version DESC LIMIT 1", member.id
        )
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert last == "member.password_rehashed"
    await sessions.authenticate(token=earlier.token)
    assert await sessions.sign_in(email=member.email, password=PASSWORD, address="a7")


async def test_no_password_token_or_session_id_in_the_logs_or_at_rest(
    members: Members, sessions: Sessions, org_id: str, gateway_db: asyncpg.Pool
) -> None:
    # The service's own logging, its one handler writing into `captured`; both restored.
    root, structlog_config = logging.getLogger(), structlog.get_config()
    saved, level, captured = list(root.handlers), root.level, io.StringIO()
    configure_logging(service="gateway")
    root.handlers[0].setStream(captured)  # type: ignore[attr-defined]
    try:
        invitation = await members.invite(org_id=org_id, email="sec@example.com", role="owner")
        invite_token = invitation.link.rsplit("/", 1)[1]
        member = await members.accept_invite(token=invite_token, name="Sec", password=PASSWORD)
        signed_in = await sessions.sign_in(email=member.email, password=PASSWORD, address="a8")
        with pytest.raises(dm.SignInFailed):
            await sessions.sign_in(email=member.email, password="wrong " + PASSWORD, address="a8")
        me = await sessions.authenticate(token=signed_in.token)
        await sessions.sign_out_everywhere(by=me)
    finally:
        root.handlers, root.level = saved, level
        structlog.configure(**structlog_config)
    logs = captured.getvalue()
    assert "signin.succeeded" in logs and member.id in logs  # the capture saw the lines
    secrets = [PASSWORD, invite_token, signed_in.token, signed_in.csrf_token]
    hashes = [member.password_hash or "?", credentials.hash_token(signed_in.token)]
    assert [s for s in secrets + hashes if s in logs] == []

    async with gateway_db.acquire() as conn:
        rows = [
            row
            for table in ("members", "member_sessions", "events")
            for row in await conn.fetch(f"SELECT * FROM {table}")
        ]
    at_rest = "\n".join(str(dict(row)) for row in rows)
    assert [s for s in secrets if s in at_rest] == []
    assert credentials.hash_token(invite_token) in at_rest  # the invite, as its hash only
    assert credentials.hash_token(signed_in.token) in at_rest
    assert "$argon2id$" in at_rest


async def test_the_members_read_model_rebuilds_from_the_events(
    join: Join, members: Members, gateway_db: asyncpg.Pool
) -> None:
    kept = await join("developer")
    gone = await join("viewer")
    await members.remove(member_id=gone.id)
    async with gateway_db.acquire() as conn:
        before = [dict(r) for r in await conn.fetch("SELECT * FROM members ORDER BY id")]
        assert await event_store().rebuild(conn) > 0
        after = [dict(r) for r in await conn.fetch("SELECT * FROM members ORDER BY id")]
    assert after == before
    assert {(r["id"], r["status"]) for r in after} >= {(kept.id, "active"), (gone.id, "removed")}


async def test_the_gateway_builds_the_use_cases_from_its_settings(
    database_url: str, gateway_db: asyncpg.Pool, keys_dir: Path, exchange: str, join: Join
) -> None:
    settings = Settings(
        environment="test",
        database_url=database_url,
        amqp_url=AMQP_URL,
        events_exchange=exchange,
        redis_url=REDIS_URL,
        public_url="https://dash.example",
        session_idle_timeout=120,
        signin_email_limit=1,
        **key_settings(keys_dir, "gateway"),
    )
    runner = web.AppRunner(create_app(settings))
    await runner.setup()  # runs every cleanup context, as a start does
    try:
        app = runner.app
        invited = await app[MEMBERS].invite(
            org_id=(await join()).organization_id, email=f"{unique('w')}@x.example", role="viewer"
        )
        assert invited.link.startswith("https://dash.example/dashboard/invite/")
        assert app[SESSIONS].idle == timedelta(seconds=120)
        member, address = await join(), unique("w")  # the app's counters outlive the test
        with pytest.raises(dm.SignInFailed):
            await app[SESSIONS].sign_in(email=member.email, password="nope", address=address)
        with pytest.raises(dm.SignInThrottled):  # the limit of 1 from the settings
            await app[SESSIONS].sign_in(email=member.email, password=PASSWORD, address=address)
    finally:
        await runner.cleanup()
