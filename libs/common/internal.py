"""Service-to-service calls, for the few answers that cannot wait for an event (a product's
price and stock at the moment of a sale). One pooled client per process; each call carries
an identity signed with this service's own key (`iss`) for the service it goes to (`aud`),
on behalf of the caller's organization; the route called must name this service.

A token is reused for 10 s, as the gateway reuses its own (`keys.ReusedTokens`): signing
one per call was ~3 % of the orders service's CPU in a sale (Ed25519 and PyJWT). The
request id travels beside it, in `X-Request-Id`."""

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
from aiohttp import web

from libs.common import identity, jsoncodec
from libs.common.errors import ServiceUnavailable
from libs.common.keys import Keyring, ReusedTokens
from libs.common.settings import ServiceSettings
from libs.common.web import KEYRING, SETTINGS


class ServiceClient:
    def __init__(
        self, *, settings: ServiceSettings, keyring: Keyring, session: aiohttp.ClientSession
    ) -> None:
        self.settings = settings
        self.keyring = keyring
        self.session = session
        self._reused = ReusedTokens()

    def token(self, who: identity.Identity, service: str) -> str:
        return self._reused.get(
            (who.organization_id, who.mode, who.key_id, who.scopes, service),
            lambda: self.keyring.sign(who, audience=service),
        )

    async def call(
        self, service: str, method: str, path: str, *, who: identity.Identity, body: Any = None
    ) -> tuple[int, dict[str, Any]]:
        token = self.token(who, service)
        headers = {identity.HEADER: token, "X-Request-Id": who.request_id}
        data = None
        if body is not None:
            data = jsoncodec.dumps(body)
            headers["Content-Type"] = "application/json"
        try:
            async with self.session.request(
                method, self.settings.service_url(service) + path, data=data, headers=headers
            ) as response:
                if response.status == 204:
                    return response.status, {}
                return response.status, await response.json(loads=jsoncodec.loads)
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise ServiceUnavailable(
                f"The {service} service is unavailable; retry shortly.",
                headers={"Retry-After": "5"},
            ) from exc


SERVICE_CLIENT = web.AppKey("service_client", ServiceClient)


async def service_client_ctx(app: web.Application) -> AsyncIterator[None]:
    session = aiohttp.ClientSession(
        # 5 s: a sale waits on these answers; a sibling that is down fails in 2 s.
        timeout=aiohttp.ClientTimeout(total=5, connect=2),
        connector=aiohttp.TCPConnector(limit=256, keepalive_timeout=10),
    )
    app[SERVICE_CLIENT] = ServiceClient(
        settings=app[SETTINGS], keyring=app[KEYRING], session=session
    )
    yield
    await session.close()
