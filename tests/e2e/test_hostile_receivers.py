"""Receivers that misbehave in every way we know of, against the whole platform: each try
ends in exactly one logged attempt with a clear error, within the timeout, the next one on
the schedule, and the delivery `failed` at the end of it (never re-sent every lease, as a
reply with a NUL byte once made it); the webhooks process's memory stays bounded."""

import itertools
import os
import subprocess
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import until
from tests.e2e import hostile
from tests.e2e.conftest import Platform, Till

SCHEDULE = [0, 1, 1]  # three attempts, a second apart
CONNECT, READ, TOTAL = 1.0, 1.5, 3.0
PLATFORM_ENV = {
    "STACKNEX_WEBHOOKS_ALLOWED_PRIVATE_NETWORKS": '["127.0.0.0/8"]',
    "STACKNEX_WEBHOOKS_RETRY_SCHEDULE": str(SCHEDULE),
    "STACKNEX_WEBHOOKS_CONNECT_TIMEOUT": str(CONNECT),
    "STACKNEX_WEBHOOKS_READ_TIMEOUT": str(READ),
    "STACKNEX_WEBHOOKS_DELIVERY_TIMEOUT": str(TOTAL),
    "STACKNEX_WEBHOOKS_POLL_INTERVAL": "0.2",
    # A delivery whose attempt went unrecorded would come back within 5 s, not 18.
    "STACKNEX_WEBHOOKS_LEASE_MARGIN": "2",
}
# A loaded two-core machine: an attempt may end this much after its deadline.
SLACK_MS = 1500

# Path (on the hostile HTTP server) -> what every attempt's log entry must show.
HTTP_CASES: dict[str, tuple[int | None, str]] = {
    "/nul": (500, ""),
    "/invalid-utf8": (500, ""),
    "/ten-megabytes": (500, ""),
    "/endless-chunked": (500, f"no complete answer within {TOTAL:g} s"),
    "/endless-head": (None, f"no answer within {TOTAL:g} s"),
    "/drip": (200, f"no complete answer within {TOTAL:g} s"),
    "/gzip-bomb": (500, ""),
    "/redirect": (302, "a redirect (302) is not followed"),
    "/reset": (200, "the answer broke off"),
    "/not-http": (None, "the answer is not valid HTTP"),
    "/hang-up": (None, "the receiver closed the connection without an answer"),
}


@pytest.fixture
async def servers(tmp_path: Path) -> AsyncIterator[dict[str, Any]]:
    hostile.bomb()  # built before anything is timed
    subprocess.run(["bash", "scripts/dev-cert.sh", str(tmp_path)], check=True)
    http, silent, tls = hostile.start_hostile(), hostile.start_silent(), hostile.start_tls_garbage()
    untrusted = hostile.start_untrusted_tls(str(tmp_path / "cert.pem"), str(tmp_path / "key.pem"))
    unreachable = hostile.Unreachable()
    started = {
        "http": await anext(http),
        "silent": await anext(silent),
        "tls": await anext(tls),
        "untrusted": await anext(untrusted),
        "unreachable": unreachable,
    }
    yield started
    unreachable.close()
    for server in (http, silent, tls, untrusted):
        with pytest.raises(StopAsyncIteration):
            await anext(server)


def _webhooks_pid(platform: Platform) -> int:
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                command = cmdline.read().split(b"\0")
        except (OSError, IndexError, ValueError):
            continue
        if parent == platform.process.pid and b"services.webhooks" in command:
            return int(entry)
    raise AssertionError("no webhooks process under the supervisor")


def _memory_kb(pid: int, field: str) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise AssertionError(f"no {field} for {pid}")


def _at(value: str) -> float:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


async def test_every_hostile_receiver_ends_in_logged_attempts_on_the_schedule(
    platform: Platform, tills: tuple[Till, Till], servers: dict[str, Any]
) -> None:
    till, _ = tills
    http = servers["http"]
    urls = {path: http.url + path for path in HTTP_CASES}
    urls["/silent"] = f"http://127.0.0.1:{servers['silent'].port}/silent"
    urls["/tls"] = f"https://127.0.0.1:{servers['tls'].port}/tls"
    urls["/unreachable"] = f"http://127.0.0.1:{servers['unreachable'].port}/unreachable"
    urls["/untrusted"] = f"https://127.0.0.1:{servers['untrusted'].port}/untrusted"
    expected = {
        **HTTP_CASES,
        "/silent": (None, f"the receiver sent nothing for {READ:g} s"),
        "/tls": (None, "SSL"),
        "/unreachable": (None, f"could not connect within {CONNECT:g} s"),
        "/untrusted": (None, "certificate verify failed"),
    }
    endpoints = {}
    for path, url in urls.items():
        endpoint = await till.ok(
            "POST", "/api/v1/webhooks", {"url": url, "events": ["customer.created"]}, 201
        )
        endpoints[path] = endpoint["id"]
    pid = _webhooks_pid(platform)
    rss_before = _memory_kb(pid, "VmRSS")

    await till.ok("POST", "/api/v1/customers", {"email": "hostile@example.com"}, 201)

    async def deliveries() -> dict[str, dict[str, Any]]:
        found = {}
        for path, endpoint_id in endpoints.items():
            listed: Any = await till.ok("GET", f"/api/v1/webhooks/{endpoint_id}/deliveries")
            if listed:
                found[path] = listed[0]
        return found

    async def all_failed() -> bool:
        found = await deliveries()
        return len(found) == len(endpoints) and all(d["status"] == "failed" for d in found.values())

    # Three attempts of at most 3 s and two 1 s pauses each, all endpoints at once: ~11 s.
    await until(all_failed, timeout=90, what=f"every delivery failed: {await deliveries()}")
    peak = _memory_kb(pid, "VmHWM")

    problems = []
    for path, delivery in (await deliveries()).items():
        detail = await till.ok(
            "GET", f"/api/v1/webhooks/{endpoints[path]}/deliveries/{delivery['id']}"
        )
        log = detail["attemptLog"]
        status, error = expected[path]
        if [a["attempt"] for a in log] != [1, 2, 3] or detail["attempts"] != 3:
            problems.append(f"{path}: attempts {detail['attempts']}, logged {log}")
            continue
        for attempt in log:
            if attempt["httpStatus"] != status or error not in (attempt["error"] or ""):
                problems.append(f"{path}: expected {status} / {error!r}, logged {attempt}")
            if status is not None and 200 <= status < 300 and not attempt["error"]:
                problems.append(f"{path}: a 2xx that failed must say why: {attempt}")
            if attempt["durationMs"] > TOTAL * 1000 + SLACK_MS:
                problems.append(f"{path}: attempt took {attempt['durationMs']} ms")
            response = attempt["response"] or ""
            if len(response) > 4096 or "\x00" in response:
                problems.append(f"{path}: response excerpt {len(response)} chars")
        for before, after in itertools.pairwise(log):
            pause = _at(after["at"]) - _at(before["at"]) - before["durationMs"] / 1000
            if pause < 0.9:  # the schedule's 1 s, less its 10 % jitter
                problems.append(f"{path}: the next attempt came {pause:.2f} s after the last")
        if path in http.hits and len(http.hits[path]) != 3:
            problems.append(f"{path}: the receiver got {len(http.hits[path])} requests, not 3")
        if path in http.webhook_ids and set(http.webhook_ids[path]) != {delivery["id"]}:
            problems.append(f"{path}: webhook ids {http.webhook_ids[path]}")
    if servers["untrusted"].connections:
        problems.append("a request went through a certificate that is not trusted")
    if servers["silent"].connections != 3 or servers["tls"].connections != 3:
        problems.append(
            f"connections: silent {servers['silent'].connections}, tls {servers['tls'].connections}"
        )
    # The bomb inflates to 128 MB and the big answer is 10 MB, each sent three times.
    if peak - rss_before > 40 * 1024:
        problems.append(f"webhooks peak RSS grew by {(peak - rss_before) // 1024} MB")
    assert not problems, "\n".join(problems)


async def test_what_a_receiver_said_is_kept_as_readable_text(
    tills: tuple[Till, Till], servers: dict[str, Any]
) -> None:
    till, _ = tills
    http = servers["http"]
    kept = {}
    for path in ("/nul", "/invalid-utf8", "/gzip-bomb", "/ten-megabytes"):
        endpoint = await till.ok(
            "POST",
            "/api/v1/webhooks",
            {"url": http.url + path, "events": ["customer.created"]},
            201,
        )
        kept[path] = endpoint["id"]
    await till.ok("POST", "/api/v1/customers", {"email": "said@example.com"}, 201)

    async def first_attempts() -> dict[str, dict[str, Any]] | None:
        found = {}
        for path, endpoint_id in kept.items():
            listed: Any = await till.ok("GET", f"/api/v1/webhooks/{endpoint_id}/deliveries")
            if not listed or not listed[0]["attempts"]:
                return None
            detail = await till.ok(
                "GET", f"/api/v1/webhooks/{endpoint_id}/deliveries/{listed[0]['id']}"
            )
            if not detail["attemptLog"]:
                return None
            found[path] = detail["attemptLog"][0]
        return found

    async def logged() -> bool:
        return await first_attempts() is not None

    await until(logged, timeout=30, what="a logged first attempt for each")
    found = await first_attempts()
    assert found is not None
    assert found["/nul"]["response"] == "upstream said: \ufffd\ufffd nothing \ufffd more"
    assert "\ufffd" in found["/invalid-utf8"]["response"]
    assert "utf-8" in found["/invalid-utf8"]["response"]
    assert found["/gzip-bomb"]["response"] == "\ufffd" * 4096  # inflated NULs, 4 KB of them
    assert found["/ten-megabytes"]["response"] == "x" * 4096
