"""`stacknex member …` and the demo owner of `stacknex demo`, run as the operator runs them."""

import json
from pathlib import Path

import asyncpg
import pytest

from services.gateway.domain.members import NotAuthenticated, SignInFailed
from services.gateway.members import Members
from services.gateway.service import Access
from services.gateway.sessions import Sessions
from tests.integration.gateway.conftest import cli
from tests.integration.gateway.members.conftest import PASSWORD


async def test_member_invite_prints_the_link_once_and_list_shows_the_member(
    database_url: str, exchange: str, gateway_db: asyncpg.Pool
) -> None:
    org = await Access(pool=gateway_db).create_organization(name="Cli", plan="starter")
    out = cli(
        database_url, exchange,
        "member", "invite", "--org", org.id, "--email", "Cli@Example.com", "--role", "developer",
        "--json",
    )  # fmt: skip
    invited = json.loads(out)
    assert invited["email"] == "cli@example.com" and invited["status"] == "invited"
    link = invited["inviteLink"]
    assert link.startswith("https://127.0.0.1:8443/dashboard/invite/")
    await Members(pool=gateway_db, public_url="https://x").accept_invite(
        token=link.rsplit("/", 1)[1], name="Cli", password=PASSWORD
    )

    listed = cli(database_url, exchange, "member", "list", "--org", org.id)
    assert invited["id"] in listed and "developer  active  Cli" in listed
    assert link.rsplit("/", 1)[1] not in listed and "argon2" not in listed


async def test_demo_makes_an_owner_who_signs_in_with_the_password_printed_at_each_start(
    database_url: str, exchange: str, sessions: Sessions, tmp_path: Path
) -> None:
    demo_file = tmp_path / "demo.json"
    first = cli(database_url, exchange, "demo", "--file", str(demo_file))
    line = next(x for x in first.splitlines() if "demo@stacknex.local" in x)
    assert "https://127.0.0.1:8443/dashboard/" in line
    password = line.split(", password ", 1)[1].split(" ", 1)[0]
    assert password not in demo_file.read_text()

    signed_in = await sessions.sign_in(email="demo@stacknex.local", password=password, address="d")
    who = await sessions.authenticate(token=signed_in.token)
    assert who.role.value == "owner"
    assert who.organization_id == json.loads(demo_file.read_text())["organizationId"]

    # Kept nowhere, so the next start sets and prints a new one; the old one stops working
    # and the sessions it opened end.
    again = cli(database_url, exchange, "demo", "--file", str(demo_file))
    line = next(x for x in again.splitlines() if "demo@stacknex.local" in x)
    fresh = line.split(", password ", 1)[1].split(" ", 1)[0]
    assert fresh != password and fresh not in demo_file.read_text()
    await sessions.sign_in(email="demo@stacknex.local", password=fresh, address="d")
    with pytest.raises(SignInFailed):
        await sessions.sign_in(email="demo@stacknex.local", password=password, address="d")
    with pytest.raises(NotAuthenticated):
        await sessions.authenticate(token=signed_in.token)
