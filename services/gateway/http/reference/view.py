"""The API reference page (`GET /reference`): the committed OpenAPI document rendered once,
at start, into one HTML page with no scripts, fonts or CDN, readable without JavaScript."""

import base64
import gzip
import hashlib
import re
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from libs.common import jsoncodec
from services.gateway.http.reference.fields import Schema
from services.gateway.http.reference.page import page

REFERENCE_PATH = "/reference"
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
_BACKTICKS = re.compile(r"`([^`]+)`")


def inline(text: str) -> Markup:
    """Escapes first, then shows `code` as code: the only markup a description may carry."""
    return Markup(_BACKTICKS.sub(r"<code>\1</code>", str(escape(text))))


def render(document: Schema) -> tuple[bytes, str]:
    """The page and the CSP hash of its one stylesheet (inline, so the page is one request,
    and allowed by hash, so no other style, and no script at all, may run)."""
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["inline"] = inline
    css = (TEMPLATES / "reference.css").read_text()
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    html = environment.get_template("reference.html").render(page=page(document), css=css)
    return html.encode(), f"'sha256-{digest}'"


def reference_page(document: bytes) -> Callable[[web.Request], Awaitable[web.Response]]:
    body, style = render(jsoncodec.loads(document))
    # Compressed once too: the page is ~300 KB of repetitive tables and ~16 KB gzipped, and
    # compressing it per request would cost more CPU than every API call it sits beside.
    compressed = gzip.compress(body, compresslevel=9, mtime=0)
    headers = {
        "Content-Security-Policy": (
            f"default-src 'none'; style-src {style}; base-uri 'none'; form-action 'none';"
            " frame-ancestors 'none'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Vary": "Accept-Encoding",
    }

    async def serve(request: web.Request) -> web.Response:
        if _accepts_gzip(request.headers.get("Accept-Encoding", "")):
            return web.Response(
                body=compressed,
                content_type="text/html",
                charset="utf-8",
                headers={**headers, "Content-Encoding": "gzip"},
            )
        return web.Response(body=body, content_type="text/html", charset="utf-8", headers=headers)

    return serve


def _accepts_gzip(accept_encoding: str) -> bool:
    for item in accept_encoding.lower().split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False
