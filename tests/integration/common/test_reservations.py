"""A write's reservation (what it takes from other services before its transaction, as a
sale holds stock): made outside the transaction, given back whenever the write does not
commit, and made after the Idempotency-Key's claim when the request has one."""

from dataclasses import dataclass, field

import asyncpg
import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from libs.common import jsoncodec
from libs.common.identity import IDENTITY, Identity
from libs.common.settings import ServiceSettings
from libs.common.web import POOL, SETTINGS, ok
from libs.common.writes import write

WHO = Identity(
    organization_id="org_x", mode="live", key_id="key_x", scopes=frozenset(), request_id="r"
)


@dataclass
class Tally:
    """A reservation that notes what it was given and whether it was released."""

    reserved_with: list[object] = field(default_factory=list)
    released: int = 0
    in_transaction: list[bool] = field(default_factory=list)

    async def reserve(self, db: asyncpg.Pool | asyncpg.Connection) -> None:
        self.reserved_with.append(db)
        self.in_transaction.append(isinstance(db, asyncpg.Connection) and db.is_in_transaction())

    async def release(self) -> None:
        self.released += 1


def _request(pool: asyncpg.Pool, *, key: str | None = None) -> web.Request:
    app = web.Application()
    app[POOL] = pool
    app[SETTINGS] = ServiceSettings()
    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers["Idempotency-Key"] = key
    request = make_mocked_request("POST", "/api/v1/things", headers=headers, app=app)
    request._read_bytes = jsoncodec.dumps({"n": 1})  # the body the handler was sent
    request[IDENTITY] = WHO
    return request


async def _insert(conn: asyncpg.Connection) -> web.Response:
    await conn.execute("INSERT INTO things VALUES (1)")
    return ok({"n": 1}, status=201)


@pytest.fixture
async def things(pool: asyncpg.Pool) -> asyncpg.Pool:
    await pool.execute("CREATE TABLE things (n int PRIMARY KEY)")
    return pool


async def test_a_write_that_commits_keeps_what_it_reserved_from_the_pool(
    things: asyncpg.Pool,
) -> None:
    tally = Tally()
    response = await write(_request(things), _insert, reservation=tally)
    assert response.status == 201
    # Reserved before the transaction, with the pool: no connection was held meanwhile.
    assert tally.reserved_with == [things] and tally.in_transaction == [False]
    assert tally.released == 0
    assert await things.fetchval("SELECT count(*) FROM things") == 1


async def test_a_failed_write_gives_back_what_it_reserved(things: asyncpg.Pool) -> None:
    tally = Tally()

    async def fails(conn: asyncpg.Connection) -> web.Response:
        await _insert(conn)
        raise RuntimeError("the append failed")

    with pytest.raises(RuntimeError):
        await write(_request(things), fails, reservation=tally)
    assert tally.released == 1
    assert await things.fetchval("SELECT count(*) FROM things") == 0


async def test_a_commit_that_fails_gives_back_what_it_reserved(things: asyncpg.Pool) -> None:
    # A deferred constraint fails at COMMIT, after the work itself has returned.
    await things.execute(
        "CREATE TABLE parents (n int PRIMARY KEY);"
        " ALTER TABLE things ADD CONSTRAINT parent FOREIGN KEY (n) REFERENCES parents (n)"
        " DEFERRABLE INITIALLY DEFERRED"
    )
    tally = Tally()
    with pytest.raises(asyncpg.ForeignKeyViolationError):
        await write(_request(things), _insert, reservation=tally)
    assert tally.released == 1


async def test_with_an_idempotency_key_it_is_reserved_after_the_claim_and_once(
    things: asyncpg.Pool,
) -> None:
    tally = Tally()
    first = await write(_request(things, key="sale-1"), _insert, reservation=tally)
    # Inside the transaction that holds the key's lock: a retry meanwhile is 409, not a
    # second reservation competing with the first.
    assert tally.in_transaction == [True] and tally.released == 0
    again = await write(_request(things, key="sale-1"), _insert, reservation=tally)
    assert again.headers["Idempotent-Replayed"] == "true" and again.body == first.body
    assert len(tally.reserved_with) == 1  # the replay reserved nothing
    assert await things.fetchval("SELECT count(*) FROM things") == 1
