"""The gateway's internal API for the dashboard's members, account, plan and security pages,
over HTTP as the dashboard calls it (its signed identity naming the acting member), against
the real PostgreSQL and Redis."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pytest

from libs.common import identity
from services.gateway.adapters.history import _SECURITY
from services.gateway.domain import credentials
from services.gateway.members import Members
from services.gateway.service import Access
from tests.conftest import keyring, unique
from tests.integration.gateway.conftest import Gateway

PASSWORD = "correct horse battery staple"


@dataclass
class Api:
    """The internal API as the dashboard speaks to it, for one member (or nobody)."""

    gateway: Gateway
    http: aiohttp.ClientSession
    keys_dir: Path

    async def call(
        self, method: str, path: str, *, who: tuple[str, str] = ("", ""), body: Any = None
    ) -> tuple[int, dict[str, Any]]:
        member_id, org_id = who
        signed = keyring(self.keys_dir, "dashboard").sign(
            identity.Identity(
                organization_id=org_id,
                mode="live",
                key_id=member_id,
                scopes=frozenset(),
                request_id=unique("req"),
            ),
            audience="gateway",
        )
        async with self.http.request(
            method, self.gateway.plain_url + path, json=body, headers={identity.HEADER: signed}
        ) as response:
            answer = await response.json() if response.status != 204 else {}
            return response.status, answer


@pytest.fixture(scope="module")
async def api(gateway: Gateway, keys_dir: Path) -> Any:
    async with aiohttp.ClientSession() as http:
        yield Api(gateway, http, keys_dir)


@dataclass
class Org:
    id: str
    members: dict[str, tuple[str, str]]  # role → (member id, email)

    def who(self, role: str) -> tuple[str, str]:
        return self.members[role][0], self.id


async def _org(pool: asyncpg.Pool, *roles: str, plan: str = "professional") -> Org:
    """An organization and one joined member per role, invited by the operator (the CLI)."""
    org = await Access(pool=pool).create_organization(name="Acme", plan=plan)
    members = Members(pool=pool, public_url="https://gw.example")
    found = Org(org.id, {})
    for role in roles:
        email = f"{role}-{unique('m')}@example.com"
        invitation = await members.invite(org_id=org.id, email=email, role=role)
        token = invitation.link.rsplit("/", 1)[1]
        joined = await members.accept_invite(token=token, name=role.title(), password=PASSWORD)
        found.members[role] = (joined.id, email)
    return found


async def test_only_an_owner_invites_and_bad_input_names_its_field(
    api: Api, gateway_db: asyncpg.Pool
) -> None:
    org = await _org(gateway_db, "owner", "developer", "viewer")
    email = f"new-{unique('m')}@example.com"
    for role in ("viewer", "developer"):
        status, body = await api.call(
            "POST",
            "/internal/v1/members",
            who=org.who(role),
            body={"email": email, "role": "viewer"},
        )
        assert (status, body["error"]["code"]) == (403, "FORBIDDEN")

    status, body = await api.call(
        "POST",
        "/internal/v1/members",
        who=org.who("owner"),
        body={"email": email, "role": "developer"},
    )
    assert status == 201
    assert body["data"]["link"].startswith("https://")
    assert "/dashboard/invite/" in body["data"]["link"]
    invited = body["data"]["member"]
    assert (invited["email"], invited["role"], invited["status"]) == (email, "developer", "invited")
    assert invited["joinedAt"] is None and invited["invitedAt"]

    for sent, field in (
        ({"email": email.upper(), "role": "viewer"}, None),  # taken, whatever its case
        ({"email": "not an address", "role": "viewer"}, "email"),
        ({"email": f"x-{unique('m')}@example.com", "role": "admin"}, "role"),
        ({"email": f"y-{unique('m')}@example.com"}, "role"),
    ):
        status, body = await api.call(
            "POST", "/internal/v1/members", who=org.who("owner"), body=sent
        )
        if field is None:
            assert (status, body["error"]["details"]["field"]) == (409, "email")
        else:
            assert (status, body["error"]["details"]["field"]) == (400, field), body


async def test_the_list_shows_every_member_with_join_times_and_no_hash(
    api: Api, gateway_db: asyncpg.Pool
) -> None:
    org = await _org(gateway_db, "owner", "viewer")
    await Members(pool=gateway_db, public_url="https://gw.example").invite(
        org_id=org.id, email=f"later-{unique('m')}@example.com", role="developer"
    )
    other = await _org(gateway_db, "owner")

    status, body = await api.call("GET", "/internal/v1/members", who=org.who("viewer"))
    assert status == 200
    listed = {m["email"]: m for m in body["data"]}
    assert len(listed) == 3 and other.members["owner"][1] not in listed
    owner = listed[org.members["owner"][1]]
    assert set(owner) == {"id", "email", "name", "role", "status", "invitedAt", "joinedAt"}
    assert (owner["role"], owner["status"], owner["name"]) == ("owner", "active", "Owner")
    assert owner["joinedAt"] >= owner["invitedAt"]
    pending = [m for m in body["data"] if m["status"] == "invited"]
    assert len(pending) == 1 and pending[0]["joinedAt"] is None
    assert "argon2" not in str(body) and "Hash" not in str(body)


async def test_another_organizations_member_is_not_found_and_the_last_owner_stays(
    api: Api, gateway_db: asyncpg.Pool
) -> None:
    org = await _org(gateway_db, "owner", "developer")
    other = await _org(gateway_db, "owner")
    target = org.members["developer"][0]
    for path, body in (
        (f"/internal/v1/members/{target}/role", {"role": "viewer"}),
        (f"/internal/v1/members/{target}/remove", None),
    ):
        status, answer = await api.call("POST", path, who=other.who("owner"), body=body)
        assert (status, answer["error"]["code"]) == (404, "NOT_FOUND")
    status, answer = await api.call(
        "POST", "/internal/v1/members/mem_nope/role", who=org.who("owner"), body={"role": "viewer"}
    )
    assert status == 404
    # Nothing changed for the other organization's attempt.
    _, listed = await api.call("GET", "/internal/v1/members", who=org.who("owner"))
    assert {m["role"] for m in listed["data"]} == {"owner", "developer"}

    # The developer may not change roles; the owner cannot demote or remove themselves last.
    status, _ = await api.call(
        "POST",
        f"/internal/v1/members/{target}/role",
        who=org.who("developer"),
        body={"role": "owner"},
    )
    assert status == 403
    owner = org.members["owner"][0]
    status, answer = await api.call(
        "POST", f"/internal/v1/members/{owner}/role", who=org.who("owner"), body={"role": "viewer"}
    )
    assert (status, answer["error"]["details"]["field"]) == (409, "role")
    status, _ = await api.call("POST", f"/internal/v1/members/{owner}/remove", who=org.who("owner"))
    assert status == 409

    status, answer = await api.call(
        "POST", f"/internal/v1/members/{target}/role", who=org.who("owner"), body={"role": "viewer"}
    )
    assert (status, answer["data"]["member"]["role"]) == (200, "viewer")
    status, answer = await api.call(
        "POST", f"/internal/v1/members/{target}/remove", who=org.who("owner")
    )
    assert (status, answer["data"]["member"]["status"]) == (200, "removed")
    # A removed member acts no more: their identity is refused as signed out.
    status, _ = await api.call("GET", "/internal/v1/members", who=org.who("developer"))
    assert status == 401


async def _sign_in(api: Api, email: str) -> str:
    status, body = await api.call(
        "POST",
        "/internal/v1/sessions",
        body={"email": email, "password": PASSWORD, "address": unique("addr")},
    )
    assert status == 201, body
    return str(body["data"]["token"])


async def _live(pool: asyncpg.Pool, token: str) -> bool:
    revoked = await pool.fetchval(
        "SELECT revoked_at FROM member_sessions WHERE token_hash = $1",
        credentials.hash_token(token),
    )
    return revoked is None


async def test_a_password_change_keeps_this_session_and_ends_the_others(
    api: Api, gateway_db: asyncpg.Pool
) -> None:
    org = await _org(gateway_db, "viewer", "owner")
    email = org.members["viewer"][1]
    here, elsewhere = await _sign_in(api, email), await _sign_in(api, email)
    owners = await _sign_in(api, org.members["owner"][1])
    path = "/internal/v1/account/password"
    session = credentials.hash_token(here)

    wrong = {
        "currentPassword": "not it at all",
        "newPassword": "a brand new password",
        "session": session,
    }
    status, body = await api.call("POST", path, who=org.who("viewer"), body=wrong)
    assert (status, body["error"]["details"]["field"]) == (400, "currentPassword")
    short = {"currentPassword": PASSWORD, "newPassword": "short", "session": session}
    status, body = await api.call("POST", path, who=org.who("viewer"), body=short)
    assert (status, body["error"]["details"]["field"]) == (400, "newPassword")
    assert await _live(gateway_db, elsewhere)  # a refused change ends nothing

    right = {"currentPassword": PASSWORD, "newPassword": "a brand new password", "session": session}
    status, _ = await api.call("POST", path, who=org.who("viewer"), body=right)
    assert status == 204
    assert await _live(gateway_db, here)
    assert not await _live(gateway_db, elsewhere)
    assert await _live(gateway_db, owners)  # another member's sessions are theirs


async def test_the_organization_names_its_plan_and_every_plans_terms(
    api: Api, gateway_db: asyncpg.Pool
) -> None:
    starter = await _org(gateway_db, "viewer", plan="starter")
    status, body = await api.call("GET", "/internal/v1/organization", who=starter.who("viewer"))
    assert status == 200
    assert body["data"] == {
        "id": starter.id,
        "name": "Acme",
        "plan": "starter",
        "apiAccess": False,
        "hourlyLimit": None,
        "plans": [
            {"plan": "starter", "apiAccess": False, "hourlyLimit": None},
            {"plan": "professional", "apiAccess": True, "hourlyLimit": 1000},
            {"plan": "enterprise", "apiAccess": True, "hourlyLimit": 10000},
        ],
    }
    enterprise = await _org(gateway_db, "viewer", plan="enterprise")
    _, body = await api.call("GET", "/internal/v1/organization", who=enterprise.who("viewer"))
    assert (body["data"]["apiAccess"], body["data"]["hourlyLimit"]) == (True, 10000)


async def test_the_security_history_lists_actions_on_keys_and_members_with_their_actors(
    api: Api, gateway_db: asyncpg.Pool
) -> None:
    org = await _org(gateway_db, "owner", "viewer")  # invited by the operator
    owner_id, owner_email = org.members["owner"]
    viewer_id, viewer_email = org.members["viewer"]
    other = await _org(gateway_db, "owner")
    key, _ = await Access(pool=gateway_db).create_key(org_id=org.id, mode="test")
    invited = f"dev-{unique('m')}@example.com"
    await api.call(
        "POST",
        "/internal/v1/members",
        who=org.who("owner"),
        body={"email": invited, "role": "developer"},
    )
    await api.call(
        "POST",
        f"/internal/v1/members/{viewer_id}/role",
        who=org.who("owner"),
        body={"role": "developer"},
    )
    await _sign_in(api, owner_email)  # a sign-in may rehash: no action, never listed

    status, body = await api.call("GET", "/internal/v1/security", who=org.who("viewer"))
    assert status == 200
    entries = body["data"]
    assert body["pagination"] == {"hasMore": False, "nextCursor": None}
    assert [e["type"] for e in entries] == [
        "member.role_changed",
        "member.invited",
        "api_key.created",
        "member.joined",
        "member.invited",
        "member.joined",
        "member.invited",
    ]
    assert [e["at"] for e in entries] == sorted((e["at"] for e in entries), reverse=True)
    role_changed, invite = entries[0], entries[1]
    assert role_changed["actor"] == {"id": owner_id, "email": owner_email}
    assert role_changed["subjectId"] == viewer_id and role_changed["mode"] is None
    assert role_changed["summary"] == f"Changed {viewer_email}'s role from viewer to developer"
    assert invite["actor"]["email"] == owner_email
    assert invite["summary"] == f"Invited {invited} as developer"
    created = entries[2]
    assert created["actor"] == {"id": "operator", "email": None}  # the CLI's
    assert (created["mode"], created["subjectId"]) == ("test", key.id)
    assert created["summary"].startswith(f'Created key nxp_test_{key.public_id} "CLI key" (test')
    joined = entries[3]  # the member joined by accepting: their own act
    assert joined["actor"] == {"id": viewer_id, "email": viewer_email}
    assert entries[-1]["actor"]["id"] == "operator"
    assert all(other.members["owner"][1] not in e["summary"] for e in entries)
    assert "Hash" not in str(body) and "argon2" not in str(body)

    # Pages: newest first, the cursor continues where the last page ended.
    seen: list[str] = []
    cursor = ""
    while True:
        status, page = await api.call(
            "GET", f"/internal/v1/security?limit=3&before={cursor}", who=org.who("viewer")
        )
        assert status == 200 and len(page["data"]) <= 3
        seen += [e["id"] for e in page["data"]]
        if not page["pagination"]["hasMore"]:
            break
        cursor = page["pagination"]["nextCursor"]
    assert seen == [e["id"] for e in entries]
    # A position is a cursor too; another organization's event id finds nothing.
    _, page = await api.call("GET", "/internal/v1/security?limit=1", who=org.who("viewer"))
    _, foreign = await api.call("GET", "/internal/v1/security?limit=1", who=other.who("owner"))
    status, page = await api.call(
        "GET", f"/internal/v1/security?before={foreign['data'][0]['id']}", who=org.who("viewer")
    )
    assert (status, page["data"]) == (200, [])

    for query in ("limit=0", "limit=101", "limit=x", "before=evt_x", "before=-1", "before=key_x"):
        status, answer = await api.call(
            "GET", f"/internal/v1/security?{query}", who=org.who("viewer")
        )
        assert (status, answer["error"]["details"]["field"]) == (400, query.split("=")[0])


async def test_the_security_query_uses_its_index(gateway_db: asyncpg.Pool) -> None:

    # Seq scans off: the plan then shows whether the partial index's predicate matches the
    # query's (a table this small would otherwise be scanned whatever the index).
    async with gateway_db.acquire() as conn, conn.transaction():
        await conn.execute("SET LOCAL enable_seqscan = off")
        rows = await conn.fetch(f"EXPLAIN {_SECURITY}", "org_x", 2**62, 51, None)
    plan = "\n".join(r[0] for r in rows)
    assert "events_security_history" in plan, plan
