"""Invites, joining, roles and the last owner, over the real PostgreSQL."""

import asyncpg
import pytest

from services.gateway.domain import members as dm
from services.gateway.domain.model import UnknownResource
from services.gateway.members import Members, Principal
from services.gateway.service import event_store
from services.gateway.sessions import Sessions
from tests.integration.gateway.members.conftest import (
    PASSWORD,
    Clock,
    Join,
)


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
    # Another organization's member is unknown to them (404), never a 403 that tells it exists.
    other_org = Principal(**{**as_owner.__dict__, "organization_id": "org_other"})
    with pytest.raises(UnknownResource):
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
