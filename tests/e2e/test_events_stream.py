"""GET /api/v1/events/stream through the gateway over TLS: server-sent events of the caller's
organization and mode, filtered by type, resumable with Last-Event-ID, refused clearly."""

import asyncio
import contextlib
import os
import signal
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import aiohttp

from libs.common import jsoncodec
from libs.common.clock import utcnow
from libs.common.ids import id_floor, new_id
from tests.conftest import until
from tests.e2e.conftest import Platform, Till, answers, cli, client
from tests.e2e.test_platform import _pid_on_port

PLATFORM_ENV = {
    # Three open streams per organization, so the cap is reached in a few connections.
    "STACKNEX_WEBHOOKS_STREAMS_PER_ORGANIZATION": "3",
    # A heartbeat a second, and a gateway whose upstream requests time out in 3 s: a stream
    # that lasts longer proves the proxy exempts it (and only it) from that timeout.
    "STACKNEX_WEBHOOKS_STREAM_HEARTBEAT": "1",
    "STACKNEX_GATEWAY_UPSTREAM_TIMEOUT": "3",
}
STREAM = "/api/v1/events/stream"


class Events:
    """The messages of one open stream, read as they come."""

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self.response = response
        self.comments: list[str] = []

    async def line(self, timeout: float = 15) -> str | None:
        """The next line, None at the end of the stream."""
        line = (await asyncio.wait_for(self.response.content.readline(), timeout)).decode()
        return line.rstrip("\n") if line else None

    async def next(self, timeout: float = 15) -> dict[str, Any]:
        fields: dict[str, str] = {}
        while True:
            line = await self.line(timeout)
            assert line is not None, "the stream ended"
            if line.startswith(":"):
                self.comments.append(line)
            if not line:
                if "data" in fields:
                    data = jsoncodec.loads(fields["data"])
                    return {"id": fields["id"], "event": fields["event"], "data": data}
                fields = {}
                continue
            if not line.startswith(":"):
                name, _, value = line.partition(": ")
                fields[name] = value

    async def until_event(self, event_id: str) -> list[dict[str, Any]]:
        """Every message up to and including `event_id`'s."""
        seen = [await self.next()]
        while seen[-1]["id"] != event_id:
            seen.append(await self.next())
        return seen


@contextlib.asynccontextmanager
async def stream(
    till: Till, query: str = "", headers: dict[str, str] | None = None
) -> AsyncIterator[Events]:
    async with till.http.get(
        till.base + STREAM + query,
        headers={"Authorization": f"Bearer {till.key}", **(headers or {})},
        timeout=aiohttp.ClientTimeout(total=None, sock_read=30),
    ) as response:
        assert response.status == 200, await response.text()
        yield Events(response)


async def refused(till: Till, query: str = "", headers: dict[str, str] | None = None) -> Any:
    async with till.http.get(
        till.base + STREAM + query,
        headers={"Authorization": f"Bearer {till.key}", **(headers or {})},
    ) as response:
        return response.status, await response.json()


async def _logged(till: Till, event: str, resource_id: str) -> str:
    """The id of `event` for `resource_id`, once the event log has it."""
    found: list[str] = []

    async def logged() -> bool:
        events = await till.ok("GET", f"/api/v1/events?type={event}&limit=100")
        found[:] = [e["id"] for e in events if e["data"]["id"] == resource_id]
        return bool(found)

    await until(logged, what=f"{event} of {resource_id} in the event log")
    return found[0]


async def _product(till: Till, name: str) -> dict[str, Any]:
    return await till.ok("POST", "/api/v1/products", {"name": name, "price": 2.5}, 201)


async def test_an_event_after_connecting_arrives_as_the_events_api_has_it(
    tills: tuple[Till, Till],
) -> None:
    _, till = tills
    async with till.http.get(
        till.base + STREAM,
        headers={"Authorization": f"Bearer {till.key}", "X-Request-Id": "listen-test-1"},
    ) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "text/event-stream"
        assert response.headers["X-Request-Id"] == "listen-test-1"
        assert int(response.headers["X-RateLimit-Remaining"]) < int(
            response.headers["X-RateLimit-Limit"]
        )
        events = Events(response)
        product = await _product(till, "Streamed")
        message = await events.next()
        while message["event"] != "product.created":  # e.g. its inventory.updated first
            message = await events.next()
    assert message["id"].startswith("evt_")
    assert message["data"]["data"] == product
    assert message["data"] == await till.ok("GET", f"/api/v1/events/{message['id']}")
    assert (message["data"]["organizationId"], message["data"]["mode"]) == (till.org_id, "test")


async def test_types_filter_by_pattern_and_refuses_unknown_types(tills: tuple[Till, Till]) -> None:
    till, _ = tills
    async with stream(till, "?types=customer.*") as events:
        await _product(till, "Not streamed")
        customer = await till.ok("POST", "/api/v1/customers", {"email": "s@example.com"}, 201)
        message = await events.next()
    assert (message["event"], message["data"]["data"]["id"]) == ("customer.created", customer["id"])
    for bad in ("order.nothing", "orders.*", "*.created", ","):
        status, body = await refused(till, f"?types={bad}")
        assert status == 400, bad
        assert body["error"]["code"] == "VALIDATION_ERROR"
        assert body["error"]["details"]["field"] == "types"


async def test_last_event_id_resumes_after_that_event_in_order(tills: tuple[Till, Till]) -> None:
    till, _ = tills
    products = [await _product(till, f"Resume {n}") for n in range(3)]
    ids = [await _logged(till, "product.created", p["id"]) for p in products]
    async with stream(till, "?types=product.created", {"Last-Event-ID": ids[0]}) as events:
        assert [(await events.next())["id"] for _ in range(2)] == ids[1:]
        later = await _product(till, "Live after the replay")
        assert (await events.next())["data"]["data"]["id"] == later["id"]
    async with stream(till, f"?types=product.created&lastEventId={ids[1]}") as events:
        assert (await events.next())["id"] == ids[2]


async def test_a_bad_resume_point_is_refused_naming_it(tills: tuple[Till, Till]) -> None:
    till, other_mode = tills
    status, body = await refused(till, headers={"Last-Event-ID": "ord_nope"})
    assert (status, body["error"]["code"]) == (400, "VALIDATION_ERROR")
    assert body["error"]["details"]["field"] == "Last-Event-ID"
    status, body = await refused(till, "?lastEventId=evt_short")
    assert (status, body["error"]["details"]["field"]) == (400, "lastEventId")
    # Well formed but unknown (or of the other mode): 400, not a silent start from now.
    product = await _product(till, "Live only")
    live_event = await _logged(till, "product.created", product["id"])
    for unknown, who in ((new_id("evt"), till), (live_event, other_mode)):
        status, body = await refused(who, headers={"Last-Event-ID": unknown})
        assert (status, body["error"]["details"]["field"]) == (400, "Last-Event-ID")
    # An id from before the retention window: 410, the client knows it missed events.
    expired = id_floor("evt", at=utcnow() - timedelta(days=31))
    status, body = await refused(till, headers={"Last-Event-ID": expired})
    assert (status, body["error"]["code"]) == (410, "EVENT_EXPIRED")
    assert body["error"]["details"] == {"field": "Last-Event-ID", "eventId": expired}


async def test_a_stream_sees_only_its_organization_and_mode(
    platform: Platform, tills: tuple[Till, Till]
) -> None:
    live, test = tills
    other = await _other_organization(platform, live)
    async with stream(live) as live_events, stream(test) as test_events:
        await _product(other, "Other organization")
        await _product(test, "Test mode")
        marker = await _product(live, "Live marker")
        seen = await _until_product(live_events, marker["id"])
        test_marker = await _product(test, "Test marker")
        seen_test = await _until_product(test_events, test_marker["id"])
    assert {(m["data"]["organizationId"], m["data"]["mode"]) for m in seen} == {
        (live.org_id, "live")
    }
    assert {(m["data"]["organizationId"], m["data"]["mode"]) for m in seen_test} == {
        (test.org_id, "test")
    }
    assert any(m["data"]["data"].get("name") == "Test mode" for m in seen_test)


async def _until_product(events: Events, product_id: str) -> list[dict[str, Any]]:
    seen = [await events.next()]
    while seen[-1]["event"] != "product.created" or seen[-1]["data"]["data"]["id"] != product_id:
        seen.append(await events.next())
    return seen


async def _other_organization(platform: Platform, like: Till) -> Till:
    org = jsoncodec.loads(
        cli(platform.env, "org", "create", "--name", "Other Co", "--plan", "enterprise", "--json")
    )
    key = jsoncodec.loads(
        cli(platform.env, "key", "create", "--org", org["id"], "--mode", "test", "--json")
    )["key"]
    return Till(like.http, like.base, key, org["defaultLocationId"], org["id"])


async def test_the_stream_needs_a_key_with_events_read(
    platform: Platform, tills: tuple[Till, Till]
) -> None:
    till, _ = tills
    async with till.http.get(till.base + STREAM) as response:
        assert response.status == 401
        assert (await response.json())["error"]["code"] == "AUTHENTICATION_REQUIRED"
    key = jsoncodec.loads(
        cli(
            platform.env,
            "key",
            "create",
            "--org",
            till.org_id,
            "--mode",
            "live",
            "--scope",
            "orders:read",
            "--json",
        )
    )["key"]
    status, body = await refused(Till(till.http, till.base, key, till.location_id, till.org_id))
    assert (status, body["error"]["code"]) == (403, "INSUFFICIENT_SCOPE")
    assert body["error"]["details"] == {"requiredScope": "events:read"}


async def test_open_streams_are_capped_per_organization(tills: tuple[Till, Till]) -> None:
    live, test = tills
    async with contextlib.AsyncExitStack() as stack:
        for till in (live, live, test):  # both modes count: the cap is the organization's
            await stack.enter_async_context(stream(till))
        status, body = await refused(live)
        assert (status, body["error"]["code"]) == (429, "RATE_LIMITED")
        assert body["error"]["details"] == {"reason": "open_streams", "limit": 3}


async def test_the_stream_is_read_only(tills: tuple[Till, Till]) -> None:
    till, _ = tills
    for method in ("POST", "DELETE"):
        status, body = await till.call(method, STREAM)
        assert (status, body["error"]["code"]) == (405, "METHOD_NOT_ALLOWED")


async def test_a_stream_outlives_the_gateways_upstream_timeout_on_heartbeats(
    tills: tuple[Till, Till],
) -> None:
    till, _ = tills
    async with stream(till) as events:
        started = asyncio.get_running_loop().time()
        while asyncio.get_running_loop().time() - started < 4:  # past the 3 s timeout
            line = await events.line(timeout=3)
            assert line is not None, "the gateway cut the stream"
            if line.startswith(":"):
                events.comments.append(line)
        assert events.comments.count(": keepalive") >= 3
        product = await _product(till, "After the timeout")
        assert (await _until_product(events, product["id"]))[-1]["data"]["data"] == product
    # Every other route keeps the timeout: the service answered within it.
    status, _ = await till.call("GET", "/api/v1/events?limit=1")
    assert status == 200


async def test_a_stopping_service_ends_its_streams_at_once(
    platform: Platform, tills: tuple[Till, Till]
) -> None:
    """Last in the module: the webhooks process is stopped (the supervisor restarts it)."""
    till, _ = tills
    async with stream(till) as events:
        pid = await _pid_on_port(platform.ports["webhooks"])
        os.kill(pid, signal.SIGTERM)
        stopped_at = asyncio.get_running_loop().time()
        lines = []
        while (line := await events.line(timeout=10)) is not None:
            lines.append(line)
        # Well inside the 5 s shutdown timeout (STACKNEX_SHUTDOWN_TIMEOUT in the platform).
        assert asyncio.get_running_loop().time() - stopped_at < 4
    assert ": shutting down; reconnect with Last-Event-ID" in lines
    async with client() as http:
        await until(
            lambda: answers(http, platform.ops_url("webhooks", "/readyz")),
            timeout=60,
            what="webhooks back",
        )
