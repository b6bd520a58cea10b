"""Where deliveries may go: the allowed private networks, the addresses no setting opens
(link-local, cloud metadata, in every form), and URLs that do not parse."""

import socket
from ipaddress import ip_address, ip_network

import pytest
from yarl import URL

from services.webhooks.adapters.sender import SafeResolver
from services.webhooks.domain.targets import TargetRefused, address_allowed, check_url, http_allowed
from tests.unit.webhooks.test_delivery_rules import FakeResolver

LOCAL = [ip_network("127.0.0.0/8"), ip_network("::1/128"), ip_network("10.0.0.0/8")]
# What an operator might write to allow "everything private": it must still not open these.
EVERYTHING = [ip_network("0.0.0.0/1"), ip_network("128.0.0.0/1"), ip_network("::/1")]
EVERYTHING += [ip_network("8000::/1")]

METADATA = [
    "169.254.169.254",  # AWS, GCP, Azure, OpenStack
    "169.254.170.2",  # ECS task credentials
    "169.254.0.1",
    "fe80::1",
    "fe80::a9fe:a9fe",
    "fd00:ec2::254",  # AWS over IPv6
    "100.100.100.200",  # Alibaba Cloud
    "::ffff:169.254.169.254",  # IPv4-mapped
    "::ffff:a9fe:a9fe",  # the same, in hex
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
    "::ffff:100.100.100.200",
]


@pytest.mark.parametrize("address", METADATA)
@pytest.mark.parametrize("networks", [[], LOCAL, EVERYTHING], ids=["none", "local", "all"])
def test_link_local_and_metadata_addresses_are_refused_whatever_the_setting(
    address: str, networks: list[object]
) -> None:
    assert not address_allowed(address, private_networks=networks)  # type: ignore[arg-type]


@pytest.mark.parametrize("address", ["127.0.0.1", "10.9.8.7", "::1", "::ffff:127.0.0.1"])
def test_listed_private_networks_are_reachable(address: str) -> None:
    assert address_allowed(address, private_networks=LOCAL)
    assert not address_allowed(address, private_networks=[])


@pytest.mark.parametrize("address", ["192.168.1.1", "172.16.0.1", "fc00::1", "100.64.0.1"])
def test_private_networks_not_listed_stay_refused(address: str) -> None:
    assert not address_allowed(address, private_networks=LOCAL)


def test_multicast_and_unspecified_are_refused_even_when_listed() -> None:
    assert not address_allowed("0.0.0.0", private_networks=EVERYTHING)
    assert not address_allowed("224.0.0.1", private_networks=EVERYTHING)


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "https://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://100.100.100.200/latest/meta-data/",
        "http://[::ffff:169.254.169.254]/",
    ],
)
def test_metadata_urls_are_refused_with_every_network_allowed(url: str) -> None:
    with pytest.raises(TargetRefused):
        check_url(url, private_networks=EVERYTHING)


def test_plain_http_only_to_an_allowed_private_network() -> None:
    assert check_url("http://10.1.2.3:8080/h", private_networks=LOCAL) == ("10.1.2.3", 8080)
    for url in ("http://93.184.216.34/h", "http://192.168.1.1/h"):
        with pytest.raises(TargetRefused):
            check_url(url, private_networks=LOCAL)
    with pytest.raises(TargetRefused, match="https"):
        check_url("http://localhost:8000/h", private_networks=[])
    # A name is let through to be resolved; its answers decide (at registration and connect).
    assert check_url("http://localhost:8000/h", private_networks=LOCAL) == ("localhost", 8000)
    assert http_allowed(["127.0.0.1", "::1"], private_networks=LOCAL)
    assert not http_allowed(["127.0.0.1", "93.184.216.34"], private_networks=LOCAL)
    assert not http_allowed([], private_networks=LOCAL)


async def test_the_plain_http_resolver_keeps_only_allowed_private_answers() -> None:
    resolver = SafeResolver(private_networks=LOCAL, private_only=True)
    resolver._inner = FakeResolver(["93.184.216.34", "10.0.0.7"])  # type: ignore[assignment]
    assert [r["host"] for r in await resolver.resolve("mixed.example", 80)] == ["10.0.0.7"]
    resolver._inner = FakeResolver(["93.184.216.34", "169.254.169.254"])  # type: ignore[assignment]
    with pytest.raises(OSError):
        await resolver.resolve("public.example", 80, socket.AF_INET)


MALFORMED = [
    "https://a..example.com/",  # an empty label
    "https://.example.com/",
    "https://example.com../",
    "https://" + "a" * 64 + ".example.com/",  # a label over 63
    "https://" + ".".join(["a" * 60] * 5) + "/",  # a host over 253
    "https://[::1/hook",
    "https://[not-ipv6]/hook",
    "https://[::1]x/hook",
    "https://example.com:99999/",
    "https://example.com:0/",
    "https://example.com:-1/",
    "https://example.com:80a/",
    "https://user@example.com/",
    "https://:pw@example.com/",
    "https://exa mple.com/",
    "https://example.com\\@evil.example/",
    "https://-bad.example.com/",
    "https://bad-.example.com/",
    "https://xn--zz.example.com/",  # an invalid A-label
    "https://ex%41mple.com/",
    "https://examp\x00le.com/",
    "https://\u2024\u2024example.com/",
    "https://exa\u200bmple.com/",
]


@pytest.mark.parametrize("url", MALFORMED)
def test_malformed_urls_are_refused_not_raised(url: str) -> None:
    with pytest.raises(TargetRefused):
        check_url(url, private_networks=LOCAL)


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://example.com./hook", "example.com."),  # one trailing dot: a rooted name
        ("https://bücher.example/hook", "bücher.example"),
        ("https://a_b.example.com/hook", "a_b.example.com"),
        ("https://" + "a" * 63 + ".example.com/", "a" * 63 + ".example.com"),
        ("https://EXAMPLE.com:8443/", "example.com"),
    ],
)
def test_well_formed_hosts_are_accepted(url: str, host: str) -> None:
    assert check_url(url, private_networks=[])[0] == host


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com#@evil.example/",
        "https://example.com?@evil.example/",
        "https://example.com/@evil.example/",
        "https://[2606:2800:220:1::1]:8443/hook",
        "https://[::ffff:93.184.216.34]/hook",
        "https://bücher.example/hook",
        "https://93.184.216.34./hook",
    ],
)
def test_the_http_client_connects_to_the_host_that_was_checked(url: str) -> None:
    """No parser differential: yarl (what aiohttp connects with) sees the same host."""
    try:
        host, port = check_url(url, private_networks=[])
    except TargetRefused:
        return  # refused: nothing is connected to
    parsed = URL(url)

    def same(name: str | None) -> str | None:
        try:
            return str(ip_address(name or ""))
        except ValueError:
            return name

    assert (same(parsed.host), parsed.port) == (same(host), port)
