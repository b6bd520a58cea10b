"""The middlewares every dashboard answer passes: the gateway's word on who is visiting,
the security headers, and errors as pages (not the API's JSON envelope)."""

from typing import Any

import aiohttp_jinja2
from aiohttp import web

from libs.common import visitor
from libs.common.errors import ApiError
from libs.common.logging import get_logger
from libs.common.web import KEYRING, REQUEST_ID
from services.dashboard.http.pages import PREFIX, VISITOR, context

log = get_logger(__name__)

# No inline script or style, nothing from elsewhere, never framed (clickjacking); forms post
# only here. `img-src data:` is not needed: the usage chart is inline SVG markup.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self';"
    " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    # Two years, the preload list's minimum; the gateway's origin is HTTPS-only anyway.
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@web.middleware
async def visit(request: web.Request, handler: Any) -> web.StreamResponse:
    if request.path.startswith(PREFIX):
        request[VISITOR] = visitor.verify(
            request.headers.get(visitor.HEADER, ""), keyring=request.app[KEYRING]
        )
    return await handler(request)


@web.middleware
async def error_pages(request: web.Request, handler: Any) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPRedirection:
        raise
    except web.HTTPException as exc:
        if VISITOR not in request:
            raise
        return _page(request, exc.status, exc.reason, "")
    except ApiError as exc:
        if VISITOR not in request or (exc.status >= 500 and exc.status != 503):
            raise
        return _page(request, exc.status, _TITLES.get(exc.status, "Refused"), exc.message)


_TITLES = {
    400: "Check the form",
    401: "Sign in again",
    403: "Not allowed",
    404: "Not found",
    409: "Conflict",
    429: "Too many attempts",
    503: "Briefly unavailable",
}


def _page(request: web.Request, status: int, title: str, message: str) -> web.Response:
    response = aiohttp_jinja2.render_template(
        "error.html",
        request,
        context(
            request,
            {
                "status": status,
                "title": title,
                "message": message,
                "requestId": request[REQUEST_ID],
            },
        ),
        status=status,
    )
    return response


async def security_headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.update(SECURITY_HEADERS)
    if not request.path.startswith(f"{PREFIX}/static/"):
        # Pages name the member and may show a secret once: never stored by a cache.
        response.headers["Cache-Control"] = "no-store"
