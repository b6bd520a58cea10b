"""The dashboard's API keys, through the gateway's internal API as the dashboard calls it (a
signed identity naming the member), against the real gateway, PostgreSQL, RabbitMQ and
Redis; and the keys it makes, presented to the public API over TLS."""

import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pytest

from libs.common import identity
from libs.common.keys import Keyring
from services.gateway.domain.access import SCOPES
from services.gateway.members import Members
from services.gateway.service import Access, event_store
from tests.conftest import keyring, until
from tests.integration.gateway.conftest import Gateway, GatewayFactory

PASSWORD = "correct horse battery staple"
PRODUCTS = "/api/v1/products"


@dataclass(frozen=True)
class Member:
    id: str
    org_id: str
    email: str


@pytest.fixture(scope="module")
async def gateway(start_gateway: GatewayFactory) -> Gateway:
    # Flushes "last used" five times a second, so a test sees it without waiting 30 s.
    return await start_gateway(key_usage_flush_interval=0.2)


@pytest.fixture(scope="module")
def dashboard_keys(keys_dir: Path) -> Keyring:
    return keyring(keys_dir, "dashboard")


@pytest.fixture(scope="module")
async def plain() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def _member(pool: asyncpg.Pool, org_id: str, role: str) -> Member:
    members = Members(pool=pool, public_url="https://gw.example/")
    email = f"{role}-{secrets.token_hex(4)}@example.com"
    invitation = await members.invite(org_id=org_id, email=email, role=role)
    joined = await members.accept_invite(
        token=invitation.link.rsplit("/", 1)[1], name=role.title(), password=PASSWORD
    )
    return Member(joined.id, org_id, email)


@pytest.fixture(scope="module")
async def team(access: Access, gateway_db: asyncpg.Pool) -> dict[str, Member]:
    org = await access.create_organization(name="Keys Co", plan="professional")
    other = await access.create_organization(name="Other Co", plan="professional")
    return {
        "owner": await _member(gateway_db, org.id, "owner"),
        "developer": await _member(gateway_db, org.id, "developer"),
        "viewer": await _member(gateway_db, org.id, "viewer"),
        "stranger": await _member(gateway_db, other.id, "owner"),
    }


@dataclass
class Dashboard:
    """Calls the internal API as the dashboard does, for one member in one mode."""

    gateway: Gateway
    http: aiohttp.ClientSession
    keys: Keyring

    async def call(
        self, member: Member, method: str, path: str, body: Any = None, *, mode: str = "test"
    ) -> tuple[int, dict[str, Any]]:
        who = identity.Identity(
            organization_id=member.org_id,
            mode="test" if mode == "test" else "live",
            key_id=member.id,
            scopes=frozenset(),
            request_id="",
        )
        headers = {identity.HEADER: self.keys.sign(who, audience="gateway")}
        async with self.http.request(
            method, self.gateway.plain_url + path, json=body, headers=headers
        ) as response:
            return response.status, await response.json()


@pytest.fixture(scope="module")
def dash(gateway: Gateway, plain: aiohttp.ClientSession, dashboard_keys: Keyring) -> Dashboard:
    return Dashboard(gateway, plain, dashboard_keys)


async def _api(gateway: Gateway, http: aiohttp.ClientSession, token: str) -> int:
    async with http.get(
        gateway.tls_url + PRODUCTS, headers={"Authorization": f"Bearer {token}"}
    ) as response:
        return response.status


async def _create(dash: Dashboard, member: Member, **body: Any) -> dict[str, Any]:
    status, answer = await dash.call(
        member, "POST", "/internal/v1/keys", {"name": "Till", "scopes": None, **body}
    )
    assert status == 201, answer
    return answer["data"]


async def test_a_member_creates_a_key_that_works_and_is_listed_in_its_mode_only(
    dash: Dashboard,
    team: dict[str, Member],
    gateway: Gateway,
    http: aiohttp.ClientSession,
    gateway_db: asyncpg.Pool,
) -> None:
    owner = team["owner"]
    made = await _create(
        dash, owner, name="  Till app  ", scopes=["products:read"], expiresInSeconds=86400
    )
    key, token = made["key"], made["secret"]
    assert token.startswith("nxp_test_") and made["secret"] not in str(key)
    public_id = token.split("_")[2]
    assert key["prefix"] == f"nxp_test_{public_id}_…"
    assert key["name"] == "Till app" and key["mode"] == "test"
    assert key["scopes"] == ["products:read"] and key["allScopes"] is False
    assert key["createdBy"] == {"id": owner.id, "email": owner.email}
    assert key["status"] == "expiring" and key["lastUsedAt"] is None
    assert key["revokedAt"] is None and key["rolledFrom"] is None
    assert await _api(gateway, http, token) == 200

    status, listed = await dash.call(team["viewer"], "GET", "/internal/v1/keys")
    # Newest first; viewers read. "Last used" is set by the replica's usage writer, every
    # 30 s: it may have written the call above meanwhile, at or after the key's creation.
    assert status == 200 and {**listed["data"][0], "lastUsedAt": None} == key
    used = listed["data"][0]["lastUsedAt"]
    assert used is None or used >= key["createdAt"]
    status, live = await dash.call(owner, "GET", "/internal/v1/keys", mode="live")
    assert status == 200 and key["id"] not in [k["id"] for k in live["data"]]

    everything = await _create(dash, team["developer"], name="All")
    assert everything["key"]["allScopes"] is True
    assert everything["key"]["scopes"] == sorted(SCOPES)
    assert everything["key"]["expiresAt"] is None
    assert everything["key"]["status"] == "active"

    async with gateway_db.acquire() as conn:
        actor = await conn.fetchval(
            "SELECT metadata->>'actor' FROM events WHERE stream_id = $1", key["id"]
        )
    assert actor == owner.id


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "scopes": ["products:delete"]}, "scopes"),
        ({"name": "x", "scopes": []}, "scopes"),
        ({"name": "   ", "scopes": None}, "name"),
        ({"name": "x" * 101, "scopes": None}, "name"),
        ({"name": "x", "scopes": None, "expiresInSeconds": 5}, "expiresInSeconds"),
        ({"name": "x", "scopes": None, "colour": "red"}, "colour"),
    ],
)
async def test_a_bad_create_is_a_400_naming_the_field(
    dash: Dashboard, team: dict[str, Member], body: dict[str, Any], field: str
) -> None:
    status, answer = await dash.call(team["owner"], "POST", "/internal/v1/keys", body)
    assert status == 400, answer
    assert answer["error"]["code"] == "VALIDATION_ERROR"
    assert answer["error"]["details"]["field"] == field


async def test_a_viewer_may_not_create_revoke_or_roll_and_another_org_gets_404(
    dash: Dashboard, team: dict[str, Member]
) -> None:
    key = (await _create(dash, team["owner"]))["key"]
    viewer, stranger = team["viewer"], team["stranger"]
    for path, body in (
        ("/internal/v1/keys", {"name": "x", "scopes": None}),
        (f"/internal/v1/keys/{key['id']}/revoke", None),
        (f"/internal/v1/keys/{key['id']}/roll", {"graceSeconds": 0}),
    ):
        status, answer = await dash.call(viewer, "POST", path, body)
        assert (status, answer["error"]["code"]) == (403, "FORBIDDEN"), path
    for path, body in (
        (f"/internal/v1/keys/{key['id']}/revoke", None),
        (f"/internal/v1/keys/{key['id']}/roll", {"graceSeconds": 0}),
    ):
        status, answer = await dash.call(stranger, "POST", path, body)
        assert (status, answer["error"]["code"]) == (404, "NOT_FOUND"), path
        # The same key in the other mode is not there either.
        status, _ = await dash.call(team["owner"], "POST", path, body, mode="live")
        assert status == 404
    status, theirs = await dash.call(stranger, "GET", "/internal/v1/keys")
    assert status == 200 and theirs["data"] == []
    status, _ = await dash.call(team["owner"], "POST", "/internal/v1/keys/key_nope/revoke")
    assert status == 404
    _, listed = await dash.call(team["owner"], "GET", "/internal/v1/keys")
    assert next(k for k in listed["data"] if k["id"] == key["id"])["status"] == "active"


async def test_a_revoked_key_is_refused_within_a_second_on_a_replica_that_cached_it(
    dash: Dashboard,
    team: dict[str, Member],
    start_gateway: GatewayFactory,
    gateway: Gateway,
    http: aiohttp.ClientSession,
) -> None:
    other = await start_gateway()  # a second replica, with a cache of its own
    made = await _create(dash, team["developer"])
    for replica in (gateway, other):
        assert await _api(replica, http, made["secret"]) == 200  # cached now
    status, answer = await dash.call(
        team["developer"], "POST", f"/internal/v1/keys/{made['key']['id']}/revoke"
    )
    assert status == 200 and answer["data"]["key"]["status"] == "revoked"
    for replica in (gateway, other):

        async def refused(replica: Gateway = replica) -> bool:
            return await _api(replica, http, made["secret"]) == 401

        await until(refused, timeout=1.0, what="the revoked key refused")


async def test_a_roll_makes_a_twin_and_the_old_key_works_until_the_grace_ends(
    dash: Dashboard,
    team: dict[str, Member],
    gateway: Gateway,
    http: aiohttp.ClientSession,
    gateway_db: asyncpg.Pool,
) -> None:
    owner = team["owner"]
    old = await _create(dash, owner, name="Worker", scopes=["orders:read", "products:read"])
    assert await _api(gateway, http, old["secret"]) == 200  # cached with no expiry
    path = f"/internal/v1/keys/{old['key']['id']}/roll"
    status, answer = await dash.call(owner, "POST", path, {"graceSeconds": 8 * 86400})
    assert status == 400 and answer["error"]["details"]["field"] == "graceSeconds"

    status, answer = await dash.call(owner, "POST", path, {"graceSeconds": 3})
    assert status == 201, answer
    rolled = answer["data"]
    new, previous = rolled["key"], rolled["previous"]
    assert new["rolledFrom"] == old["key"]["id"] and new["id"] != old["key"]["id"]
    assert (new["name"], new["scopes"], new["mode"]) == ("Worker", old["key"]["scopes"], "test")
    assert previous["status"] == "expiring" and previous["expiresAt"] is not None
    assert rolled["secret"] != old["secret"]
    assert await _api(gateway, http, rolled["secret"]) == 200
    assert await _api(gateway, http, old["secret"]) == 200  # within the grace

    async def old_refused() -> bool:
        return await _api(gateway, http, old["secret"]) == 401

    await until(old_refused, timeout=10, what="the rolled key refused after its grace")
    assert await _api(gateway, http, rolled["secret"]) == 200
    status, answer = await dash.call(owner, "POST", path, {"graceSeconds": 0})
    assert (status, answer["error"]["code"]) == (409, "CONFLICT")

    async with gateway_db.acquire() as conn:
        rows = await conn.fetch(
            "SELECT type, metadata->>'actor' AS actor FROM events WHERE stream_id = $1"
            " ORDER BY version",
            old["key"]["id"],
        )
    assert [(r["type"], r["actor"]) for r in rows] == [
        ("api_key.created", owner.id),
        ("api_key.expiry_changed", owner.id),
    ]


async def test_a_roll_with_no_grace_stops_the_old_key_at_once(
    dash: Dashboard, team: dict[str, Member], gateway: Gateway, http: aiohttp.ClientSession
) -> None:
    old = await _create(dash, team["owner"])
    assert await _api(gateway, http, old["secret"]) == 200
    status, answer = await dash.call(
        team["owner"], "POST", f"/internal/v1/keys/{old['key']['id']}/roll", {"graceSeconds": 0}
    )
    assert status == 201 and answer["data"]["previous"]["status"] == "expired"

    async def refused() -> bool:
        return await _api(gateway, http, old["secret"]) == 401

    await until(refused, timeout=1.0, what="the old key refused")


async def test_last_used_is_written_in_the_background_not_per_request(
    dash: Dashboard,
    team: dict[str, Member],
    gateway: Gateway,
    http: aiohttp.ClientSession,
    gateway_db: asyncpg.Pool,
) -> None:
    made = await _create(dash, team["owner"])
    key_id = made["key"]["id"]
    for _ in range(3):
        assert await _api(gateway, http, made["secret"]) == 200

    async def listed_last_used() -> bool:
        _, answer = await dash.call(team["owner"], "GET", "/internal/v1/keys")
        return next(k["lastUsedAt"] for k in answer["data"] if k["id"] == key_id) is not None

    await until(listed_last_used, timeout=10, what="last used flushed")
    first = await gateway_db.fetchval(
        "SELECT last_used_at FROM api_key_usage WHERE key_id = $1", key_id
    )
    assert await _api(gateway, http, made["secret"]) == 200

    async def moved() -> bool:
        now = await gateway_db.fetchval(
            "SELECT last_used_at FROM api_key_usage WHERE key_id = $1", key_id
        )
        return bool(now > first)

    await until(moved, timeout=10, what="last used moved on")


async def test_the_rebuild_reproduces_the_keys_and_keeps_last_used(
    dash: Dashboard, team: dict[str, Member], access: Access, gateway_db: asyncpg.Pool
) -> None:
    await _create(dash, team["owner"], name="Rebuilt")
    await access.create_key(org_id=team["owner"].org_id, mode="live")  # the CLI's
    snapshot = "SELECT * FROM api_keys ORDER BY id"
    usage = "SELECT * FROM api_key_usage ORDER BY key_id"
    async with gateway_db.acquire() as conn:
        before, used = [dict(r) for r in await conn.fetch(snapshot)], await conn.fetch(usage)
        assert await event_store().rebuild(conn) > 0
        assert [dict(r) for r in await conn.fetch(snapshot)] == before
        assert await conn.fetch(usage) == used
    names = {(r["name"], r["created_by"]) for r in before}
    assert ("CLI key", "operator") in names and ("Rebuilt", team["owner"].id) in names
