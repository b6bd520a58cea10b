"""Signing in and out, and invites, for the dashboard's public pages."""

from typing import Annotated

from aiohttp import web
from pydantic import StringConstraints

from libs.common.identity import callers
from libs.common.validation import ApiModel, parse_body
from libs.common.web import ok
from services.gateway.domain.credentials import PASSWORD_MAX
from services.gateway.http.internal.auth import MEMBERS, SESSIONS, acting

routes = web.RouteTableDef()

# Bounded so no field costs argon2 more than a real password would.
Text = Annotated[str, StringConstraints(max_length=PASSWORD_MAX)]


class SignInBody(ApiModel):
    email: Annotated[str, StringConstraints(max_length=320)]
    password: Text
    address: Annotated[str, StringConstraints(max_length=64)]


class RevokeBody(ApiModel):
    session: Annotated[str, StringConstraints(max_length=128)]


class AcceptBody(ApiModel):
    name: Annotated[str, StringConstraints(max_length=200)]
    password: Text


@routes.post("/internal/v1/sessions")
@callers("dashboard")
async def sign_in(request: web.Request) -> web.Response:
    body = await parse_body(request, SignInBody)
    signed_in = await request.app[SESSIONS].sign_in(
        email=body.email, password=body.password, address=body.address
    )
    return ok(
        {
            "token": signed_in.token,
            "csrfToken": signed_in.csrf_token,
            "memberId": signed_in.principal.member_id,
            "organizationId": signed_in.principal.organization_id,
        },
        status=201,
    )


@routes.post("/internal/v1/sessions/revoke")
@callers("dashboard")
async def sign_out(request: web.Request) -> web.Response:
    body = await parse_body(request, RevokeBody)
    by = await acting(request)
    await request.app[SESSIONS].sign_out_hash(token_hash=body.session, by=by)
    return web.Response(status=204)


@routes.post("/internal/v1/sessions/revoke-all")
@callers("dashboard")
async def sign_out_everywhere(request: web.Request) -> web.Response:
    ended = await request.app[SESSIONS].sign_out_everywhere(by=await acting(request))
    return ok({"ended": ended})


@routes.get("/internal/v1/invites/{token}")
@callers("dashboard")
async def find_invite(request: web.Request) -> web.Response:
    member, organization = await request.app[MEMBERS].find_invite(token=request.match_info["token"])
    return ok(
        {
            "email": member.email,
            "role": member.role.value,
            "organizationName": organization,
            "expiresAt": member.invite_expires_at,
        }
    )


@routes.post("/internal/v1/invites/{token}/accept")
@callers("dashboard")
async def accept_invite(request: web.Request) -> web.Response:
    body = await parse_body(request, AcceptBody)
    member = await request.app[MEMBERS].accept_invite(
        token=request.match_info["token"], name=body.name, password=body.password
    )
    return ok({"memberId": member.id, "email": member.email}, status=201)
