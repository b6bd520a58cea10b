"""`/dashboard/`: the gateway reads the session cookie (it alone does), says who is visiting
in a signed `X-StackNex-Visitor`, and forwards to the dashboard service. API keys are not
accepted here (the Authorization header is never forwarded), and the session cookie is not
accepted under `/api/` (`authenticate` reads only the Authorization header)."""

from aiohttp import web

from libs.common import visitor
from libs.common.web import KEYRING
from services.gateway.domain import members as dm
from services.gateway.http.gatekeeper import client_address
from services.gateway.http.internal.auth import SESSIONS
from services.gateway.http.proxy import forward

PREFIX = "/dashboard"
# `__Host-`: the browser keeps it only if Secure, for this host alone, with Path=/.
SESSION_COOKIE = "__Host-stacknex_session"


async def dashboard(request: web.Request) -> web.StreamResponse:
    member = None
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        try:
            signed_in = await request.app[SESSIONS].authenticate(token=token)
        except dm.NotAuthenticated:
            signed_in = None  # expired or revoked: the dashboard shows the sign-in page
        if signed_in is not None:
            member = visitor.SignedIn(
                member_id=signed_in.member_id,
                organization_id=signed_in.organization_id,
                role=signed_in.role.value,
                email=signed_in.email,
                session_hash=signed_in.token_hash,
                csrf_token=signed_in.csrf_token,
            )
    who = visitor.Visitor(address=client_address(request), member=member)
    token_for_dashboard = visitor.sign(who, keyring=request.app[KEYRING])
    return await forward(
        request,
        "dashboard",
        signed={visitor.HEADER: token_for_dashboard},
        drop_cookie=SESSION_COOKIE,
    )


def add_routes(app: web.Application) -> None:
    app.router.add_route("*", PREFIX, dashboard)
    app.router.add_route("*", PREFIX + "/{tail:.*}", dashboard)
