"""Forwarding: one pooled HTTP client, bodies passed through as bytes, responses streamed
back, hop-by-hop headers dropped, and a signed identity instead of the API key."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import aiohttp
from aiohttp import web
from multidict import CIMultiDict

from libs.common import identity, visitor
from libs.common.errors import InsufficientScope, ServiceUnavailable
from libs.common.keys import Keyring, ReusedTokens
from libs.common.logging import get_logger
from libs.common.web import KEYRING, REQUEST_ID
from services.gateway.adapters.metrics import GATEWAY_METRICS
from services.gateway.domain.model import ApiKey
from services.gateway.domain.routing import Route
from services.gateway.http.gatekeeper import PRINCIPAL
from services.gateway.settings import GATEWAY_SETTINGS

log = get_logger(__name__)

UPSTREAM = web.AppKey("upstream", aiohttp.ClientSession)
# An API answer up to this size is read whole and sent in one write (`_buffered`): a page
# of 100 resources is well under it, and 50 answers in flight hold at most 12.5 MiB. A body
# cut short by the upstream is then a 503, never a truncated answer.
BUFFER_LIMIT = 256 * 1024


class IdentityTokens:
    """The identities the gateway signs for API keys, one per key and service, reused
    (`keys.ReusedTokens`). Only the gateway signs identities for API keys; the services
    verify them with its public key."""

    def __init__(self, keyring: Keyring) -> None:
        self.keyring = keyring
        self._reused = ReusedTokens()

    def token(self, key: ApiKey, service: str) -> str:
        return self._reused.get(
            (key.id, service),
            lambda: self.keyring.sign(
                identity.Identity(
                    organization_id=key.organization_id,
                    mode=key.mode,
                    key_id=key.id,
                    scopes=key.scopes,
                    request_id="",
                ),
                audience=service,
            ),
        )


IDENTITY_TOKENS = web.AppKey("identity_tokens", IdentityTokens)
# The upstream responses of the streams being proxied, closed at shutdown.
OPEN_STREAMS = web.AppKey("open_streams", set[aiohttp.ClientResponse])

# RFC 9110 §7.6.1 hop-by-hop headers, plus what the gateway sets itself.
_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "trailers",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
    }
)
_NOT_FORWARDED = _HOP_BY_HOP | {
    "authorization",
    identity.HEADER.lower(),
    visitor.HEADER.lower(),
    "x-request-id",
}


async def upstream_ctx(app: web.Application) -> AsyncIterator[None]:
    settings = app[GATEWAY_SETTINGS]
    session = aiohttp.ClientSession(
        # 10 s: shorter than the services' own 15 s keep-alive, so the pool never reuses a
        # connection the service is closing (which would fail a request for nothing).
        connector=aiohttp.TCPConnector(limit=512, keepalive_timeout=10),
        timeout=aiohttp.ClientTimeout(
            total=settings.upstream_timeout,
            connect=settings.upstream_connect_timeout,
        ),
        auto_decompress=False,  # bytes pass through exactly as the service sent them
        # No cookie jar: one session carries every client's requests, so a cookie one
        # upstream answer set must never ride along on another client's request; the
        # client's own `Cookie` header is forwarded as it came. (Also cheaper per request.)
        cookie_jar=aiohttp.DummyCookieJar(),
        skip_auto_headers=("User-Agent", "Accept-Encoding"),
    )
    app[UPSTREAM] = session
    app[OPEN_STREAMS] = set()
    app[IDENTITY_TOKENS] = IdentityTokens(app[KEYRING])
    yield
    await session.close()


def handler_for(route: Route) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def handle(request: web.Request) -> web.StreamResponse:
        principal = request[PRINCIPAL]
        scope = route.scopes[request.method]
        if scope not in principal.key.scopes:
            raise InsufficientScope(
                f"This API key lacks the {scope} scope.", details={"requiredScope": scope}
            )
        token = request.app[IDENTITY_TOKENS].token(request[PRINCIPAL].key, route.service)
        return await forward(
            request,
            route.service,
            signed={identity.HEADER: token},
            stream=route.stream,
            buffer_limit=BUFFER_LIMIT,
        )

    return handle


async def forward(
    request: web.Request,
    service: str,
    *,
    signed: dict[str, str],
    stream: bool = False,
    drop_cookie: str | None = None,
    buffer_limit: int = -1,
) -> web.StreamResponse:
    """`request` to `service`, with `signed` (who the gateway says is asking) instead of
    what the client sent for it; `drop_cookie` is a cookie the service must never see. An
    answer of a known length up to `buffer_limit` bytes is read whole and sent in one
    write (`_buffered`); anything else, and every stream, is streamed as it comes."""
    settings = request.app[GATEWAY_SETTINGS]
    # Every other route keeps the session's timeouts; a stream may last as long as its
    # upstream keeps it (heartbeats), and is cut only by silence or the gateway's shutdown.
    timeout = (
        aiohttp.ClientTimeout(
            total=None,
            connect=settings.upstream_connect_timeout,
            sock_read=settings.stream_read_timeout,
        )
        if stream
        else request.app[UPSTREAM].timeout
    )
    if stream and len(request.app[OPEN_STREAMS]) >= settings.stream_limit:
        raise ServiceUnavailable(
            "This gateway carries as many event streams as it can; retry shortly.",
            details={"reason": "stream_limit"},
            headers={"Retry-After": "5"},
        )
    body = b""
    if request.body_exists:
        try:
            # At most 1 MiB (client_max_size answers 413), and in bounded time: a client that
            # trickles its body is cut off instead of holding a connection and a task.
            body = await asyncio.wait_for(request.read(), settings.body_timeout)
        except TimeoutError:
            raise web.HTTPRequestTimeout() from None
    headers = {k: v for k, v in request.headers.items() if k.lower() not in _NOT_FORWARDED}
    headers["X-Request-Id"] = request[REQUEST_ID]
    headers.update(signed)
    if drop_cookie is not None and "Cookie" in request.headers:
        for name in [name for name in headers if name.lower() == "cookie"]:
            del headers[name]
        kept = [
            part.strip()
            for header in request.headers.getall("Cookie")
            for part in header.split(";")
            if part.strip() and part.strip().partition("=")[0] != drop_cookie
        ]
        if kept:
            headers["Cookie"] = "; ".join(kept)
    url = settings.service_url(service) + request.raw_path
    response = web.StreamResponse()
    try:
        async with request.app[UPSTREAM].request(
            request.method,
            url,
            data=body or None,
            headers=headers,
            allow_redirects=False,
            timeout=timeout,
        ) as upstream:
            if stream:
                request.app[OPEN_STREAMS].add(upstream)
            length = upstream.content_length
            if (
                not stream
                and length is not None
                and length <= buffer_limit
                and request.method != "HEAD"  # its Content-Length is not of a body it has
                and upstream.status not in (204, 304)
            ):
                return await _buffered(request, upstream)
            response.set_status(upstream.status, upstream.reason)
            for name, value in upstream.headers.items():
                if name.lower() not in _HOP_BY_HOP:
                    response.headers.add(name, value)
            response.headers["X-Request-Id"] = request[REQUEST_ID]
            if length is not None:
                response.content_length = length
            try:
                await response.prepare(request)
                # Each chunk as it arrives (read() returns what is buffered, never waits to
                # fill 64 KiB), so an event leaves the gateway when it reaches it.
                async for chunk in upstream.content.iter_chunked(64 * 1024):
                    await response.write(chunk)
            finally:
                request.app[OPEN_STREAMS].discard(upstream)
            await response.write_eof()
            return response
    except (TimeoutError, aiohttp.ClientError) as exc:
        if response.prepared:
            # Mid-stream: the client went away (or the service did). The status is already
            # sent; nothing better can be said, and it is no dependency being down.
            log.debug("proxy.stream_cut", service=service, error=repr(exc))
            return response
        request.app[GATEWAY_METRICS].upstream_errors.labels(service).inc()
        raise ServiceUnavailable(
            f"The {service} service is unavailable; retry shortly.",
            headers={"Retry-After": "5"},
        ) from exc


async def _buffered(request: web.Request, upstream: aiohttp.ClientResponse) -> web.Response:
    """A small answer of known length, read whole and sent as one `web.Response`: aiohttp
    writes its headers and body in one system call, where a `StreamResponse` writes the
    headers at `prepare()` and the body after (two). On loopback each write was about a
    sixth of the gateway's time per request (bench/README.md, benchmark 1). The bytes are
    the upstream's, unchanged (no decompression, the same headers but hop-by-hop)."""
    body = await upstream.read()
    headers = CIMultiDict(
        (name, value) for name, value in upstream.headers.items() if name.lower() not in _HOP_BY_HOP
    )
    headers["X-Request-Id"] = request[REQUEST_ID]
    return web.Response(body=body, status=upstream.status, reason=upstream.reason, headers=headers)


async def close_streams(app: web.Application) -> None:
    """`on_shutdown`: proxied streams end at once (their clients reconnect elsewhere) rather
    than hold the gateway's shutdown for its whole timeout."""
    for upstream in list(app.get(OPEN_STREAMS, ())):
        upstream.close()


def openapi_document(document: bytes) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def serve(request: web.Request) -> web.Response:
        return web.Response(body=document, content_type="application/json")

    return serve
