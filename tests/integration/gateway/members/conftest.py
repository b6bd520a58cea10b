"""Members' and sessions' use cases over the real PostgreSQL and Redis, a movable clock,
and throttle counters of their own per test."""

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timedelta

import asyncpg
import pytest
from redis import asyncio as aioredis

from libs.common.clock import utcnow
from services.gateway.adapters.throttle import AuthThrottle, SignInThrottle
from services.gateway.domain import members as dm
from services.gateway.members import Members
from services.gateway.service import Access
from services.gateway.sessions import Sessions
from tests.conftest import REDIS_URL, unique

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
