"""Where deliveries may go (SSRF). Public internet addresses over https; private networks
only those an operator lists (as Svix's `whitelist_subnets`), and plain http only to them.
Link-local and cloud metadata addresses are refused whatever the list says: a list such as
`["0.0.0.0/0"]` must never open the metadata service. Addresses are judged in IPv4, IPv6 and
the IPv6 forms that carry an IPv4 address (mapped, NAT64, 6to4). Checked when an endpoint is
registered and again for every connection (a DNS answer may change).

Parsing a URL never raises anything but `TargetRefused`: a malformed URL is the user's
mistake, a 400 naming `url`, never a 500."""

import re
from collections.abc import Sequence
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network
from urllib.parse import urlsplit

import idna

Network = IPv4Network | IPv6Network

# Link-local (where AWS, GCP and Azure answer 169.254.169.254) and the metadata services
# that live elsewhere: AWS's IPv6 endpoint, Alibaba Cloud's 100.100.100.200.
NEVER: tuple[Network, ...] = (
    ip_network("169.254.0.0/16"),
    ip_network("fe80::/10"),
    ip_network("fd00:ec2::254/128"),
    ip_network("100.100.100.200/32"),
)
_NAT64 = ip_network("64:ff9b::/96")  # RFC 6052's well-known prefix: the low 32 bits are IPv4
_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?")  # RFC 1035 plus underscores
_BRACKETED = re.compile(r"\[[0-9A-Fa-f:.]+\](?::[0-9]+)?")  # an IPv6 literal, maybe a port
_MAX_HOST = 253  # RFC 1035's 255 octets on the wire, less the length and root bytes


class TargetRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _embedded_ipv4(ip: IPv6Address) -> IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip.sixtofour


def address_allowed(address: str, *, private_networks: Sequence[Network]) -> bool:
    """Whether a delivery may connect to `address` (an IP literal; a zone id is ignored)."""
    try:
        ip: IPv4Address | IPv6Address = ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            ip = embedded
    if ip.is_multicast or ip.is_unspecified or any(ip in net for net in NEVER):
        return False
    if ip.is_global:
        return True
    return in_networks(ip, private_networks)


def in_networks(ip: IPv4Address | IPv6Address | str, networks: Sequence[Network]) -> bool:
    if isinstance(ip, str):
        try:
            ip = ip_address(ip.split("%", 1)[0])
        except ValueError:
            return False
    if isinstance(ip, IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip.version == net.version and ip in net for net in networks)


def _check_hostname(host: str) -> None:
    """A DNS name that resolvers and the HTTP client accept; raises TargetRefused."""
    name = host[:-1] if host.endswith(".") else host  # one trailing dot: a rooted name
    if not name or len(name) > _MAX_HOST:
        raise TargetRefused(f"The URL's host must be 1 to {_MAX_HOST} characters long.")
    for label in name.split("."):
        try:
            if not label.isascii():
                # IDNA 2008 without UTS 46 mapping: a name that only maps to a valid one
                # (a zero-width space, full-width letters) is refused, not silently changed.
                label = idna.encode(label).decode("ascii")
            elif label.lower().startswith("xn--"):
                idna.decode(label)  # an A-label must decode (the HTTP client decodes it too)
        except (idna.IDNAError, UnicodeError, ValueError) as exc:
            raise TargetRefused(f"The URL's host is not a valid name: {exc}.") from None
        if not _LABEL.fullmatch(label.lower()):
            raise TargetRefused(
                "The URL's host is not a valid name: each label is 1 to 63 letters, digits,"
                " hyphens or underscores, and does not start or end with a hyphen."
            )


def check_url(url: str, *, private_networks: Sequence[Network]) -> tuple[str, int]:
    """The host and port of an acceptable URL; raises TargetRefused otherwise."""
    if any(c.isspace() or ord(c) < 0x20 or c in "\\\x7f" for c in url):
        # What parsers disagree about (urllib, yarl, browsers): refused, not interpreted.
        raise TargetRefused("The URL contains whitespace, control characters or a backslash.")
    try:
        parts = urlsplit(url)
        hostname, port = parts.hostname, parts.port
        credentials = parts.username is not None or parts.password is not None
    except ValueError as exc:  # "Invalid IPv6 URL", a port out of range or not a number
        raise TargetRefused(f"The URL is not valid: {exc}.") from None
    if parts.scheme not in ("https", "http"):
        raise TargetRefused("Webhook URLs must use https.")
    if not hostname or credentials:
        raise TargetRefused("Webhook URLs need a host and carry no credentials.")
    if port == 0:
        raise TargetRefused("The URL's port must be between 1 and 65535.")
    port = port or (443 if parts.scheme == "https" else 80)
    hostport = parts.netloc.rpartition("@")[2]
    if ("[" in hostport or "]" in hostport) and not _BRACKETED.fullmatch(hostport):
        raise TargetRefused("The URL's bracketed host is not an IPv6 address and port.")
    try:
        literal: IPv4Address | IPv6Address | None = ip_address(hostname)
    except ValueError:
        literal = None
    if literal is None:
        if hostport.startswith("["):
            raise TargetRefused("The URL's bracketed host is not an IPv6 address.")
        _check_hostname(hostname)
    elif not address_allowed(str(literal), private_networks=private_networks):
        raise TargetRefused("Webhook URLs must point at a public internet address.")
    # Plain http only to an allowed private network: a literal is decided here, a name's
    # answers at registration and connect time (`http_allowed`, the plain-http resolver).
    if parts.scheme == "http" and (
        not private_networks or (literal is not None and not in_networks(literal, private_networks))
    ):
        raise TargetRefused("Webhook URLs must use https (plain http only to allowed networks).")
    return hostname, port


def http_allowed(addresses: Sequence[str], *, private_networks: Sequence[Network]) -> bool:
    """Plain http goes only to allowed private networks: every address must be in one."""
    return bool(addresses) and all(
        address_allowed(a, private_networks=private_networks) and in_networks(a, private_networks)
        for a in addresses
    )
