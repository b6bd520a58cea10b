"""What the dashboard's browser tests share: an organization with members of each role
(invited with the CLI, joined through the invite page), signing in, and the checks every
dashboard page passes."""

import re
import secrets
from dataclasses import dataclass, field

import aiohttp
from playwright.async_api import Page, expect

from libs.common import jsoncodec
from tests.browser.conftest import Tab
from tests.e2e.conftest import Platform, cli

# The dashboard's one script (copy buttons); every other script would be a CSP failure.
SCRIPTS = ("/dashboard/static/dashboard.js",)
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Member:
    email: str
    password: str
    role: str


@dataclass
class Team:
    org_id: str
    location_id: str
    members: dict[str, Member] = field(default_factory=dict)  # by role

    def __getitem__(self, role: str) -> Member:
        return self.members[role]


async def team(
    platform: Platform, *, roles: tuple[str, ...] = ("owner",), plan: str = "professional"
) -> Team:
    """A new organization and one joined member per role, each with a fresh password."""
    org = jsoncodec.loads(
        cli(platform.env, "org", "create", "--name", "Dash Co", "--plan", plan, "--json")
    )
    found = Team(org_id=org["id"], location_id=org["defaultLocationId"])
    for role in roles:
        email = f"{role}-{secrets.token_hex(4)}@example.com"
        invited = jsoncodec.loads(
            cli(
                platform.env,
                "member",
                "invite",
                "--org",
                org["id"],
                "--email",
                email,
                "--role",
                role,
                "--json",
            )
        )
        password = secrets.token_urlsafe(16)
        await join(platform, invited["inviteLink"], name=role.title(), password=password)
        found.members[role] = Member(email=email, password=password, role=role)
    return found


async def join(platform: Platform, link: str, *, name: str, password: str) -> None:
    """Accepts an invite through its page, as a person without a browser script would."""
    path = "/dashboard/" + link.split("/dashboard/", 1)[1]
    jar = aiohttp.CookieJar(unsafe=True)  # cookies for 127.0.0.1
    async with aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(ssl=False), cookie_jar=jar
    ) as http:
        url = platform.url("gateway", path)
        async with http.get(url) as response:
            assert response.status == 200, await response.text()
            match = _CSRF.search(await response.text())
        assert match is not None
        form = {"csrf_token": match.group(1), "name": name, "password": password}
        async with http.post(url, data=form, allow_redirects=False) as response:
            assert response.status == 303, await response.text()


async def sign_in(tab: Tab, platform: Platform, member: Member) -> Page:
    page = tab.page
    await page.goto(platform.url("gateway", "/dashboard/sign-in"))
    await page.get_by_label("Email").fill(member.email)
    await page.get_by_label("Password").fill(member.password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_text(f"{member.email} · {member.role}")).to_be_visible()
    return page
