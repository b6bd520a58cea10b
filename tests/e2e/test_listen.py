"""`stacknex listen` against the whole platform: events created after it is ready reach a
local receiver, signed with the secret it printed (the seed's verifyWebhook and the Standard
Webhooks scheme both verify), one line each with the receiver's status; `--events` filters,
`--since` replays, other organizations' and modes' events never arrive."""

import asyncio
import base64
import hashlib
import hmac
import re
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from stacknex_client import WebhookVerificationError, verify_webhook

from libs.common import jsoncodec
from tests.conftest import until
from tests.e2e.conftest import Platform, Till, cli
from tests.e2e.receiver import Receiver, respond
from tests.e2e.test_webhooks import _node_verifies

# A stream ends after 3 s here, so every test also crosses reconnections (Last-Event-ID).
PLATFORM_ENV = {"STACKNEX_WEBHOOKS_STREAM_MAX_SECONDS": "3"}
SECRET = re.compile(r"Ready!.* secret is (whsec_[A-Za-z0-9+/=]+)")


@dataclass
class Listening:
    process: asyncio.subprocess.Process
    lines: list[str] = field(default_factory=list)
    secret: str = ""

    def line_for(self, event_id: str) -> str | None:
        return next((line for line in self.lines if f"  {event_id}  -> " in line), None)

    async def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.process.wait(), 20)


async def _read(listening: Listening) -> None:
    assert listening.process.stdout is not None
    async for raw in listening.process.stdout:
        listening.lines.append(raw.decode().rstrip("\n"))


@pytest.fixture
async def listen(
    platform: Platform, tills: tuple[Till, Till], receiver: Receiver
) -> AsyncIterator[Callable[..., Any]]:
    """Starts `stacknex listen` with a live key of the `tills` organization that has only
    `events:read`."""
    till, _ = tills
    key = _key(platform, till.org_id, "live", "events:read")
    started: list[tuple[Listening, asyncio.Task[None]]] = []

    async def start(*args: str) -> Listening:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "cli.main",
            "listen",
            "--forward-to",
            receiver.url + "/hooks",
            "--api-url",
            platform.url("gateway", ""),
            "--ca-file",
            platform.env["STACKNEX_GATEWAY_TLS_CERT_FILE"],
            *args,
            env={**platform.env, "STACKNEX_API_KEY": key},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        listening = Listening(process)
        started.append((listening, asyncio.create_task(_read(listening))))

        def ready() -> bool:
            found = [m for line in listening.lines if (m := SECRET.search(line))]
            if found:
                listening.secret = found[0].group(1)
            assert process.returncode is None, "\n".join(listening.lines)
            return bool(found)

        await until(ready, timeout=30, what="stacknex listen to be ready")
        return listening

    yield start
    for listening, reader in started:
        if listening.process.returncode is None:
            listening.process.kill()
            await listening.process.wait()
        reader.cancel()


def _key(platform: Platform, org_id: str, mode: str, *scopes: str) -> str:
    args = [a for s in scopes for a in ("--scope", s)]
    made = cli(platform.env, "key", "create", "--org", org_id, "--mode", mode, *args, "--json")
    return str(jsoncodec.loads(made)["key"])


def _standard_signature_verifies(hit: Any, secret: str) -> bool:
    """The Standard Webhooks scheme, from its spec: base64 HMAC-SHA256 of id.timestamp.body,
    keyed with the base64-decoded part after whsec_."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{hit.headers['webhook-id']}.{hit.headers['webhook-timestamp']}.".encode() + hit.body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(
        hmac.compare_digest(f"v1,{expected}", given)
        for given in hit.headers["webhook-signature"].split(" ")
    )


async def _logged(till: Till, event: str, resource_id: str) -> str:
    found: list[str] = []

    async def logged() -> bool:
        events = await till.ok("GET", f"/api/v1/events?type={event}&limit=100")
        found[:] = [e["id"] for e in events if e["data"]["id"] == resource_id]
        return bool(found)

    await until(logged, what=f"{event} of {resource_id} in the event log")
    return found[0]


def _hits(receiver: Receiver, event: str) -> list[Any]:
    return [h for h in receiver.at("/hooks") if h.json["event"] == event]


async def test_an_order_created_after_ready_reaches_the_receiver_and_verifies(
    tills: tuple[Till, Till], receiver: Receiver, listen: Callable[..., Any]
) -> None:
    till, _ = tills
    receiver.behaviours["/hooks"] = lambda n: respond(202)
    listening = await listen("--events", "order.*")
    assert listening.secret.startswith("whsec_")
    product_id, _ = await till.stocked_product(5)
    order = await till.ok("POST", "/api/v1/orders", till.order(product_id), 201)
    await until(lambda: _hits(receiver, "order.created"), what="order.created forwarded")
    [hit] = _hits(receiver, "order.created")
    assert hit.json["data"]["id"] == order["id"]
    assert hit.json["organizationId"] == till.org_id and hit.json["mode"] == "live"
    assert hit.headers["Content-Type"] == "application/json"
    assert hit.headers["User-Agent"].startswith("StackNex-Webhooks/")
    assert hit.headers["X-Webhook-Event"] == "order.created"
    assert hit.headers["X-Webhook-Id"] == hit.headers["webhook-id"] == hit.json["id"]
    assert _node_verifies(hit.body, hit.headers["X-Webhook-Signature"], listening.secret)
    assert not _node_verifies(hit.body, hit.headers["X-Webhook-Signature"], listening.secret + "x")
    assert _standard_signature_verifies(hit, listening.secret)
    # And with the client's helper, as an integrator's receiver would check it.
    verify_webhook(hit.body, dict(hit.headers), listening.secret)
    with pytest.raises(WebhookVerificationError):
        verify_webhook(hit.body + b" ", dict(hit.headers), listening.secret)
    # The body is the event exactly as the Events API has it.
    assert hit.json == await till.ok("GET", f"/api/v1/events/{hit.json['id']}")
    await until(lambda: listening.line_for(hit.json["id"]), what="the CLI's line for the event")
    line = listening.line_for(hit.json["id"])
    assert re.search(r"  order\.created  evt_\w+  -> 202 \(\d+ ms\)$", line or ""), line
    # --events order.*: the product's and the stock's events were not forwarded.
    assert all(h.json["event"].startswith("order.") for h in receiver.at("/hooks"))
    # The stream is re-established after its 3 s lifetime; what follows still arrives.
    await until(
        lambda: any("stream ended" in line for line in listening.lines), what="a reconnection"
    )
    second = await till.ok("POST", "/api/v1/orders", till.order(product_id), 201)
    await until(
        lambda: any(h.json["data"]["id"] == second["id"] for h in _hits(receiver, "order.created")),
        what="the order after the reconnection",
    )
    forwarded = [h.json["id"] for h in receiver.at("/hooks")]
    assert len(forwarded) == len(set(forwarded))  # nothing sent twice across reconnections
    assert await listening.stop() == 0
    last = forwarded[-1]
    assert listening.lines[-1] == f"Stopped. Last event: {last}; resume with --since {last}"


async def test_a_failing_receiver_is_reported_and_does_not_stop_listening(
    tills: tuple[Till, Till], receiver: Receiver, listen: Callable[..., Any]
) -> None:
    till, _ = tills
    receiver.behaviours["/hooks"] = lambda n: respond(500 if n == 1 else 200)
    listening = await listen("--events", "customer.created")
    first = await till.ok("POST", "/api/v1/customers", {"email": "a@example.com"}, 201)
    second = await till.ok("POST", "/api/v1/customers", {"email": "b@example.com"}, 201)
    await until(lambda: len(receiver.at("/hooks")) >= 2, what="both customers forwarded")
    ids = [h.json["id"] for h in receiver.at("/hooks")]
    assert [h.json["data"]["id"] for h in receiver.at("/hooks")] == [first["id"], second["id"]]
    await until(lambda: listening.line_for(ids[1]), what="the second line")
    assert "-> 500 (" in (listening.line_for(ids[0]) or "")
    assert "-> 200 (" in (listening.line_for(ids[1]) or "")


async def test_since_replays_what_came_after_an_event(
    tills: tuple[Till, Till], receiver: Receiver, listen: Callable[..., Any]
) -> None:
    till, _ = tills
    customers = [
        await till.ok("POST", "/api/v1/customers", {"email": f"c{n}@example.com"}, 201)
        for n in range(3)
    ]
    ids = [await _logged(till, "customer.created", c["id"]) for c in customers]
    await listen("--events", "customer.created", "--since", ids[0])
    await until(lambda: len(receiver.at("/hooks")) >= 2, what="the replay")
    assert [h.json["id"] for h in receiver.at("/hooks")] == ids[1:]


async def test_other_organizations_and_modes_never_arrive(
    platform: Platform, tills: tuple[Till, Till], receiver: Receiver, listen: Callable[..., Any]
) -> None:
    live, test = tills
    await listen()
    other = jsoncodec.loads(
        cli(platform.env, "org", "create", "--name", "Elsewhere", "--plan", "enterprise", "--json")
    )
    other_key = _key(platform, other["id"], "live")
    elsewhere = Till(test.http, test.base, other_key, other["defaultLocationId"], other["id"])
    await elsewhere.ok("POST", "/api/v1/customers", {"email": "other@example.com"}, 201)
    await test.ok("POST", "/api/v1/customers", {"email": "test@example.com"}, 201)
    marker = await live.ok("POST", "/api/v1/customers", {"email": "mine@example.com"}, 201)
    await until(
        lambda: any(h.json["data"].get("id") == marker["id"] for h in receiver.at("/hooks")),
        what="the marker",
    )
    assert {(h.json["organizationId"], h.json["mode"]) for h in receiver.at("/hooks")} == {
        (live.org_id, "live")
    }


async def _refused(platform: Platform, key: str, *args: str) -> subprocess.CompletedProcess[str]:
    return await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "cli.main", "listen", *args],
        env={**platform.env, "STACKNEX_API_KEY": key},
        capture_output=True,
        text=True,
        timeout=60,
    )


async def test_a_wrong_mode_a_missing_scope_or_a_bad_target_is_refused_clearly(
    platform: Platform, tills: tuple[Till, Till]
) -> None:
    till, _ = tills
    key = _key(platform, till.org_id, "live", "events:read")
    done = await _refused(platform, key, "--forward-to", "http://x.test/", "--mode", "test")
    assert done.returncode != 0 and "--mode test needs a test key" in done.stderr
    done = await _refused(platform, key, "--forward-to", "localhost:3000")
    assert done.returncode != 0 and "--forward-to needs an http(s) URL" in done.stderr
    without = _key(platform, till.org_id, "live", "orders:read")
    done = await _refused(
        platform,
        without,
        *("--forward-to", "http://x.test/", "--api-url", platform.url("gateway", "")),
        *("--ca-file", platform.env["STACKNEX_GATEWAY_TLS_CERT_FILE"]),
    )
    assert done.returncode == 1
    assert "INSUFFICIENT_SCOPE: This API key lacks the events:read scope." in done.stderr
    for made in (key, without):  # a key is never echoed
        assert made not in done.stderr + done.stdout
