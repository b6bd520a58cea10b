"""Whom a failed authentication counts against: the peer, unless a trusted proxy says."""

from ipaddress import ip_network
from unittest import mock

from aiohttp.test_utils import make_mocked_request
from aiohttp.web import Application

from services.gateway.http.gatekeeper import client_address
from services.gateway.settings import GATEWAY_SETTINGS, Settings


def _address(peer: str, forwarded: str | None = None, **settings: object) -> str:
    app = Application()
    app[GATEWAY_SETTINGS] = Settings(**settings)  # type: ignore[arg-type]
    transport = mock.Mock()
    transport.get_extra_info.side_effect = lambda name, default=None: (
        (peer, 4242) if name == "peername" else default
    )
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
    request = make_mocked_request(
        "GET", "/api/v1/products", headers=headers, app=app, transport=transport
    )
    return client_address(request)


PROXIED = {
    "trusted_proxies": [ip_network("10.0.0.0/8")],
    "client_address_header": "X-Forwarded-For",
}


def test_the_peer_without_a_configured_header_or_from_an_untrusted_peer() -> None:
    assert _address("203.0.113.7", "198.51.100.1") == "203.0.113.7"
    assert _address("203.0.113.7", "198.51.100.1", **PROXIED) == "203.0.113.7"  # spoofed


def test_the_nearest_untrusted_hop_behind_a_trusted_proxy() -> None:
    assert _address("10.0.0.5", "198.51.100.1", **PROXIED) == "198.51.100.1"
    # The client wrote the leftmost entry itself; the proxies appended the rest.
    assert _address("10.0.0.5", "1.2.3.4, 198.51.100.1, 10.0.0.9", **PROXIED) == "198.51.100.1"
    assert _address("10.0.0.5", "junk, 198.51.100.1", **PROXIED) == "198.51.100.1"
    assert _address("10.0.0.5", "", **PROXIED) == "10.0.0.5"
    assert _address("10.0.0.5", "not-an-address", **PROXIED) == "10.0.0.5"


def test_ipv6_counts_per_64_and_mapped_ipv4_as_ipv4() -> None:
    assert _address("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64"
    assert _address("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    assert _address("::ffff:203.0.113.7") == "203.0.113.7"
