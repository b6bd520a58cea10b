"""The API keys page in Chromium: a key made through the form works against the API and stops
within a second of its revocation on the page; a roll lists both keys; the live/test toggle
shows each mode's keys only; a viewer gets no form, and a forged POST of theirs a 403."""

import secrets

import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import Tab
from tests.browser.dashboard import SCRIPTS, Team, sign_in, team
from tests.conftest import until
from tests.e2e.conftest import Platform, cli, client


@pytest.fixture(scope="module")
async def crew(platform: Platform) -> Team:
    return await team(platform, roles=("owner", "viewer"))


async def _api(platform: Platform, token: str) -> int:
    async with (
        client() as http,
        http.get(
            platform.url("gateway", "/api/v1/products"),
            headers={"Authorization": f"Bearer {token}"},
        ) as response,
    ):
        return response.status


async def _create(page: Page, name: str, *, scopes: tuple[str, ...] = ()) -> str:
    """Fills the create form on the page open now; the token the answer reveals."""
    form = page.locator("form#create-key")
    await form.get_by_label("Name").fill(name)
    if scopes:
        await form.get_by_label("Only the ones chosen below").check()
        for scope in scopes:
            await form.get_by_label(scope, exact=True).check()
    await form.get_by_label("Expires").select_option("30")
    await form.get_by_role("button", name="Create key").click()
    await expect(page.get_by_text("You will not see it again")).to_be_visible()
    return (await page.locator("code#new-key").inner_text()).strip()


async def test_a_key_made_on_the_page_works_until_it_is_revoked_there(
    platform: Platform, crew: Team, tab: Tab
) -> None:
    page = await sign_in(tab, platform, crew["owner"])
    await page.goto(platform.url("gateway", "/dashboard/test/keys"))
    await expect(page.get_by_role("heading", name="API keys")).to_be_visible()
    name = f"Till {secrets.token_hex(3)}"
    token = await _create(page, name, scopes=("products:read", "orders:read"))
    assert token.startswith("nxp_test_")
    row = page.locator("#keys tbody tr", has_text=name)
    await expect(row).to_have_count(1)
    await expect(row).to_contain_text("orders:read, products:read")
    await expect(row).to_contain_text(crew["owner"].email)
    await expect(row).to_contain_text("never")  # not used yet
    # The table shows the key's public prefix only: never a character of its secret.
    secret_part = token.rsplit("_", 1)[1]
    await expect(row).to_contain_text(token.rsplit("_", 1)[0] + "_…")
    assert secret_part not in await page.locator("#keys").inner_text()
    await expect(page.locator("button[data-copy=new-key]")).to_be_visible()  # the script ran
    tab.assert_clean(scripts=SCRIPTS)
    await tab.screenshot("dashboard-keys")

    assert await _api(platform, token) == 200
    await row.get_by_role("button", name="Revoke").click()
    await expect(page.get_by_text("The key is revoked.")).to_be_visible()
    await expect(row.locator(".badge.bad")).to_have_text("revoked")
    assert secret_part not in await page.content()  # the reveal was that one answer only

    async def refused() -> bool:
        return await _api(platform, token) == 401

    await until(refused, timeout=1.0, what="the revoked key refused within a second")
    tab.assert_clean(scripts=SCRIPTS)


async def test_a_roll_lists_both_keys_and_each_mode_shows_its_own(
    platform: Platform, crew: Team, tab: Tab
) -> None:
    page = await sign_in(tab, platform, crew["owner"])
    await page.goto(platform.url("gateway", "/dashboard/test/keys"))
    name = f"Worker {secrets.token_hex(3)}"
    old = await _create(page, name)
    row = page.locator("#keys tbody tr", has_text=name)
    await row.get_by_label("Old key keeps working for").select_option(label="1 hour")
    await row.get_by_role("button", name="Roll").click()
    await expect(page.get_by_role("heading", name=f"Key rolled: {name}")).to_be_visible()
    new = (await page.locator("code#new-key").inner_text()).strip()
    assert new != old and new.startswith("nxp_test_")
    await expect(page.get_by_text("keeps working until")).to_be_visible()
    rows = page.locator("#keys tbody tr", has_text=name)
    await expect(rows).to_have_count(2)
    await expect(rows.nth(0)).to_contain_text("rolled from")  # newest first
    await expect(rows.nth(0).locator(".badge.ok")).to_have_text("active")
    await expect(rows.nth(1).locator(".badge.warn")).to_have_text("expiring")
    assert await _api(platform, new) == 200 and await _api(platform, old) == 200

    # The toggle: live mode has none of the test keys, and says which mode it is.
    await page.get_by_role("link", name="Live", exact=True).click()
    await expect(page).to_have_url(platform.url("gateway", "/dashboard/live/keys"))
    await expect(page.get_by_role("heading", name="Live keys")).to_be_visible()
    await expect(page.locator("#keys tbody tr", has_text=name)).to_have_count(0)
    await expect(page.locator(".test-banner")).to_have_count(0)
    tab.assert_clean(scripts=SCRIPTS)


async def test_a_form_error_is_shown_by_its_field_with_a_400(
    platform: Platform, crew: Team, tab: Tab
) -> None:
    page = await sign_in(tab, platform, crew["owner"])
    await page.goto(platform.url("gateway", "/dashboard/test/keys"))
    form = page.locator("form#create-key")
    await form.get_by_label("Name").fill("No scopes")
    await form.get_by_label("Only the ones chosen below").check()
    async with page.expect_response(lambda r: r.request.method == "POST") as answer:
        await form.get_by_role("button", name="Create key").click()
    assert (await answer.value).status == 400
    await expect(form.get_by_role("alert")).to_have_text(
        "Choose at least one permission, or all of them."
    )
    await expect(form.get_by_label("Name")).to_have_value("No scopes")  # kept for a retry
    await expect(page.locator("code#new-key")).to_have_count(0)
    # Chromium reports the form's 400 on the console, as it does any 4xx: that one is meant.
    assert [e for e in tab.console_errors if "status of 400" not in e] == []
    tab.console_errors.clear()
    tab.assert_clean(scripts=SCRIPTS)


async def test_a_viewer_sees_the_keys_but_no_form_and_a_forged_post_is_refused(
    platform: Platform, crew: Team, tab: Tab
) -> None:
    name = f"Ops {secrets.token_hex(3)}"
    cli(platform.env, "key", "create", "--org", crew.org_id, "--mode", "test", "--name", name)
    page = await sign_in(tab, platform, crew["viewer"])
    url = platform.url("gateway", "/dashboard/test/keys")
    await page.goto(url)
    await expect(page.get_by_role("heading", name="Test keys")).to_be_visible()
    made_by_cli = page.locator("#keys tbody tr", has_text=name)
    await expect(made_by_cli).to_contain_text("operator (CLI)")
    await expect(page.locator("form#create-key")).to_have_count(0)
    await expect(page.get_by_role("button", name="Revoke")).to_have_count(0)
    await expect(page.get_by_role("button", name="Roll")).to_have_count(0)
    key_id = await made_by_cli.get_attribute("data-key")

    # The viewer's own, valid CSRF token (from the sign-out form): the role is what refuses.
    csrf = await page.locator("input[name=csrf_token]").first.get_attribute("value")
    assert csrf
    forged: dict[str, str | float | bool] = {
        "csrf_token": csrf,
        "name": "Sneaky",
        "access": "all",
        "expires": "never",
    }
    forms: tuple[tuple[str, dict[str, str | float | bool]], ...] = (
        ("/dashboard/test/keys", forged),
        (f"/dashboard/test/keys/{key_id}/revoke", {"csrf_token": csrf}),
        (f"/dashboard/test/keys/{key_id}/roll", {"csrf_token": csrf, "grace": "0"}),
    )
    for path, form in forms:
        response = await page.request.post(platform.url("gateway", path), form=form)
        assert response.status == 403, path
    # And the owner's form without its token is refused too, whoever sends it.
    response = await page.request.post(url, form={"name": "x", "access": "all"})
    assert response.status == 403
    await page.reload()
    await expect(page.locator("#keys tbody tr", has_text="Sneaky")).to_have_count(0)
    tab.assert_clean(scripts=SCRIPTS)
