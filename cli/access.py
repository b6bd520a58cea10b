"""`stacknex org …`, `stacknex key …` and `stacknex demo`: organizations, API keys, and the
demo's organization, keys and owner."""

import argparse
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from cli import members
from libs.common import jsoncodec
from libs.common.db import create_pool
from services.gateway.domain.access import SCOPES, Plan
from services.gateway.domain.members import Conflict
from services.gateway.service import SCHEMA, Access
from services.gateway.settings import Settings


@asynccontextmanager
async def access() -> AsyncIterator[Access]:
    settings = Settings()
    pool = await create_pool(str(settings.database_url), schema=SCHEMA, max_size=2)
    try:
        yield Access(pool=pool)
    finally:
        await pool.close()


def _emit(args: argparse.Namespace, human: str, data: Any) -> None:
    print(jsoncodec.dumps_str(data) if args.json else human)


async def org_create(args: argparse.Namespace) -> None:
    async with access() as svc:
        org = await svc.create_organization(name=args.name, plan=args.plan)
    _emit(args, f"{org.id}\ndefault location: {org.default_location_id}", org.public())


async def org_set_plan(args: argparse.Namespace) -> None:
    async with access() as svc:
        org = await svc.set_plan(org_id=args.org_id, plan=args.plan)
    _emit(args, f"{org.id}: {org.plan.value}", org.public())


async def key_create(args: argparse.Namespace) -> None:
    async with access() as svc:
        key, token = await svc.create_key(
            org_id=args.org, mode=args.mode, scopes=args.scope, expires_in=args.expires_in
        )
    human = f"{key.id}\n{token}\nThis key is shown once: store it now."
    _emit(args, human, {**key.public(), "key": token})


async def key_list(args: argparse.Namespace) -> None:
    async with access() as svc:
        keys = await svc.list_keys(org_id=args.org)
    rows = [k.public() for k in keys]
    human = "\n".join(
        f"{k['id']}  {k['prefix']}_…  {'revoked' if k['revokedAt'] else 'active'}"
        f"  expires {k['expiresAt'] or 'never'}  scopes {','.join(k['scopes'])}"
        for k in rows
    )
    _emit(args, human or "no keys", rows)


async def key_revoke(args: argparse.Namespace) -> None:
    async with access() as svc:
        key = await svc.revoke_key(key_id=args.key_id)
    _emit(args, f"{key.id}: revoked", key.public())


async def demo(args: argparse.Namespace) -> None:
    """The demo organization of `make run`: made on first start, then shown again. Its owner's
    password is printed once, when the owner is made, and kept nowhere."""
    path = Path(args.file)
    known = jsoncodec.loads(path.read_bytes()) if path.exists() else None
    async with access() as svc:
        if known is not None:
            try:
                keys = {k.id: k for k in await svc.list_keys(org_id=known["organizationId"])}
            except Exception:
                keys = {}
            if not all(k in keys and keys[k].revoked_at is None for k in known["keyIds"]):
                known = None
        if known is None:
            org = await svc.create_organization(name="Demo Store", plan=Plan.PROFESSIONAL.value)
            live, live_token = await svc.create_key(org_id=org.id, mode="live")
            test, test_token = await svc.create_key(org_id=org.id, mode="test")
            known = {
                "organizationId": org.id,
                "defaultLocationId": org.default_location_id,
                "keyIds": [live.id, test.id],
                "liveKey": live_token,
                "testKey": test_token,
            }
    password = None
    try:
        owner, password = await members.demo_owner(
            org_id=known["organizationId"], owner_id=known.get("ownerId")
        )
        known["ownerId"] = owner.id
    except Conflict:
        known["ownerId"] = None  # the email is a member elsewhere (an older demo's)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(jsoncodec.dumps(known))
    os.chmod(path, 0o600)  # holds usable keys: readable by this user only
    print(_demo_text(known, password=password))


def _demo_text(demo: dict[str, Any], *, password: str | None) -> str:
    dashboard = f"{members.public_url()}/dashboard/"
    owner = ""
    if password is not None:
        owner = (
            f"  dashboard: {dashboard}  sign in as {members.DEMO_OWNER}, password {password}"
            " (new at each start)\n"
        )
    return (
        f"Demo organization {demo['organizationId']} (professional), default location"
        f" {demo['defaultLocationId']}\n"
        f"  live key: {demo['liveKey']}\n"
        f"  test key: {demo['testKey']}\n"
        f"{owner}"
        f'Try: curl -k "https://127.0.0.1:8443/api/v1/products"'
        f' -H "Authorization: Bearer {demo["liveKey"]}" -H "Content-Type: application/json"'
    )


def add_commands(commands: Any) -> None:
    org = commands.add_parser("org", help="organizations").add_subparsers(
        dest="verb", required=True
    )
    create = org.add_parser("create", help="create an organization and its default location")
    create.add_argument("--name", required=True)
    create.add_argument("--plan", required=True, choices=[p.value for p in Plan])
    create.set_defaults(handler=org_create)
    set_plan = org.add_parser("set-plan", help="change an organization's plan (applies at once)")
    set_plan.add_argument("org_id")
    set_plan.add_argument("plan", choices=[p.value for p in Plan])
    set_plan.set_defaults(handler=org_set_plan)

    key = commands.add_parser("key", help="API keys").add_subparsers(dest="verb", required=True)
    kcreate = key.add_parser("create", help="create an API key (shown once)")
    kcreate.add_argument("--org", required=True)
    kcreate.add_argument("--mode", required=True, choices=["live", "test"])
    kcreate.add_argument(
        "--scope",
        action="append",
        choices=sorted(SCOPES),
        help="repeat for several; none means every scope",
    )
    kcreate.add_argument("--expires-in", type=int, metavar="SECONDS")
    kcreate.set_defaults(handler=key_create)
    klist = key.add_parser("list", help="an organization's keys (never their secrets)")
    klist.add_argument("--org", required=True)
    klist.set_defaults(handler=key_list)
    revoke = key.add_parser("revoke", help="revoke a key: refused at once on every replica")
    revoke.add_argument("key_id")
    revoke.set_defaults(handler=key_revoke)

    demo_cmd = commands.add_parser("demo", help="the demo organization and keys of `make run`")
    demo_cmd.add_argument("--file", default=".run/demo.json")
    demo_cmd.set_defaults(handler=demo)

    for parser in (create, set_plan, kcreate, klist, revoke, demo_cmd):
        parser.add_argument("--json", action="store_true", help="machine-readable output")
