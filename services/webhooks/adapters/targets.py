"""Registration-time SSRF check: the URL's shape, then every address its host resolves to."""

import asyncio
import socket

from services.webhooks.domain.targets import TargetRefused, address_allowed, check_url


async def vet_url(url: str, *, allow_private: bool) -> None:
    host, port = check_url(url, allow_private=allow_private)
    try:
        answers = await asyncio.get_running_loop().getaddrinfo(
            host.strip("[]"), port, type=socket.SOCK_STREAM
        )
    except socket.gaierror as exc:
        raise TargetRefused(f"The host {host} cannot be resolved.") from exc
    if not answers or not all(
        address_allowed(str(answer[4][0]), allow_private=allow_private) for answer in answers
    ):
        raise TargetRefused("Webhook URLs must point at a public internet address.")
