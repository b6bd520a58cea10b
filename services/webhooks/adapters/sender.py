"""One HTTP attempt of a delivery. Its result is a value (status, duration, what the
receiver said, or why nothing was said), never an exception: a receiver's failure is data."""

import socket
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

from libs.common.clock import utcnow
from services.webhooks.domain.targets import TargetRefused, address_allowed, check_url

RESPONSE_READ_LIMIT = 64 * 1024  # read at most this much of a receiver's answer
EXCERPT_LIMIT = 4 * 1024  # and keep this much of it in the delivery log


@dataclass(frozen=True)
class Result:
    status: int | None
    duration_ms: int
    body: str | None
    error: str | None
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def status_class(self) -> str:
        return f"{self.status // 100}xx" if self.status else "none"


class SafeResolver(AbstractResolver):
    """Resolves as usual, then drops every address deliveries may not reach: checked at
    connect time, so a DNS answer that changes after registration (rebinding) gains nothing."""

    def __init__(self, *, allow_private: bool) -> None:
        self._inner = aiohttp.ThreadedResolver()
        self._allow_private = allow_private

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        answers = await self._inner.resolve(host, port, family)
        allowed = [
            a for a in answers if address_allowed(a["host"], allow_private=self._allow_private)
        ]
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
    except (TypeError, ValueError):
        return None


async def _read_limited(response: aiohttp.ClientResponse) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size < RESPONSE_READ_LIMIT:
        chunk = await response.content.read(RESPONSE_READ_LIMIT - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


class Sender:
    def __init__(self, *, timeout: float, allow_private: bool) -> None:
        self.timeout = timeout
        self.allow_private = allow_private
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(
                resolver=SafeResolver(allow_private=allow_private),
                limit=512,
                limit_per_host=64,
                keepalive_timeout=30,
            ),
            timeout=aiohttp.ClientTimeout(total=timeout),
        )

    async def send(self, url: str, body: bytes, headers: dict[str, Any]) -> Result:
        started = time.perf_counter()

        def took() -> int:
            return int((time.perf_counter() - started) * 1000)

        try:
            check_url(url, allow_private=self.allow_private)  # IP literals skip the resolver
            async with self.session.post(
                url, data=body, headers=headers, allow_redirects=False
            ) as response:
                content = await _read_limited(response)
                return Result(
                    status=response.status,
                    duration_ms=took(),
                    body=content[:EXCERPT_LIMIT].decode(errors="replace"),
                    error=None,
                    retry_after=_retry_after(response.headers.get("Retry-After")),
                )
        except TargetRefused as exc:
            return Result(status=None, duration_ms=took(), body=None, error=exc.message)
        except TimeoutError:
            return Result(
                status=None,
                duration_ms=took(),
                body=None,
                error=f"no answer within {self.timeout:g} s",
            )
        except (aiohttp.ClientError, OSError) as exc:
            return Result(
                status=None,
                duration_ms=took(),
                body=None,
                error=f"{type(exc).__name__}: {exc}"[:500],
            )

    async def close(self) -> None:
        await self.session.close()
