"""Delivery workers as separate processes (role=worker) beside an API-only webhooks service:
a killed worker's delivery still arrives, and two workers never run one attempt at once."""

import asyncio
import itertools
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.conftest import free_port, until
from tests.e2e.conftest import Platform, Till
from tests.e2e.receiver import Receiver, respond
from tests.e2e.test_webhooks import _endpoint

PLATFORM_ENV = {
    "STACKNEX_WEBHOOKS_ROLE": "api",  # no deliveries from the platform's own process
    "STACKNEX_WEBHOOKS_ALLOWED_PRIVATE_NETWORKS": '["127.0.0.0/8"]',
    "STACKNEX_WEBHOOKS_RETRY_SCHEDULE": "[0, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3]",
    "STACKNEX_WEBHOOKS_DELIVERY_TIMEOUT": "3",
    "STACKNEX_WEBHOOKS_LEASE_MARGIN": "1",
    "STACKNEX_WEBHOOKS_POLL_INTERVAL": "0.2",
    "STACKNEX_WEBHOOKS_DISABLE_AFTER": "1",
}


Start = Callable[[], subprocess.Popen[bytes]]


@pytest.fixture
def start_worker(platform: Platform) -> Iterator[Start]:
    """Starts a webhook worker process (role=worker); all are stopped after the test."""
    started: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        env = {
            **platform.env,
            "STACKNEX_WEBHOOKS_ROLE": "worker",
            "STACKNEX_WEBHOOKS_PORT": str(free_port()),
            "STACKNEX_WEBHOOKS_OPS_PORT": str(free_port()),
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "services.webhooks"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


async def test_a_worker_killed_mid_delivery_does_not_lose_it(
    tills: tuple[Till, Till],
    receiver: Receiver,
    start_worker: Start,
) -> None:
    till, _ = tills
    start = start_worker
    receiver.behaviours["/slow"] = lambda n: respond(200, delay=2 if n == 1 else 0)
    endpoint = await _endpoint(till, receiver, "/slow", ["customer.created"])
    first = start()
    await till.ok("POST", "/api/v1/customers", {"email": "slow@example.com"}, 201)
    await until(lambda: receiver.at("/slow"), timeout=30, what="the first attempt in flight")
    first.send_signal(signal.SIGKILL)  # mid-delivery: the receiver is still answering
    first.wait()
    start()
    await until(lambda: len(receiver.at("/slow")) >= 2, timeout=30, what="the redelivery")
    hits = receiver.at("/slow")
    assert len({h.headers["X-Webhook-Id"] for h in hits}) == 1

    async def delivered() -> bool:
        rows = await till.ok("GET", f"/api/v1/webhooks/{endpoint['id']}/deliveries")
        return rows[0]["status"] == "succeeded"

    await until(delivered, timeout=30, what="the delivery recorded as succeeded")


async def test_two_workers_never_run_the_same_attempt_at_once(
    tills: tuple[Till, Till],
    receiver: Receiver,
    start_worker: Start,
) -> None:
    till, _ = tills
    start = start_worker
    receiver.behaviours["/pair"] = lambda n: respond(200, delay=0.05)
    await _endpoint(till, receiver, "/pair", ["customer.created"])
    start()
    start()
    await asyncio.gather(
        *(
            till.ok("POST", "/api/v1/customers", {"email": f"pair{i}@example.com"}, 201)
            for i in range(40)
        )
    )
    await until(
        lambda: len({h.headers["X-Webhook-Id"] for h in receiver.at("/pair")}) == 40,
        timeout=60,
        what="forty deliveries",
    )
    by_id: dict[str, list[Any]] = {}
    for hit in receiver.at("/pair"):
        by_id.setdefault(hit.headers["X-Webhook-Id"], []).append(hit)
    for hits in by_id.values():
        hits.sort(key=lambda h: h.started)
        for before, after in itertools.pairwise(hits):
            assert before.ended is not None and before.ended <= after.started
    assert sum(len(h) for h in by_id.values()) == 40  # all succeeded at the first attempt


async def test_an_endpoint_failing_without_success_for_the_limit_is_disabled(
    tills: tuple[Till, Till],
    receiver: Receiver,
    start_worker: Start,
) -> None:
    till, _ = tills
    start = start_worker
    receiver.behaviours["/broken"] = lambda n: respond(500)
    endpoint = await _endpoint(till, receiver, "/broken", ["customer.created"])
    start()
    await till.ok("POST", "/api/v1/customers", {"email": "broken@example.com"}, 201)

    async def disabled() -> bool:
        current = await till.ok("GET", f"/api/v1/webhooks/{endpoint['id']}")
        return current["enabled"] is False

    await until(disabled, timeout=30, what="the endpoint to be disabled")
    current = await till.ok("GET", f"/api/v1/webhooks/{endpoint['id']}")
    assert "without a single success" in current["disabledReason"]
