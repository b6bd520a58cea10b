"""The team and the member's own account: the members list, invites (the link shown once),
role changes and removal (owners only), the password and signing out everywhere. The
gateway owns members; these pages ask it as the signed-in member, and it checks the role
again, server-side."""

from typing import Any

from aiohttp import web

from libs.common.roles import Action, Role
from services.dashboard.adapters.backends import BackendError
from services.dashboard.http.callers import GATEWAY, who
from services.dashboard.http.pages import (
    PREFIX,
    STATUS,
    PageRoutes,
    member,
    role,
    see_other,
)
from services.dashboard.http.session import SESSION_COOKIE
from services.dashboard.http.when import when

routes = PageRoutes()

ROLES = [r.value for r in Role]
# What each role may do, in the words the members page shows beside the invite form.
ROLE_TERMS = {
    "owner": "everything, and manages members",
    "developer": "manages API keys and webhooks, sees secrets",
    "viewer": "reads everything but secrets",
}
# The notices a redirect after a change names (post-redirect-get): never free text.
_DONE = {
    "role": "Role changed.",
    "removed": "Member removed; their sessions have ended.",
    "password": "Password changed; your other sessions were signed out.",
}


async def _members(request: web.Request) -> list[dict[str, Any]]:
    listed = await request.app[GATEWAY].call(who(request), "GET", "/internal/v1/members")
    return [
        {**m, "joined": when(m["joinedAt"]), "invited": when(m["invitedAt"])} for m in listed or []
    ]


async def _page(request: web.Request, **extra: Any) -> dict[str, Any]:
    done = request.query.get("done", "")
    return {
        "members": await _members(request),
        "canManage": role(request) == Role.OWNER,
        "roles": ROLES,
        "roleTerms": ROLE_TERMS,
        "notice": _DONE.get(done) if done in ("role", "removed") else None,
        "invite": None,
        "error": None,
        "field": None,
        "form": {"email": "", "role": Role.DEVELOPER.value},
        **extra,
    }


@routes.page("members", "GET", "/members", action=Action.READ, title="Members")
async def members(request: web.Request) -> dict[str, Any]:
    return await _page(request)


@routes.page(
    "members_invite",
    "POST",
    "/members",
    action=Action.MANAGE_MEMBERS,
    title="Members",
    template="members.html",
)
async def invite(request: web.Request) -> dict[str, Any]:
    form = await request.post()
    sent = {"email": str(form.get("email", "")).strip(), "role": str(form.get("role", ""))}
    try:
        invited = await request.app[GATEWAY].call(
            who(request), "POST", "/internal/v1/members", body=sent
        )
    except BackendError as exc:
        if exc.status not in (400, 409):
            raise
        request[STATUS] = exc.status
        return await _page(request, error=exc.message, field=exc.field or "email", form=sent)
    # Rendered from the POST, never redirected or stored: the link is a one-time credential.
    link = {"email": invited["member"]["email"], "link": invited["link"]}
    return await _page(request, invite=link)


async def _change(request: web.Request, path: str, body: dict[str, Any] | None, done: str) -> Any:
    try:
        await request.app[GATEWAY].call(who(request), "POST", path, body=body)
    except BackendError as exc:
        if exc.status not in (400, 409):
            raise  # 404 (another organization's member) and 403 become the error page
        request[STATUS] = exc.status
        return await _page(request, error=exc.message, field=exc.field)
    raise see_other(f"{PREFIX}/members?done={done}")


@routes.page(
    "member_role",
    "POST",
    "/members/{id}/role",
    action=Action.MANAGE_MEMBERS,
    title="Members",
    template="members.html",
)
async def change_role(request: web.Request) -> Any:
    form = await request.post()
    path = f"/internal/v1/members/{request.match_info['id']}/role"
    return await _change(request, path, {"role": str(form.get("role", ""))}, "role")


@routes.page(
    "member_remove",
    "POST",
    "/members/{id}/remove",
    action=Action.MANAGE_MEMBERS,
    title="Members",
    template="members.html",
)
async def remove(request: web.Request) -> Any:
    path = f"/internal/v1/members/{request.match_info['id']}/remove"
    return await _change(request, path, None, "removed")


def _account(request: web.Request, **extra: Any) -> dict[str, Any]:
    signed_in = member(request)
    done = request.query.get("done", "")
    return {
        "email": signed_in.email,
        "role": signed_in.role,
        "organizationId": signed_in.organization_id,
        "notice": _DONE.get(done) if done == "password" else None,
        "error": None,
        "field": None,
        **extra,
    }


@routes.page("account", "GET", "/account", action=Action.MANAGE_OWN_ACCOUNT, title="Your account")
async def account(request: web.Request) -> dict[str, Any]:
    return _account(request)


@routes.page(
    "account_password",
    "POST",
    "/account/password",
    action=Action.MANAGE_OWN_ACCOUNT,
    title="Your account",
    template="account.html",
)
async def change_password(request: web.Request) -> Any:
    form = await request.post()
    new = str(form.get("new_password", ""))
    if new != str(form.get("confirm_password", "")):
        request[STATUS] = 400
        return _account(
            request, error="The new password and its confirmation differ.", field="confirmPassword"
        )
    try:
        await request.app[GATEWAY].call(
            who(request),
            "POST",
            "/internal/v1/account/password",
            body={
                "currentPassword": str(form.get("current_password", "")),
                "newPassword": new,
                # This session stays signed in; the gateway ends every other one.
                "session": member(request).session_hash,
            },
        )
    except BackendError as exc:
        if exc.status != 400:
            raise
        request[STATUS] = 400
        return _account(request, error=exc.message, field=exc.field)
    raise see_other(f"{PREFIX}/account?done=password")


@routes.page(
    "account_sign_out_everywhere",
    "POST",
    "/account/sign-out-everywhere",
    action=Action.MANAGE_OWN_ACCOUNT,
    title="Sign out everywhere",
)
async def sign_out_everywhere(request: web.Request) -> web.StreamResponse:
    await request.app[GATEWAY].call(who(request), "POST", "/internal/v1/sessions/revoke-all")
    response = see_other(f"{PREFIX}/sign-in")
    # With the attributes it was set with: a browser keeps a `__Host-` cookie whose
    # deletion is not marked Secure.
    response.del_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True, samesite="Strict")
    raise response
