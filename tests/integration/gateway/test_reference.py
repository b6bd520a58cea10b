"""The API reference page as a reader meets it: served by the running gateway over HTTPS,
with no key, under a policy that lets nothing run; plain HTTP is refused as for the API."""

import aiohttp

from libs.common import jsoncodec
from tests.integration.gateway.conftest import ROOT, Gateway

DOCUMENT = jsoncodec.loads((ROOT / "services/gateway/openapi.json").read_bytes())


async def test_the_reference_is_served_over_https_without_a_key(
    gateway: Gateway, http: aiohttp.ClientSession
) -> None:
    async with http.get(gateway.tls_url + "/reference") as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
        policy = response.headers["Content-Security-Policy"]
        assert policy.startswith("default-src 'none'; style-src 'sha256-")
        assert "script-src" not in policy
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "X-RateLimit-Limit" not in response.headers  # no key, nothing counted
        assert response.headers["Content-Encoding"] == "gzip"  # the client asked for it
        html = await response.text()
    for item in DOCUMENT["paths"].values():
        for operation in item.values():
            assert f'id="operation-{operation["operationId"]}"' in html
    # The page links the document it was rendered from, and that is public too.
    async with http.get(gateway.tls_url + "/api/v1/openapi.json") as response:
        assert response.status == 200
        assert jsoncodec.loads(await response.read()) == DOCUMENT


async def test_plain_http_is_refused_for_the_reference_as_for_the_api(
    gateway: Gateway, http: aiohttp.ClientSession
) -> None:
    async with http.get(gateway.plain_url + "/reference") as response:
        assert response.status == 403
        body = await response.json()
        assert body["success"] is False and body["error"]["code"] == "HTTPS_REQUIRED"
