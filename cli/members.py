"""`stacknex member …`: an organization's members, as the operator."""

import argparse
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from libs.common import jsoncodec
from libs.common.db import create_pool
from libs.common.roles import Role
from services.gateway.domain.members import Member
from services.gateway.members import Members
from services.gateway.service import SCHEMA
from services.gateway.settings import Settings

DEMO_OWNER = "demo@stacknex.local"


def public_url() -> str:
    """Where the gateway's pages are, as invite links name them."""
    return str(Settings().public_url).rstrip("/")


@asynccontextmanager
async def members() -> AsyncIterator[Members]:
    settings = Settings()
    pool = await create_pool(str(settings.database_url), schema=SCHEMA, max_size=2)
    try:
        yield Members(pool=pool, public_url=str(settings.public_url))
    finally:
        await pool.close()


def _emit(args: argparse.Namespace, human: str, data: Any) -> None:
    print(jsoncodec.dumps_str(data) if args.json else human)


async def member_invite(args: argparse.Namespace) -> None:
    async with members() as svc:
        invitation = await svc.invite(org_id=args.org, email=args.email, role=args.role)
    member = invitation.member
    human = (
        f"{member.id}  {member.email}  {member.role.value}\n{invitation.link}\n"
        f"This link is shown once and works once, until {member.public()['inviteExpiresAt']}."
    )
    _emit(args, human, {**member.public(), "inviteLink": invitation.link})


async def member_list(args: argparse.Namespace) -> None:
    async with members() as svc:
        found = await svc.list_members(org_id=args.org)
    human = "\n".join(
        f"{m.id}  {m.email}  {m.role.value}  {m.status.value}  {m.name or ''}".rstrip()
        for m in found
    )
    _emit(args, human or "no members", [m.public() for m in found])


async def demo_owner(*, org_id: str, owner_id: str | None = None) -> tuple[Member, str]:
    """The demo organization's owner, joined at once, or (`owner_id`) given a new password:
    a password is kept nowhere, so each start prints a fresh one that works."""
    password = secrets.token_urlsafe(12)  # 16 characters, 96 random bits
    async with members() as svc:
        if owner_id is not None:
            return await svc.reset_password(member_id=owner_id, password=password), password
        invitation = await svc.invite(org_id=org_id, email=DEMO_OWNER, role=Role.OWNER.value)
        token = invitation.link.rsplit("/", 1)[1]
        owner = await svc.accept_invite(token=token, name="Demo Owner", password=password)
    return owner, password


def add_commands(commands: Any) -> None:
    member = commands.add_parser("member", help="members of an organization (dashboard sign-in)")
    verbs = member.add_subparsers(dest="verb", required=True)
    invite = verbs.add_parser("invite", help="invite a member: prints a one-time link (72 h)")
    invite.add_argument("--org", required=True)
    invite.add_argument("--email", required=True)
    invite.add_argument("--role", required=True, choices=[r.value for r in Role])
    invite.set_defaults(handler=member_invite)
    listing = verbs.add_parser("list", help="an organization's members (never a hash)")
    listing.add_argument("--org", required=True)
    listing.set_defaults(handler=member_list)
    for parser in (invite, listing):
        parser.add_argument("--json", action="store_true", help="machine-readable output")
