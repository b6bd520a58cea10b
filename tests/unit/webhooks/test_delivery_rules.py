"""The webhook engine's pure rules: targets, signatures, retry timing, low-stock crossings."""

import random
import socket
from ipaddress import ip_network

import pytest
from aiohttp.abc import AbstractResolver, ResolveResult
from standardwebhooks import Webhook

from services.webhooks.adapters.sender import SafeResolver, Sender
from services.webhooks.domain import schedule, signing, thresholds
from services.webhooks.domain.targets import TargetRefused, address_allowed, check_url

REFUSED = [
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.9",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "240.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:169.254.169.254",
    "::ffff:10.0.0.1",
    "fd00:ec2::254",
]


@pytest.mark.parametrize("address", REFUSED)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not address_allowed(address, private_networks=[])


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "::ffff:93.184.216.34"]
)
def test_public_addresses_are_allowed(address: str) -> None:
    assert address_allowed(address, private_networks=[])


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/hook",
        "ftp://example.com/hook",
        "https://user:pw@example.com/",
        "https:///nohost",
        "https://127.0.0.1/hook",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://example.com:99999/",
    ],
)
def test_urls_that_are_not_public_https_are_refused(url: str) -> None:
    with pytest.raises(TargetRefused):
        check_url(url, private_networks=[])


def test_local_development_may_allow_plain_http_to_loopback() -> None:
    loopback = [ip_network("127.0.0.0/8")]
    assert check_url("http://127.0.0.1:8000/hook", private_networks=loopback) == (
        "127.0.0.1",
        8000,
    )


class FakeResolver(AbstractResolver):
    """Answers with fixed addresses, as a rebinding DNS server would after registration."""

    def __init__(self, addresses: list[str]) -> None:
        self.addresses = addresses

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        return [
            ResolveResult(hostname=host, host=a, port=port, family=family, proto=0, flags=0)
            for a in self.addresses
        ]

    async def close(self) -> None:
        pass


async def test_connect_time_resolution_drops_what_may_not_be_reached() -> None:
    resolver = SafeResolver(private_networks=[])
    resolver._inner = FakeResolver(["127.0.0.1", "93.184.216.34"])  # type: ignore[assignment]
    assert [r["host"] for r in await resolver.resolve("rebind.example", 443)] == ["93.184.216.34"]
    resolver._inner = FakeResolver(["169.254.169.254"])  # type: ignore[assignment]
    with pytest.raises(OSError):
        await resolver.resolve("rebind.example", 443)


async def test_the_sender_refuses_a_private_literal_without_connecting() -> None:
    sender = Sender(connect_timeout=1, read_timeout=1, total_timeout=1, private_networks=[])
    try:
        result = await sender.send("https://10.0.0.5/hook", b"{}", {})
    finally:
        await sender.close()
    assert result.status is None and result.error and "public" in result.error
    assert not result.ok


def test_signatures_verify_with_standard_webhooks_and_the_seed_scheme() -> None:
    import hashlib
    import hmac

    old, new = signing.new_secret(), signing.new_secret()
    body = b'{"id":"evt_1","event":"order.created"}'
    headers = signing.headers(
        body=body,
        webhook_id="del_1",
        event_type="order.created",
        timestamp=int(__import__("time").time()),
        secrets_in_force=[new, old],
        user_agent="t",
    )
    Webhook(new).verify(body, headers)
    Webhook(old).verify(body, headers)
    assert (
        headers["X-Webhook-Signature"] == hmac.new(new.encode(), body, hashlib.sha256).hexdigest()
    )
    with pytest.raises(Exception):  # noqa: B017 - any refusal will do
        Webhook(signing.new_secret()).verify(body, headers)


def test_retry_delays_follow_the_schedule_with_jitter_and_retry_after() -> None:
    rng = random.Random(7)
    delays = [
        schedule.next_delay(
            n, schedule=schedule.STANDARD, retry_after=None, retry_after_cap=3600, rng=rng
        )
        for n in range(10)
    ]
    assert delays[0] == 0
    for delay, base in zip(delays[1:], schedule.STANDARD[1:], strict=True):
        assert delay is not None and base * 0.9 <= delay <= base * 1.1
    assert (
        schedule.next_delay(10, schedule=schedule.STANDARD, retry_after=None, retry_after_cap=3600)
        is None
    )
    assert (
        schedule.next_delay(
            1, schedule=schedule.STANDARD, retry_after=120, retry_after_cap=3600, rng=rng
        )
        == 120
    )
    assert (
        schedule.next_delay(
            1, schedule=schedule.STANDARD, retry_after=99999, retry_after_cap=600, rng=rng
        )
        == 600
    )


@pytest.mark.parametrize(
    ("previous", "available", "was_low", "low", "fire"),
    [
        (6, 4, None, True, True),  # falls through the threshold of 5
        (5, 4, None, True, True),  # from exactly at the threshold
        (4, 3, None, True, False),  # was below already
        (4, 3, False, True, True),  # state says it had risen back: a new crossing
        (3, 6, True, False, False),  # rises back: no event, but re-armed
        (6, 5, None, False, False),  # at the threshold is not below it
    ],
)
def test_low_stock_fires_once_per_crossing(
    previous: int, available: int, was_low: bool | None, low: bool, fire: bool
) -> None:
    seen = thresholds.observe(
        {"lowStockThreshold": 5, "available": available, "previousAvailable": previous},
        was_low=was_low,
    )
    assert (seen.low, seen.fire) == (low, fire)


def test_no_threshold_never_fires() -> None:
    seen = thresholds.observe(
        {"lowStockThreshold": None, "available": -3, "previousAvailable": 9}, was_low=None
    )
    assert (seen.low, seen.fire) == (False, False)
