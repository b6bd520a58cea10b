"""`stacknex listen`: the organization's events, forwarded to a local URL as they happen,
as the Stripe CLI does. It reads the event stream (GET /api/v1/events/stream) with an API key
that has `events:read`, and POSTs each event to `--forward-to` signed exactly as a webhook
delivery is (services/webhooks/domain/signing.py), with a secret made for this run and
printed at start, so the receiver's verification code runs unchanged."""

import argparse
import asyncio
import contextlib
import os
import signal
import ssl
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import aiohttp
from yarl import URL

from libs.contract import patterns
from services.webhooks.adapters.worker import USER_AGENT
from services.webhooks.domain import signing

DEFAULT_API_URL = "https://127.0.0.1:8443"
MODES = {"nxp_live_": "live", "nxp_test_": "test"}
# The forward has the platform's own delivery timeout: a receiver that passes here passes there.
FORWARD_TIMEOUT = aiohttp.ClientTimeout(total=15, sock_connect=5)
# The stream sends a comment every 15 s: silence three times that long is a dead connection.
STREAM_TIMEOUT = aiohttp.ClientTimeout(total=None, sock_connect=10, sock_read=45)
BACKOFF_FIRST, BACKOFF_MAX = 0.5, 10.0


class Refused(Exception):
    """The platform refused the stream in a way a retry cannot mend (key, scope, input)."""


@dataclass
class Message:
    id: str | None = None
    event: str | None = None
    data: bytes = b""


def key_mode(key: str) -> str | None:
    return next((mode for prefix, mode in MODES.items() if key.startswith(prefix)), None)


def _ssl(args: argparse.Namespace) -> ssl.SSLContext | bool:
    if args.insecure:
        return False
    return ssl.create_default_context(cafile=args.ca_file)


def _say(line: str) -> None:
    print(line, flush=True)


class Listener:
    def __init__(self, args: argparse.Namespace, key: str, secret: str) -> None:
        self.args, self.key, self.secret = args, key, secret
        self.last_event_id: str | None = args.since
        self.ready = False
        self.established = False
        self.tls = _ssl(args)

    async def run(self, http: aiohttp.ClientSession) -> None:
        """Reconnects with Last-Event-ID whenever the stream ends or breaks: at once after a
        stream that was up, with a doubling pause (at most 10 s) while none comes up."""
        backoff = BACKOFF_FIRST
        while True:
            self.established = False
            try:
                note = await self._stream(http)
            except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
                note = f"stream interrupted: {_reason(exc)}"
            if self.established:
                backoff = BACKOFF_FIRST
            _say(f"{note}; reconnecting in {backoff:g} s")
            await asyncio.sleep(backoff)
            if not self.established:
                backoff = min(backoff * 2, BACKOFF_MAX)

    async def _stream(self, http: aiohttp.ClientSession) -> str:
        """One connection, until it ends; what happened, for the log line."""
        url = URL(self.args.api_url.rstrip("/") + "/api/v1/events/stream").with_query(
            types=self.args.events
        )
        headers = {"Authorization": f"Bearer {self.key}", "Accept": "text/event-stream"}
        if self.last_event_id:
            headers["Last-Event-ID"] = self.last_event_id
        async with http.get(url, headers=headers, ssl=self.tls, timeout=STREAM_TIMEOUT) as response:
            if response.status != 200:
                return await self._refused(response)
            self.established = True
            if not self.ready:
                self.ready = True
                _say(
                    f"Ready! Forwarding {self.args.events} events ({self.args.mode} mode) to"
                    f" {self.args.forward_to}. Your webhook signing secret is {self.secret}"
                    "  (Ctrl-C to stop)"
                )
            async for message in messages(response.content):
                if message.id and message.event:
                    await self._forward(http, message)
                    self.last_event_id = message.id
            return "stream ended"

    async def _refused(self, response: aiohttp.ClientResponse) -> str:
        """A passing refusal (rate limit, outage) is retried; any other ends the command."""
        try:
            error = (await response.json())["error"]
            reason = f"{error['code']}: {error['message']}"
        except (aiohttp.ContentTypeError, ValueError, KeyError, TypeError):
            reason = f"HTTP {response.status}"
        if response.status == 429 or response.status >= 500:
            return f"the platform answered {reason}"
        raise Refused(reason)

    async def _forward(self, http: aiohttp.ClientSession, message: Message) -> None:
        assert message.id is not None and message.event is not None
        headers = signing.headers(
            body=message.data,
            # The event id: stable across a replay with --since, so a receiver's dedupe holds.
            webhook_id=message.id,
            event_type=message.event,
            timestamp=int(time.time()),
            secrets_in_force=[self.secret],
            user_agent=USER_AGENT,
        )
        started = time.monotonic()
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
        try:
            async with http.post(
                self.args.forward_to,
                data=message.data,
                headers=headers,
                timeout=FORWARD_TIMEOUT,
                allow_redirects=False,
            ) as answer:
                await answer.read()
                outcome = f"{answer.status} ({(time.monotonic() - started) * 1000:.0f} ms)"
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            outcome = f"error: {_reason(exc)}"
        _say(f"{stamp}  {message.event}  {message.id}  -> {outcome}")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "no answer within 15 s"
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:200]


async def lines(content: aiohttp.StreamReader) -> AsyncIterator[bytes]:
    """The body's lines, however long (aiohttp's own line reader stops at 128 KiB, and an
    event carries a whole order)."""
    buffer = b""
    async for chunk in content.iter_any():
        buffer += chunk
        *complete, buffer = buffer.split(b"\n")
        for line in complete:
            yield line.removesuffix(b"\r")


async def messages(content: aiohttp.StreamReader) -> AsyncIterator[Message]:
    """Server-sent events (the WHATWG format): fields until a blank line; comments skipped."""
    message = Message()
    data: list[bytes] = []
    async for line in lines(content):
        if not line:
            if data:
                message.data = b"\n".join(data)
                yield message
            message, data = Message(), []
            continue
        if line.startswith(b":"):
            continue
        name, _, value = line.partition(b":")
        value = value.removeprefix(b" ")
        if name == b"data":
            data.append(value)
        elif name == b"id":
            message.id = value.decode()
        elif name == b"event":
            message.event = value.decode()


async def listen(args: argparse.Namespace) -> None:
    key = args.api_key or os.environ.get("STACKNEX_API_KEY", "")
    if not key:
        raise SystemExit("stacknex listen: give an API key (--api-key or STACKNEX_API_KEY)")
    mode = key_mode(key)
    if mode is None:
        raise SystemExit(
            "stacknex listen: that is not a StackNex API key (nxp_live_… / nxp_test_…)"
        )
    if args.mode is not None and args.mode != mode:
        raise SystemExit(
            f"stacknex listen: --mode {args.mode} needs a {args.mode} key (nxp_{args.mode}_…);"
            f" this one is a {mode} key"
        )
    args.mode = mode
    target = URL(args.forward_to)
    if target.scheme not in ("http", "https") or not target.host:
        raise SystemExit(
            "stacknex listen: --forward-to needs an http(s) URL, e.g. http://localhost:3000/hooks"
        )
    try:
        args.events = ",".join(patterns.parse(args.events))
    except ValueError as exc:
        raise SystemExit(f"stacknex listen: --events: {exc}") from None
    listener = Listener(args, key, signing.new_secret())
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    # One session for the stream and the forwards; the API's TLS settings go per request.
    async with aiohttp.ClientSession() as http:
        running = asyncio.create_task(listener.run(http))
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            try:
                await running
            except Refused as exc:
                print(f"stacknex listen: the platform refused the stream: {exc}", file=sys.stderr)
                raise SystemExit(1) from None
    last = listener.last_event_id
    _say(f"Stopped. Last event: {last}; resume with --since {last}" if last else "Stopped.")


def add_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "listen", help="forward the organization's events to a local URL as they happen"
    )
    parser.add_argument("--forward-to", required=True, metavar="URL")
    parser.add_argument(
        "--events", default="*", metavar="PATTERNS", help="comma-separated, e.g. 'order.*'"
    )
    parser.add_argument("--mode", choices=("live", "test"), help="must be the key's mode")
    parser.add_argument("--since", metavar="EVT_ID", help="first replay what came after it")
    parser.add_argument("--api-key", help="default: $STACKNEX_API_KEY (needs events:read)")
    parser.add_argument(
        "--api-url", default=os.environ.get("STACKNEX_API_URL", DEFAULT_API_URL), metavar="URL"
    )
    parser.add_argument("--ca-file", help="a CA or certificate to trust (the dev certificate)")
    parser.add_argument("--insecure", action="store_true", help="do not verify TLS (loopback)")
    parser.set_defaults(handler=listen)
