"""The members, account, plan and security pages in Chromium: an owner invites and changes
roles, another organization gets 404, a form without its token 403, wrong passwords are
throttled, and a password change or "Sign out everywhere" ends the other sessions."""

import re
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from playwright.async_api import Browser, Page, expect

from tests.browser import dashboard
from tests.browser.conftest import DEVICE_SCALE, TIMEOUT_MS, VIEWPORT, Tab
from tests.browser.dashboard import SCRIPTS, Member, team
from tests.e2e.conftest import Platform

# Every sign-in of these tests comes from 127.0.0.1: the per-address throttle (20 failures in
# 15 minutes) must not carry this module's five deliberate failures into a rerun's tests.
PLATFORM_ENV = {"STACKNEX_GATEWAY_SIGNIN_ADDRESS_LIMIT": "1000"}


@asynccontextmanager
async def another_browser(browser: Browser) -> AsyncIterator[Tab]:
    """A second person's (or device's) browser: cookies of its own."""
    context = await browser.new_context(
        ignore_https_errors=True,
        viewport=VIEWPORT,  # type: ignore[arg-type]
        device_scale_factor=DEVICE_SCALE,
        locale="en-US",
        timezone_id="UTC",
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield await Tab.watch(await context.new_page())
    finally:
        await context.close()


async def sign_in(tab: Tab, platform: Platform, member: Member) -> Page:
    return await dashboard.sign_in(tab, platform, member, to="/dashboard/members")


def _only_refusals(tab: Tab, statuses: str, path: str, count: int) -> None:
    """Chromium reports each 4xx answer on the console: the test's deliberate refusals, and
    nothing else, are taken off before the usual checks."""
    refusals = [e for e in tab.console_errors if re.search(rf"status of ({statuses}) .*{path}", e)]
    assert len(refusals) == count and refusals == tab.console_errors, tab.console_errors
    tab.console_errors.clear()


async def _csrf(page: Page) -> str:
    token = await page.locator('input[name="csrf_token"]').first.get_attribute("value")
    assert token
    return token


async def _member_ids(page: Page, platform: Platform) -> dict[str, str]:
    """email → id, from the members page's own data (its `?format=json` view)."""
    answer = await page.request.get(platform.url("gateway", "/dashboard/members?format=json"))
    assert answer.ok, await answer.text()
    return {m["email"]: m["id"] for m in (await answer.json())["members"]}


async def test_an_owner_invites_a_developer_then_makes_them_a_viewer(
    platform: Platform, tab: Tab, browser: Browser
) -> None:
    owners = await team(platform, roles=("owner",))
    owner = owners["owner"]
    page = tab.page
    await page.goto(platform.url("gateway", "/dashboard/sign-in"))
    await tab.screenshot("dashboard-sign-in")
    await sign_in(tab, platform, owner)

    await page.goto(platform.url("gateway", "/dashboard/members"))
    invite_form = page.locator('form[action="/dashboard/members"]')
    email = f"dev-{secrets.token_hex(4)}@example.com"
    await invite_form.locator('input[name="email"]').fill(email)
    await invite_form.locator('select[name="role"]').select_option("developer")
    await invite_form.get_by_role("button", name="Create invite link").click()
    shown = page.locator("code#invite-link")
    await expect(shown).to_contain_text("/dashboard/invite/")
    await expect(page.get_by_role("button", name="Copy")).to_be_visible()  # the script ran
    link = (await shown.inner_text()).strip()
    row = page.locator("tr", has_text=email)
    await expect(row).to_contain_text("invited")
    tab.assert_clean(scripts=SCRIPTS)
    await tab.screenshot("dashboard-members")
    # Shown once: the page again has no link.
    await page.goto(platform.url("gateway", "/dashboard/members"))
    await expect(page.locator("code#invite-link")).to_have_count(0)

    password = secrets.token_urlsafe(16)
    async with another_browser(browser) as theirs:
        other = theirs.page
        await other.goto(link.replace(link.split("/dashboard/", 1)[0], platform.url("gateway", "")))
        await expect(other.get_by_role("heading", level=1)).to_contain_text("Join")
        await other.get_by_label("Your name").fill("Dee Veloper")
        await other.get_by_label("Choose a password").fill(password)
        await other.get_by_role("button", name="Join").click()
        await expect(other).to_have_url(re.compile(r"/dashboard/sign-in\?joined=1$"))
        developer = Member(email=email, password=password, role="developer")
        await sign_in(theirs, platform, developer)

        # The owner demotes them; their very next page view shows the new role.
        await page.goto(platform.url("gateway", "/dashboard/members"))
        await page.get_by_label(f"Role of {email}", exact=True).select_option("viewer")
        await page.get_by_role("button", name=f"Change role of {email}").click()
        await expect(page.get_by_role("status")).to_have_text("Role changed.")
        await expect(page.locator("tr", has_text=email).locator("td.role")).to_have_text("viewer")
        await other.goto(platform.url("gateway", "/dashboard/members"))
        await expect(other.get_by_text(f"{email} · viewer")).to_be_visible()
        # A viewer sees the team but none of the owner's forms.
        await expect(other.locator('form[action="/dashboard/members"]')).to_have_count(0)
        theirs.assert_clean(scripts=SCRIPTS)

    await page.goto(platform.url("gateway", "/dashboard/security"))
    # The webhooks service's part is whatever it has (nothing yet here): never an error.
    await expect(page.get_by_role("alert")).to_have_count(0)
    invited = page.locator("tr", has_text=f"Invited {email} as developer")
    await expect(invited).to_contain_text(owner.email)
    changed = page.locator("tr", has_text=f"Changed {email}'s role from developer to viewer")
    await expect(changed).to_contain_text(owner.email)
    joined = page.locator("tr", has_text=f"{email} joined as developer")
    await expect(joined.locator("td").nth(1)).to_have_text(email)  # their own act
    await expect(page.locator("tr", has_text=f"Invited {owner.email}")).to_contain_text(
        "operator (CLI)"
    )
    tab.assert_clean(scripts=SCRIPTS)
    await tab.screenshot("dashboard-security")

    await page.goto(platform.url("gateway", "/dashboard/plan"))
    await expect(page.get_by_text("is on the Professional plan")).to_be_visible()
    await expect(page.locator("main")).to_contain_text("1,000")
    tab.assert_clean(scripts=SCRIPTS)
    await tab.screenshot("dashboard-plan")


async def test_another_organization_gets_404_and_a_form_without_its_token_403(
    platform: Platform, tab: Tab, browser: Browser
) -> None:
    first = await team(platform, roles=("owner", "developer"))
    second = await team(platform, roles=("owner",), plan="starter")
    page = await sign_in(tab, platform, first["owner"])
    ids = await _member_ids(page, platform)
    target = ids[first["developer"].email]
    members_url = platform.url("gateway", "/dashboard/members")

    # No token: refused before anything is done; the list is as it was.
    refused = await page.request.post(
        members_url, form={"email": "sneaky@example.com", "role": "owner"}
    )
    assert refused.status == 403
    assert "security token" in await refused.text()
    assert "sneaky@example.com" not in await _member_ids(page, platform)

    async with another_browser(browser) as theirs:
        other = await sign_in(theirs, platform, second["owner"])
        token = await _csrf(other)  # their own, valid token: only the organization is wrong
        forms: list[tuple[str, dict[str, str | float | bool]]] = [
            (f"/dashboard/members/{target}/role", {"csrf_token": token, "role": "viewer"}),
            (f"/dashboard/members/{target}/remove", {"csrf_token": token}),
        ]
        for path, form in forms:
            answer = await other.request.post(platform.url("gateway", path), form=form)
            assert answer.status == 404, await answer.text()
        assert first["developer"].email not in await _member_ids(other, platform)

        # On starter, the plan page says why the API is off and how to change it.
        await other.goto(platform.url("gateway", "/dashboard/plan"))
        main = other.locator("main")
        await expect(main).to_contain_text("403 PLAN_REQUIRED")
        await expect(main).to_contain_text(f"stacknex org set-plan {second.org_id} professional")
        theirs.assert_clean(scripts=SCRIPTS)

    # Untouched by the other organization's attempts.
    await page.goto(members_url)
    await expect(page.locator("tr", has_text=first["developer"].email)).to_contain_text("developer")
    tab.assert_clean(scripts=SCRIPTS)


async def test_five_wrong_passwords_then_even_the_right_one_is_throttled(
    platform: Platform, tab: Tab
) -> None:
    member = (await team(platform, roles=("viewer",)))["viewer"]
    page = tab.page
    await page.goto(platform.url("gateway", "/dashboard/sign-in"))

    async def attempt(password: str) -> int:
        await page.get_by_label("Email").fill(member.email)
        await page.get_by_label("Password").fill(password)
        async with page.expect_response(
            lambda r: r.url.endswith("/dashboard/sign-in") and r.request.method == "POST"
        ) as answer:
            await page.get_by_role("button", name="Sign in").click()
        return (await answer.value).status

    for _ in range(5):
        assert await attempt("not the password at all") == 401
        await expect(page.get_by_role("alert")).to_have_text("The email or password is wrong.")
    assert await attempt(member.password) == 429
    await expect(page.get_by_role("alert")).to_contain_text("Too many failed sign-ins")
    await expect(page.get_by_text(f"{member.email} · viewer")).to_have_count(0)
    _only_refusals(tab, "401|429", "/dashboard/sign-in", 6)
    tab.assert_clean(scripts=SCRIPTS)


async def _signed_out(page: Page, platform: Platform) -> None:
    await page.goto(platform.url("gateway", "/dashboard/members"))
    await expect(page).to_have_url(re.compile(r"/dashboard/sign-in\?next="))


async def test_a_password_change_and_sign_out_everywhere_end_the_other_sessions(
    platform: Platform, tab: Tab, browser: Browser
) -> None:
    member = (await team(platform, roles=("developer",)))["developer"]
    page = await sign_in(tab, platform, member)
    new_password = secrets.token_urlsafe(16)
    async with another_browser(browser) as elsewhere:
        await sign_in(elsewhere, platform, member)

        await page.goto(platform.url("gateway", "/dashboard/account"))
        await page.get_by_label("Current password").fill("not my password at all")
        await page.get_by_label("New password", exact=True).fill(new_password)
        await page.get_by_label("Confirm new password").fill(new_password)
        await page.get_by_role("button", name="Change password").click()
        await expect(page.get_by_role("alert")).to_have_text("The current password is wrong.")
        _only_refusals(tab, "400", "/dashboard/account/password", 1)
        await page.get_by_label("Current password").fill(member.password)
        await page.get_by_label("New password", exact=True).fill(new_password)
        await page.get_by_label("Confirm new password").fill(new_password)
        await page.get_by_role("button", name="Change password").click()
        await expect(page.get_by_role("status")).to_have_text(
            "Password changed; your other sessions were signed out."
        )
        tab.assert_clean(scripts=SCRIPTS)
        await tab.screenshot("dashboard-account")

        await _signed_out(elsewhere.page, platform)
        await page.goto(platform.url("gateway", "/dashboard/members"))  # this one stays
        await expect(page.get_by_text(f"{member.email} · developer")).to_be_visible()

        changed = Member(email=member.email, password=new_password, role="developer")
        await sign_in(elsewhere, platform, changed)
        await page.goto(platform.url("gateway", "/dashboard/account"))
        await page.get_by_role("button", name="Sign out everywhere").click()
        await expect(page).to_have_url(re.compile(r"/dashboard/sign-in$"))
        await _signed_out(page, platform)
        await _signed_out(elsewhere.page, platform)
        elsewhere.assert_clean(scripts=SCRIPTS)
    tab.assert_clean(scripts=SCRIPTS)
