"""Registration-time SSRF check: the URL's shape, then every address its host resolves to."""

import asyncio
import socket
from collections.abc import Sequence

from services.webhooks.domain.targets import (
    Network,
    TargetRefused,
    address_allowed,
    check_url,
    http_allowed,
)


async def vet_url(url: str, *, private_networks: Sequence[Network]) -> None:
    host, port = check_url(url, private_networks=private_networks)
    try:
        answers = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise TargetRefused(f"The host {host} cannot be resolved.") from exc
    except (UnicodeError, ValueError) as exc:  # the idna codec on a name check_url let by
        raise TargetRefused("The URL's host is not a valid name.") from exc
    addresses = [str(answer[4][0]) for answer in answers]
    if not addresses or not all(
        address_allowed(a, private_networks=private_networks) for a in addresses
    ):
        raise TargetRefused("Webhook URLs must point at a public internet address.")
    if url[:5].lower() == "http:" and not http_allowed(
        addresses, private_networks=private_networks
    ):
        raise TargetRefused("Webhook URLs must use https (plain http only to allowed networks).")
