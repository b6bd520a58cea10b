"""The dashboard's boundary, as a browser and an attacker meet it through the gateway: HTTPS
only, the session cookie's attributes, a CSRF token on the sign-in form, one generic error,
API keys not accepted under /dashboard/, the session cookie not accepted under /api/, the
dashboard's and the gateway's internal ports refusing anyone the gateway did not vouch for."""

import re
from collections.abc import AsyncIterator

import aiohttp
import pytest

from libs.common import identity, visitor
from libs.common.keys import load_keyring
from tests.browser.dashboard import Team, team
from tests.e2e.conftest import Platform, Till

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SESSION = "__Host-stacknex_session"


@pytest.fixture
async def owners(platform: Platform) -> Team:
    return await team(platform, roles=("owner",))


@pytest.fixture
async def browser_like() -> AsyncIterator[aiohttp.ClientSession]:
    jar = aiohttp.CookieJar(unsafe=True)  # keeps cookies for 127.0.0.1
    async with aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(ssl=False), cookie_jar=jar
    ) as http:
        yield http


async def _form_token(http: aiohttp.ClientSession, url: str, status: int = 200) -> str:
    async with http.get(url) as response:
        assert response.status == status
        match = _CSRF.search(await response.text())
    assert match is not None
    return match.group(1)


async def _sign_in(
    http: aiohttp.ClientSession, platform: Platform, email: str, password: str, **extra: str
) -> aiohttp.ClientResponse:
    url = platform.url("gateway", "/dashboard/sign-in")
    token = await _form_token(http, url)
    form = {"csrf_token": token, "email": email, "password": password, **extra}
    async with http.post(url, data=form, allow_redirects=False) as response:
        await response.read()
        return response


async def test_signing_in_sets_a_strict_session_cookie_and_lands_on_the_keys_page(
    platform: Platform, owners: Team, browser_like: aiohttp.ClientSession
) -> None:
    owner = owners["owner"]
    response = await _sign_in(browser_like, platform, owner.email, owner.password)
    assert response.status == 303
    assert response.headers["Location"] == "/dashboard/live/keys"
    cookie = next(v for v in response.headers.getall("Set-Cookie") if v.startswith(SESSION))
    for attribute in ("HttpOnly", "Secure", "SameSite=Strict", "Path=/"):
        assert attribute in cookie
    async with browser_like.get(
        platform.url("gateway", "/dashboard/"), allow_redirects=False
    ) as home:
        assert home.status == 303 and home.headers["Location"] == "/dashboard/live/keys"


async def test_pages_carry_the_security_headers_and_plain_http_is_refused(
    platform: Platform, browser_like: aiohttp.ClientSession
) -> None:
    async with browser_like.get(platform.url("gateway", "/dashboard/sign-in")) as page:
        assert page.status == 200
        csp = page.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert page.headers["Strict-Transport-Security"].startswith("max-age=")
        assert page.headers["Referrer-Policy"] == "same-origin"
        assert page.headers["Cache-Control"] == "no-store"
    plain = f"http://127.0.0.1:{platform.ports['gateway']}/dashboard/sign-in"
    async with browser_like.get(plain) as refused:
        assert refused.status == 403
        assert (await refused.json())["error"]["code"] == "HTTPS_REQUIRED"


async def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(
    platform: Platform, owners: Team, browser_like: aiohttp.ClientSession
) -> None:
    wrong = await _sign_in(browser_like, platform, owners["owner"].email, "not-the-password")
    unknown = await _sign_in(browser_like, platform, "nobody@example.com", "not-the-password")
    assert wrong.status == unknown.status == 401
    assert SESSION not in str(wrong.headers.getall("Set-Cookie", []))


async def test_the_sign_in_form_without_its_token_is_refused(
    platform: Platform, owners: Team, browser_like: aiohttp.ClientSession
) -> None:
    owner = owners["owner"]
    url = platform.url("gateway", "/dashboard/sign-in")
    await _form_token(browser_like, url)  # the cookie half, but the form lacks the token
    form = {"email": owner.email, "password": owner.password}
    async with browser_like.post(url, data=form, allow_redirects=False) as response:
        assert response.status == 403
        assert SESSION not in str(response.headers.getall("Set-Cookie", []))


async def test_sign_in_never_redirects_to_another_site(
    platform: Platform, owners: Team, browser_like: aiohttp.ClientSession
) -> None:
    owner = owners["owner"]
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        browser_like.cookie_jar.clear()
        response = await _sign_in(browser_like, platform, owner.email, owner.password, next=target)
        assert response.headers["Location"] == "/dashboard/live/keys", target


async def test_an_api_key_is_not_accepted_by_the_dashboard_nor_a_session_by_the_api(
    platform: Platform, owners: Team, browser_like: aiohttp.ClientSession, tills: tuple[Till, Till]
) -> None:
    till, _ = tills
    async with browser_like.get(
        platform.url("gateway", "/dashboard/"),
        headers={"Authorization": f"Bearer {till.key}"},
        allow_redirects=False,
    ) as page:
        assert page.status == 303
        assert page.headers["Location"] == "/dashboard/sign-in"

    owner = owners["owner"]
    assert (await _sign_in(browser_like, platform, owner.email, owner.password)).status == 303
    async with browser_like.get(platform.url("gateway", "/api/v1/products")) as api:
        assert api.status == 401
        assert (await api.json())["error"]["code"] == "AUTHENTICATION_REQUIRED"


async def test_signing_out_ends_the_session_on_the_server(
    platform: Platform, owners: Team, browser_like: aiohttp.ClientSession
) -> None:
    owner = owners["owner"]
    await _sign_in(browser_like, platform, owner.email, owner.password)
    session = next(c for c in browser_like.cookie_jar if c.key == SESSION).value
    home = platform.url("gateway", "/dashboard/")
    # Any signed-in page's form carries the session's token; the error page has the nav's.
    token = await _form_token(browser_like, platform.url("gateway", "/dashboard/nowhere"), 404)
    async with browser_like.post(
        platform.url("gateway", "/dashboard/sign-out"),
        data={"csrf_token": token},
        allow_redirects=False,
    ) as out:
        assert out.status == 303
    # The same cookie, replayed by someone who copied it, no longer signs anyone in.
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=False)) as other:
        async with other.get(
            home, headers={"Cookie": f"{SESSION}={session}"}, allow_redirects=False
        ) as replay:
            assert replay.status == 303
            assert replay.headers["Location"] == "/dashboard/sign-in"


async def test_the_dashboard_port_answers_only_what_the_gateway_vouched_for(
    platform: Platform,
) -> None:
    direct = f"http://127.0.0.1:{platform.ports['dashboard']}/dashboard/live/keys"
    # A visitor token signed by another service's key: the dashboard trusts the gateway only.
    orders = load_keyring(
        service="orders",
        signing_key_file=platform.keys_dir / "orders.key",
        public_keys_dir=platform.keys_dir / "public",
    )
    forged = visitor.sign(
        visitor.Visitor(
            address="1.2.3.4",
            member=visitor.SignedIn(
                member_id="mem_x",
                organization_id="org_x",
                role="owner",
                email="x@y.z",
                session_hash="x",
                csrf_token="x",
            ),
        ),
        keyring=orders,
    )
    async with aiohttp.ClientSession() as http:
        for headers in ({}, {visitor.HEADER: forged}):
            async with http.get(direct, headers=headers, allow_redirects=False) as response:
                assert response.status == 401, headers


async def test_the_gateway_internal_api_refuses_anyone_but_the_dashboard(
    platform: Platform,
) -> None:
    url = f"http://127.0.0.1:{platform.ports['gateway']}/internal/v1/sessions"
    body = {"email": "a@b.cd", "password": "x", "address": "1.2.3.4"}
    orders = load_keyring(
        service="orders",
        signing_key_file=platform.keys_dir / "orders.key",
        public_keys_dir=platform.keys_dir / "public",
    )
    who = identity.Identity(
        organization_id="", mode="live", key_id="", scopes=frozenset(), request_id=""
    )
    async with aiohttp.ClientSession() as http:
        async with http.post(url, json=body) as anonymous:
            assert anonymous.status == 401
        signed = {identity.HEADER: orders.sign(who, audience="gateway")}
        async with http.post(url, json=body, headers=signed) as sibling:
            assert sibling.status == 403
            assert (await sibling.json())["error"]["code"] == "CALLER_NOT_ALLOWED"
