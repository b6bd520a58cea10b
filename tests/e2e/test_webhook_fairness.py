"""One organization's black-holed endpoints cannot hold every delivery slot: another
organization's webhooks arrive on time meanwhile (a per-organization share of the slots),
and a black-holed attempt ends at the read timeout."""

import time
from collections.abc import AsyncIterator

import pytest

from libs.common import jsoncodec
from tests.conftest import until
from tests.e2e import hostile
from tests.e2e.conftest import Platform, Till, cli, client
from tests.e2e.receiver import Receiver

PLATFORM_ENV = {
    "STACKNEX_WEBHOOKS_ALLOWED_PRIVATE_NETWORKS": '["127.0.0.0/8"]',
    # A small worker, so that ten endpoints at two each could fill it.
    "STACKNEX_WEBHOOKS_WORKER_CONCURRENCY": "20",
    "STACKNEX_WEBHOOKS_ENDPOINT_CONCURRENCY": "2",
    "STACKNEX_WEBHOOKS_ORGANIZATION_CONCURRENCY": "10",
    "STACKNEX_WEBHOOKS_CONNECT_TIMEOUT": "2",
    "STACKNEX_WEBHOOKS_READ_TIMEOUT": "10",
    "STACKNEX_WEBHOOKS_DELIVERY_TIMEOUT": "12",
    "STACKNEX_WEBHOOKS_RETRY_SCHEDULE": "[0, 60]",
    "STACKNEX_WEBHOOKS_POLL_INTERVAL": "0.2",
}
ON_TIME = 4.0  # seconds; a black-holed attempt holds its slot for 10


@pytest.fixture
async def silent() -> AsyncIterator[hostile.Silent]:
    async for started in hostile.start_silent():
        yield started


async def _other_organization(platform: Platform) -> AsyncIterator[Till]:
    org = jsoncodec.loads(
        cli(platform.env, "org", "create", "--name", "Other Co", "--plan", "enterprise", "--json")
    )
    key = jsoncodec.loads(
        cli(platform.env, "key", "create", "--org", org["id"], "--mode", "live", "--json")
    )["key"]
    async with client() as http:
        yield Till(http, platform.url("gateway", ""), key, org["defaultLocationId"], org["id"])


@pytest.fixture
async def other(platform: Platform) -> AsyncIterator[Till]:
    async for till in _other_organization(platform):
        yield till


async def test_black_holed_endpoints_of_one_organization_do_not_delay_another(
    tills: tuple[Till, Till], other: Till, silent: hostile.Silent, receiver: Receiver
) -> None:
    busy, _ = tills
    for n in range(10):
        await busy.ok(
            "POST",
            "/api/v1/webhooks",
            {"url": f"http://127.0.0.1:{silent.port}/hole{n}", "events": ["customer.created"]},
            201,
        )
    for n in range(3):  # 30 deliveries, three per endpoint: more than the worker's 20 slots
        await busy.ok("POST", "/api/v1/customers", {"email": f"busy{n}@example.com"}, 201)
    await until(lambda: silent.connections >= 10, what="the black holes holding their slots")

    await other.ok(
        "POST", "/api/v1/webhooks", {"url": receiver.url + "/other", "events": ["*"]}, 201
    )
    sent = time.monotonic()
    await other.ok("POST", "/api/v1/customers", {"email": "other@example.com"}, 201)
    await until(
        lambda: bool(receiver.at("/other")), timeout=30, what="the other organization's webhook"
    )
    took = receiver.at("/other")[0].started - sent
    assert took < ON_TIME, f"another organization's webhook waited {took:.1f} s"
    # The busy organization held no more than its share, and was still stuck meanwhile.
    assert silent.connections == 10
