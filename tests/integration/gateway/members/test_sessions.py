"""Signing in and out, the throttle, the timeouts, password changes and rehashing, over
the real PostgreSQL and Redis; and the app building the use cases from its settings."""

import time
from datetime import datetime, timedelta
from pathlib import Path

import asyncpg
import pytest
from aiohttp import web
from argon2 import PasswordHasher

from services.gateway.app import create_app
from services.gateway.domain import credentials
from services.gateway.domain import members as dm
from services.gateway.http.internal.auth import MEMBERS, SESSIONS
from services.gateway.members import Members
from services.gateway.sessions import Sessions
from services.gateway.settings import Settings
from tests.conftest import AMQP_URL, REDIS_URL, key_settings, unique
from tests.integration.gateway.members.conftest import (
    PASSWORD,
    Clock,
    Join,
    SessionsFactory,
)


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
