"""Members, the member's own account, the organization's plan and the security history,
for the dashboard's org-wide pages. The use cases check the acting member's role."""

from dataclasses import replace
from datetime import datetime
from typing import Annotated

from aiohttp import web
from pydantic import StringConstraints

from libs.common.clock import rfc3339
from libs.common.errors import ValidationFailed
from libs.common.identity import callers
from libs.common.ids import is_valid_id
from libs.common.validation import ApiModel, parse_body
from libs.common.web import POOL, ok
from services.gateway.domain import members as dm
from services.gateway.domain.credentials import PASSWORD_MAX
from services.gateway.domain.history import DEFAULT_LIMIT, MAX_LIMIT
from services.gateway.domain.model import AccessError
from services.gateway.history import History
from services.gateway.http.internal.auth import MEMBERS, acting

routes = web.RouteTableDef()

# Bounded so no field costs argon2 more than a real password would.
Password = Annotated[str, StringConstraints(max_length=PASSWORD_MAX)]
RoleName = Annotated[str, StringConstraints(max_length=32)]


class InviteBody(ApiModel):
    email: Annotated[str, StringConstraints(max_length=320)]
    role: RoleName


class RoleBody(ApiModel):
    role: RoleName


class PasswordBody(ApiModel):
    current_password: Password
    new_password: Password
    session: Annotated[str, StringConstraints(max_length=128)]  # the session's hash, kept


def _history(request: web.Request) -> History:
    return History(pool=request.app[POOL], members=request.app[MEMBERS])


def _member(member: dm.Member, joined: datetime | None = None) -> dict[str, object]:
    """The dashboard's shape of a member: never a hash."""
    return {
        "id": member.id,
        "email": member.email,
        "name": member.name,
        "role": member.role.value,
        "status": member.status.value,
        "invitedAt": rfc3339(member.created_at),
        "joinedAt": rfc3339(joined) if joined else None,
    }


@routes.get("/internal/v1/members")
@callers("dashboard")
async def list_members(request: web.Request) -> web.Response:
    roster = await _history(request).roster(by=await acting(request))
    return ok([_member(member, joined) for member, joined in roster])


@routes.post("/internal/v1/members")
@callers("dashboard")
async def invite(request: web.Request) -> web.Response:
    body = await parse_body(request, InviteBody)
    by = await acting(request)
    invitation = await request.app[MEMBERS].invite(
        org_id=by.organization_id, email=body.email, role=body.role, by=by
    )
    # The link holds the invite's token: in this one answer, never logged or stored.
    return ok({"member": _member(invitation.member), "link": invitation.link}, status=201)


@routes.post("/internal/v1/members/{id}/role")
@callers("dashboard")
async def change_role(request: web.Request) -> web.Response:
    body = await parse_body(request, RoleBody)
    member = await request.app[MEMBERS].change_role(
        member_id=request.match_info["id"], role=body.role, by=await acting(request)
    )
    return ok({"member": _member(member)})


@routes.post("/internal/v1/members/{id}/remove")
@callers("dashboard")
async def remove(request: web.Request) -> web.Response:
    member = await request.app[MEMBERS].remove(
        member_id=request.match_info["id"], by=await acting(request)
    )
    return ok({"member": _member(member)})


@routes.post("/internal/v1/account/password")
@callers("dashboard")
async def change_password(request: web.Request) -> web.Response:
    body = await parse_body(request, PasswordBody)
    # The session the change is made from stays signed in; every other one ends.
    by = replace(await acting(request), token_hash=body.session)
    try:
        await request.app[MEMBERS].change_password(
            by=by, current_password=body.current_password, new_password=body.new_password
        )
    except AccessError as exc:
        if exc.field != "password":
            raise
        raise AccessError(str(exc), field="newPassword") from None
    return web.Response(status=204)


@routes.get("/internal/v1/organization")
@callers("dashboard")
async def organization(request: web.Request) -> web.Response:
    return ok(await _history(request).organization(by=await acting(request)))


@routes.get("/internal/v1/security")
@callers("dashboard")
async def security(request: web.Request) -> web.Response:
    limit = _limit(request.query.get("limit", ""))
    before = _cursor(request.query.get("before", ""))
    found = await _history(request).security(by=await acting(request), before=before, limit=limit)
    return ok(
        [entry.public() for entry in found.entries],
        pagination={"hasMore": found.has_more, "nextCursor": found.next_cursor},
    )


def _limit(raw: str) -> int:
    if raw == "":
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise ValidationFailed(f"limit is a whole number from 1 to {MAX_LIMIT}.", field="limit")
    return int(raw)


def _cursor(raw: str) -> int | str | None:
    """An event's id (the `nextCursor` of the page before) or its position."""
    if raw == "":
        return None
    if is_valid_id(raw, "evt"):
        return raw
    if raw.isdigit() and 0 < int(raw) < 2**63:
        return int(raw)
    raise ValidationFailed(
        "before is the nextCursor of the page before: an event id.",
        field="before",
        expected="evt_ ID",
    )
