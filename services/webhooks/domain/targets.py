"""Where deliveries may go (SSRF): only https, and never to an address that is not on the
public internet — private, loopback, link-local (cloud metadata lives there), multicast,
reserved, unspecified, shared (CGNAT), in IPv4, IPv6 and IPv4-mapped IPv6 forms. Checked when
an endpoint is registered and again for every connection (a DNS answer may change)."""

from ipaddress import IPv4Address, IPv6Address, ip_address
from urllib.parse import urlsplit


class TargetRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def address_allowed(address: str, *, allow_private: bool) -> bool:
    ip: IPv4Address | IPv6Address = ip_address(address.split("%", 1)[0])
    if isinstance(ip, IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if allow_private:
        return not (ip.is_multicast or ip.is_unspecified)
    return ip.is_global and not ip.is_multicast


def check_url(url: str, *, allow_private: bool) -> tuple[str, int]:
    """The host and port of an acceptable URL; raises TargetRefused otherwise."""
    parts = urlsplit(url)
    allowed_schemes = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in allowed_schemes:
        raise TargetRefused("Webhook URLs must use https.")
    if not parts.hostname or parts.username or parts.password:
        raise TargetRefused("Webhook URLs need a host and carry no credentials.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise TargetRefused("The URL's port is not valid.") from exc
    try:
        literal = ip_address(parts.hostname.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None and not address_allowed(str(literal), allow_private=allow_private):
        raise TargetRefused("Webhook URLs must point at a public internet address.")
    return parts.hostname, port
