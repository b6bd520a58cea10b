"""Signing in and out, and accepting an invite. The gateway owns sessions: these pages ask
it, and hold the session's token only to hand it to the browser as the cookie."""

import secrets
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from libs.common.roles import Action
from services.dashboard.adapters.backends import BackendError
from services.dashboard.http.callers import GATEWAY, anonymous, who
from services.dashboard.http.pages import (
    PREFIX,
    SIGNIN_CSRF,
    SIGNIN_CSRF_COOKIE,
    STATUS,
    VISITOR,
    PageRoutes,
    member,
    see_other,
)

routes = PageRoutes()

SESSION_COOKIE = "__Host-stacknex_session"
HOME = f"{PREFIX}/live/keys"


def _next(value: str) -> str:
    """Only a path of the dashboard: never another site (an open redirect)."""
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith(f"{PREFIX}/") or "\\" in value:
        return HOME
    return value


@routes.page("home", "GET", "/", action=None, title="Dashboard")
async def home(request: web.Request) -> web.StreamResponse:
    raise see_other(HOME if request[VISITOR].member else f"{PREFIX}/sign-in")


@routes.page("sign_in", "GET", "/sign-in", action=None, title="Sign in")
async def sign_in_form(request: web.Request) -> web.StreamResponse | dict[str, Any]:
    if request[VISITOR].member is not None:
        raise see_other(_next(request.query.get("next", HOME)))
    return _form(request, {"next": _next(request.query.get("next", HOME)), "email": ""})


def _form(request: web.Request, data: dict[str, Any]) -> dict[str, Any]:
    # A form token for the sign-in (no session to derive one from yet), set as a cookie and
    # echoed in the form: a cross-site page can post the form but cannot read the cookie.
    if not request.cookies.get(SIGNIN_CSRF_COOKIE):
        request[SIGNIN_CSRF] = secrets.token_urlsafe(32)
    return data


@routes.page(
    "sign_in_submit", "POST", "/sign-in", action=None, title="Sign in", template="sign_in.html"
)
async def sign_in(request: web.Request) -> web.StreamResponse | dict[str, Any]:
    form = await request.post()
    email = str(form.get("email", ""))
    target = _next(str(form.get("next", HOME)))
    try:
        session = await request.app[GATEWAY].call(
            anonymous(request),
            "POST",
            "/internal/v1/sessions",
            body={
                "email": email,
                "password": str(form.get("password", "")),
                "address": request[VISITOR].address,
            },
        )
    except BackendError as exc:
        if exc.status not in (401, 400, 429):
            raise
        request[STATUS] = 429 if exc.status == 429 else 401
        return _form(request, {"next": target, "email": email, "error": exc.message})
    response = see_other(target)
    response.set_cookie(
        SESSION_COOKIE, session["token"], httponly=True, secure=True, samesite="Strict", path="/"
    )
    response.del_cookie(SIGNIN_CSRF_COOKIE, path="/", secure=True, httponly=True, samesite="Strict")
    raise response


@routes.page("sign_out", "POST", "/sign-out", action=Action.MANAGE_OWN_ACCOUNT, title="Sign out")
async def sign_out(request: web.Request) -> web.StreamResponse:
    await request.app[GATEWAY].call(
        who(request),
        "POST",
        "/internal/v1/sessions/revoke",
        body={"session": member(request).session_hash},
    )
    response = see_other(f"{PREFIX}/sign-in")
    response.del_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True, samesite="Strict")
    raise response


@routes.page("invite", "GET", "/invite/{token}", action=None, title="Join your team")
async def invite(request: web.Request) -> dict[str, Any]:
    found = await request.app[GATEWAY].call(
        anonymous(request), "GET", f"/internal/v1/invites/{request.match_info['token']}"
    )
    return _form(request, {"invite": found, "name": ""})


@routes.page(
    "invite_accept",
    "POST",
    "/invite/{token}",
    action=None,
    title="Join your team",
    template="invite.html",
)
async def accept(request: web.Request) -> web.StreamResponse | dict[str, Any]:
    token = request.match_info["token"]
    form = await request.post()
    name = str(form.get("name", ""))
    try:
        await request.app[GATEWAY].call(
            anonymous(request),
            "POST",
            f"/internal/v1/invites/{token}/accept",
            body={"name": name, "password": str(form.get("password", ""))},
        )
    except BackendError as exc:
        if exc.status != 400:
            raise
        found = await request.app[GATEWAY].call(
            anonymous(request), "GET", f"/internal/v1/invites/{token}"
        )
        request[STATUS] = 400
        return _form(
            request, {"invite": found, "name": name, "error": exc.message, "field": exc.field}
        )
    raise see_other(f"{PREFIX}/sign-in?joined=1")
