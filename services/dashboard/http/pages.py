"""How a page is served: the route table (`domain/pages.py`) entry, the visitor the gateway
vouched for, the role and CSRF checks, and the answer: the page's template, or the same
data as JSON (`?format=json`), so a test can check what a browser test sees (Datasette's
rule: one view, two renderings)."""

import hmac
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

import aiohttp_jinja2
from aiohttp import web

from libs.common import jsoncodec
from libs.common.errors import ApiError, NotFound
from libs.common.roles import Role, may
from libs.common.visitor import SignedIn, Visitor
from services.dashboard.domain.pages import Method, Page

VISITOR = web.RequestKey("visitor", Visitor)
PAGE = web.RequestKey("page", Page)
MODES = ("live", "test")
PREFIX = "/dashboard"

Handler = Callable[[web.Request], Awaitable[dict[str, Any] | web.StreamResponse]]
Served = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Forbidden(ApiError):
    status, code = 403, "FORBIDDEN"
    public = False  # the dashboard's own page error, not one of the API's documented codes


class PageRoutes:
    """A module's pages: `@routes.page(...)` records the table entry and its handler."""

    def __init__(self) -> None:
        self.pages: list[tuple[Page, Served]] = []

    def page(
        self,
        name: str,
        method: Method,
        path: str,
        *,
        action: Any,
        title: str,
        template: str | None = None,
    ) -> Callable[[Handler], Handler]:
        entry = Page(name=name, method=method, path=path, action=action, title=title)

        def register(handler: Handler) -> Handler:
            self.pages.append((entry, _served(entry, handler, template or f"{name}.html")))
            return handler

        return register


def add_pages(app: web.Application, tables: list[PageRoutes]) -> list[Page]:
    pages: list[Page] = []
    for table in tables:
        for page, handler in table.pages:
            path = PREFIX + page.path.replace("{mode}", "{mode:live|test}")
            app.router.add_route(page.method, path, handler, name=page.name)
            pages.append(page)
    return pages


def member(request: web.Request) -> SignedIn:
    """The signed-in member; only pages with an action get here, and those need one."""
    signed_in = request[VISITOR].member
    assert signed_in is not None
    return signed_in


def mode(request: web.Request) -> str:
    return request.match_info.get("mode", "live")


def role(request: web.Request) -> Role:
    return Role(member(request).role)


def url(request: web.Request, name: str, **parts: str) -> str:
    """A page's path, in the request's mode unless `mode` is given."""
    resource = request.app.router[name]
    info = resource.get_info()
    if "{mode}" in info.get("formatter", ""):
        parts.setdefault("mode", mode(request))
    return str(resource.url_for(**parts))


def see_other(location: str) -> web.HTTPSeeOther:
    return web.HTTPSeeOther(location=location)


def _served(page: Page, handler: Handler, template: str) -> Served:
    async def serve(request: web.Request) -> web.StreamResponse:
        request[PAGE] = page
        visitor = request[VISITOR]
        if page.action is not None:
            if visitor.member is None:
                back = quote(request.path_qs, safe="/?=&")
                raise see_other(f"{PREFIX}/sign-in?next={back}")
            if not may(Role(visitor.member.role), page.action):
                raise Forbidden(
                    "Your role does not allow this.", details={"role": visitor.member.role}
                )
        if page.method == "POST":
            await _check_csrf(request, visitor)
        answer = await handler(request)
        if isinstance(answer, web.StreamResponse):
            return answer
        if request.query.get("format") == "json":
            return web.Response(body=jsoncodec.dumps(answer), content_type="application/json")
        response = aiohttp_jinja2.render_template(
            template, request, context(request, answer), status=request.get(STATUS, 200)
        )
        fresh = request.get(SIGNIN_CSRF)
        if fresh:
            response.set_cookie(
                SIGNIN_CSRF_COOKIE,
                fresh,
                httponly=True,
                secure=True,
                samesite="Strict",
                path="/",
                max_age=SIGNIN_CSRF_MAX_AGE,
            )
        return response

    return serve


async def _check_csrf(request: web.Request, visitor: Visitor) -> None:
    form = await request.post()
    sent = str(form.get("csrf_token", ""))
    expected = (
        visitor.member.csrf_token if visitor.member else request.cookies.get(SIGNIN_CSRF_COOKIE, "")
    )
    if not expected or not sent or not hmac.compare_digest(sent, expected):
        raise Forbidden(
            "This form is missing its security token or the token is stale; reload the page"
            " and try again.",
            details={"reason": "csrf"},
        )


# The sign-in form's double-submit token (there is no session to derive one from yet).
SIGNIN_CSRF_COOKIE = "__Host-stacknex_signin"


def csrf_token(request: web.Request) -> str:
    signed_in = request[VISITOR].member
    if signed_in is not None:
        return signed_in.csrf_token
    return request.get(SIGNIN_CSRF, "") or request.cookies.get(SIGNIN_CSRF_COOKIE, "")


SIGNIN_CSRF = web.RequestKey("signin_csrf", str)
# An hour: a person who opens the sign-in page and signs in within it needs no reload.
SIGNIN_CSRF_MAX_AGE = 3600
# A page answered with a form's error: 400, 401, 429 rather than 200.
STATUS = web.RequestKey("status", int)


def context(request: web.Request, data: dict[str, Any]) -> dict[str, Any]:
    """What every template gets besides its page's data: who, which mode, the nav."""
    visitor = request[VISITOR]
    page = request.get(PAGE)
    return {
        **data,
        "page": page,
        "member": visitor.member,
        "mode": mode(request),
        "per_mode": bool(page and page.per_mode),
        "csrf_token": csrf_token(request),
        "url": lambda name, **parts: url(request, name, **parts),
        "path": request.path,
        "query": request.query,
    }


def not_found(what: str) -> NotFound:
    return NotFound(f"No {what} here.")
