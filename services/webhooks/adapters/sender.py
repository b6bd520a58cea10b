"""One HTTP attempt of a delivery. Its result is a value (status, duration, what the
receiver said, or why nothing was said), never an exception: a receiver's failure is data,
and whatever a receiver does (NULs, invalid UTF-8, a 10 MB or never-ending body, a gzip
bomb, a reset, garbage that is not HTTP) ends in a `Result` that can be stored."""

import asyncio
import socket
import time
import weakref
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.client_proto import ResponseHandler
from aiohttp.connector import Connection
from aiohttp.tracing import Trace
from cachetools import LRUCache
from yarl import URL

from libs.common.clock import utcnow
from libs.common.logging import get_logger
from services.webhooks.domain.excerpts import ERROR_CHARS, EXCERPT_BYTES, Inflater, text
from services.webhooks.domain.targets import (
    Network,
    TargetRefused,
    address_allowed,
    check_url,
    in_networks,
)

log = get_logger(__name__)
# Of compressed bytes read for an excerpt: a gzip answer that yields little text per byte
# must not keep the attempt reading (4 KB of excerpt from 64 KB is a ratio of 1:16).
RAW_READ_LIMIT = 64 * 1024


@dataclass(frozen=True)
class Result:
    """An attempt's outcome. `body` and `error` are made storable on construction (see
    `domain/excerpts.py`), so no Result can fail to be recorded for what it says."""

    status: int | None
    duration_ms: int
    body: str | None
    error: str | None
    retry_after: float | None = None

    def __post_init__(self) -> None:
        if self.body is not None:
            object.__setattr__(self, "body", text(self.body, limit=EXCERPT_BYTES))
        if self.error is not None:
            # One line: errors quote parsers' multi-line messages; log lines stay one line.
            object.__setattr__(self, "error", text(" ".join(self.error.split()), limit=ERROR_CHARS))

    @property
    def ok(self) -> bool:
        # A 2xx whose answer broke off or never finished is not a success: the receiver may
        # have failed after its head; a retry is safe (receivers dedupe by X-Webhook-Id).
        return self.status is not None and 200 <= self.status < 300 and self.error is None

    @property
    def status_class(self) -> str:
        return f"{self.status // 100}xx" if self.status else "none"


class SafeResolver(AbstractResolver):
    """Resolves as usual, then drops every address deliveries may not reach: checked at
    connect time, so a DNS answer that changes after registration (rebinding) gains nothing.
    With `private_only` (the plain-http session) only the allowed private networks remain."""

    def __init__(self, *, private_networks: Sequence[Network], private_only: bool = False) -> None:
        self._inner = aiohttp.ThreadedResolver()
        self._networks = list(private_networks)
        self._private_only = private_only

    def _allowed(self, address: str) -> bool:
        if not address_allowed(address, private_networks=self._networks):
            return False
        return not self._private_only or in_networks(address, self._networks)

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        answers = await self._inner.resolve(host, port, family)
        allowed = [a for a in answers if self._allowed(a["host"])]
        if not allowed:
            raise OSError(f"{host} resolves only to addresses webhooks may not reach")
        return allowed

    async def close(self) -> None:
        await self._inner.close()


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, (parsedate_to_datetime(value) - utcnow()).total_seconds())
    except (TypeError, ValueError, OverflowError):
        return None


def _host(url: str) -> str | None:
    """For log lines: the host only (a URL's path and query may carry a merchant's token)."""
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


@dataclass
class _Answer:
    """What is known of the answer so far, for the Result if reading it fails midway."""

    status: int | None = None
    retry_after: float | None = None
    inflater: Inflater = field(default_factory=lambda: Inflater(""))

    def excerpt(self) -> str | None:
        return self.inflater.excerpt() if self.status is not None else None


# The attempt under way's record of whether its connection came from the pool (`_post` sets
# it; the connector, which runs in the attempt's own task, marks it): only such attempts are
# sent again when the connection breaks. A trace config told it before, but with one aiohttp
# sends every trace signal of every request, 8 % of a worker.
_POOLED: ContextVar[dict[str, bool] | None] = ContextVar("webhook_pooled", default=None)


class _Connector(aiohttp.TCPConnector):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Every connection handed out so far: met again, it was reused from the pool.
        self._handed_out: weakref.WeakSet[ResponseHandler] = weakref.WeakSet()

    async def connect(
        self, req: aiohttp.ClientRequest, traces: list[Trace], timeout: aiohttp.ClientTimeout
    ) -> Connection:
        conn = await super().connect(req, traces, timeout)
        protocol = conn.protocol
        if protocol is not None:
            pooled = _POOLED.get()
            if pooled is not None and protocol in self._handed_out:
                pooled["reused"] = True
            self._handed_out.add(protocol)
        return conn


class Sender:
    """`connect_timeout` bounds TCP and TLS; `read_timeout` any wait for the receiver's bytes
    once connected; `total_timeout` the whole attempt, so a body dripped a byte a second or
    a chunked body that never ends stops at that deadline."""

    def __init__(
        self,
        *,
        connect_timeout: float,
        read_timeout: float,
        total_timeout: float,
        private_networks: Sequence[Network],
    ) -> None:
        self.connect_timeout = min(connect_timeout, total_timeout)
        self.read_timeout = min(read_timeout, total_timeout)
        self.total_timeout = total_timeout
        self.private_networks = list(private_networks)
        # URL -> it parsed, or why it is refused. `check_url` depends on nothing but the URL
        # and the networks, fixed for the process; judging and parsing it per attempt was 6 %
        # of a worker. Addresses are still checked at every connect (the resolvers).
        self._judged: LRUCache[str, URL | str] = LRUCache(maxsize=10_000)
        self._https = self._session(private_only=False)
        # Plain http only to allowed private networks, at connect time too: its own resolver.
        self._http = self._session(private_only=True)

    def _session(self, *, private_only: bool) -> aiohttp.ClientSession:
        return aiohttp.ClientSession(
            connector=_Connector(
                resolver=SafeResolver(
                    private_networks=self.private_networks, private_only=private_only
                ),
                limit=512,
                limit_per_host=64,
                keepalive_timeout=30,
            ),
            timeout=aiohttp.ClientTimeout(
                total=None, sock_connect=self.connect_timeout, sock_read=self.read_timeout
            ),
            # Never inflate an answer in full: `Inflater` decodes at most the excerpt.
            auto_decompress=False,
            # An answer's head: at most 128 header lines of 8 KB (aiohttp's defaults, pinned
            # here because they bound memory: 1 MB at worst per attempt).
            max_line_size=8190,
            max_field_size=8190,
            max_headers=128,
        )

    async def send(self, url: str, body: bytes, headers: dict[str, Any]) -> Result:
        started = time.perf_counter()
        answer = _Answer()

        def result(error: str | None) -> Result:
            return Result(
                status=answer.status,
                duration_ms=int((time.perf_counter() - started) * 1000),
                body=answer.excerpt(),
                error=error,
                retry_after=answer.retry_after,
            )

        try:
            async with asyncio.timeout(self.total_timeout):
                await self._exchange(url, body, headers, answer)
            if answer.status is not None and 300 <= answer.status < 400:
                return result(f"a redirect ({answer.status}) is not followed")
            return result(None)
        except TargetRefused as exc:
            return result(exc.message)
        except aiohttp.ConnectionTimeoutError:
            return result(f"could not connect within {self.connect_timeout:g} s")
        except aiohttp.SocketTimeoutError:
            return result(f"the receiver sent nothing for {self.read_timeout:g} s")
        except TimeoutError:
            what = "complete answer" if answer.status is not None else "answer"
            return result(f"no {what} within {self.total_timeout:g} s")
        except aiohttp.ClientPayloadError as exc:
            return result(f"the answer broke off: {exc}")
        except aiohttp.ServerDisconnectedError:
            if answer.status is not None:
                return result("the answer broke off: the receiver closed the connection")
            return result("the receiver closed the connection without an answer")
        except aiohttp.ClientResponseError as exc:  # the parser's: not HTTP, or bad headers
            return result(f"the answer is not valid HTTP: {exc.message}")
        except aiohttp.InvalidURL:
            return result("the URL is not valid")
        except (aiohttp.ClientError, OSError) as exc:
            return result(f"{type(exc).__name__}: {exc}")
        except Exception as exc:
            # Nothing a receiver does may escape as an exception: the attempt must be recorded.
            log.exception("webhooks.send_failed", host=_host(url))
            return result(f"the attempt failed: {type(exc).__name__}")

    async def _exchange(
        self, url: str, body: bytes, headers: dict[str, Any], answer: _Answer
    ) -> None:
        target = self._target(url)  # IP literals skip the resolver
        session = self._http if url[:5].lower() == "http:" else self._https
        for fresh in (False, True):
            pooled: dict[str, bool] = {"reused": False}
            try:
                await self._post(session, target, body, headers, answer, pooled)
                return
            except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError):
                # A pooled keep-alive connection that the receiver closed just as it was
                # reused (Node, for one, closes idle ones after 5 s): the request never
                # reached the receiver, so it is sent once more, on a new connection, within
                # the same deadline. A receiver that drops a new connection is its answer.
                if fresh or not pooled["reused"] or answer.status is not None:
                    raise

    def _target(self, url: str) -> URL:
        try:
            judged = self._judged[url]
        except KeyError:
            try:
                check_url(url, private_networks=self.private_networks)
                judged = URL(url)  # as aiohttp would parse the string, once
            except TargetRefused as exc:
                judged = exc.message
            except ValueError:
                judged = "the URL is not valid"
            self._judged[url] = judged
        if isinstance(judged, str):
            raise TargetRefused(judged)
        return judged

    async def _post(
        self,
        session: aiohttp.ClientSession,
        url: URL,
        body: bytes,
        headers: dict[str, Any],
        answer: _Answer,
        pooled: dict[str, bool],
    ) -> None:
        marked = _POOLED.set(pooled)
        try:
            request = session.post(url, data=body, headers=headers, allow_redirects=False)
            async with request as response:
                await self._read(response, answer)
        finally:
            _POOLED.reset(marked)

    async def _read(self, response: aiohttp.ClientResponse, answer: _Answer) -> None:
        answer.status = response.status
        answer.retry_after = _retry_after(response.headers.get("Retry-After"))
        answer.inflater = Inflater(response.headers.get("Content-Encoding", ""))
        read = 0
        while not answer.inflater.full and read < RAW_READ_LIMIT:
            chunk = await response.content.read(EXCERPT_BYTES)
            if not chunk:
                break
            read += len(chunk)
            answer.inflater.feed(chunk)
        # Leaving the `async with` closes a connection whose answer was not read to its end
        # (a 10 MB body is never read, let alone buffered).

    async def close(self) -> None:
        await self._https.close()
        await self._http.close()
