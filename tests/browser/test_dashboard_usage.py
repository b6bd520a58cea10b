"""The request log and usage pages in Chromium, against the whole platform: API calls made
with a test key show in the test mode's log (recorded off the request path, so the test
reloads until they are there), the 4xx filter keeps only the 404s, the live mode shows none
of them, and the usage page counts them and draws 24 bars."""

import re

from playwright.async_api import Page, expect

from libs.common import jsoncodec
from libs.common.ids import new_id
from tests.browser.conftest import Tab
from tests.browser.dashboard import SCRIPTS, Member, team
from tests.conftest import until
from tests.e2e.conftest import Platform, cli, client

OK_CALLS, MISSING_CALLS = 3, 2


async def _calls(platform: Platform, token: str) -> list[str]:
    """Three 200s (the product list) and two 404s (products that do not exist); their ids."""
    ids = []
    async with client() as http:
        for n in range(OK_CALLS + MISSING_CALLS):
            missing = n >= OK_CALLS
            path = f"/api/v1/products/{new_id('prod')}" if missing else "/api/v1/products"
            request_id = f"dash-log-{n}-{new_id('req')[-6:]}"
            async with http.get(
                platform.url("gateway", path),
                headers={"Authorization": f"Bearer {token}", "X-Request-Id": request_id},
            ) as response:
                assert response.status == (404 if missing else 200), await response.text()
            ids.append(request_id)
    return ids


async def _sign_in(tab: Tab, platform: Platform, member: Member, landing: str) -> Page:
    """Signs in through the form, straight to `landing` (the sign-in's `next`)."""
    page = tab.page
    await page.goto(platform.url("gateway", f"/dashboard/sign-in?next={landing}"))
    await page.get_by_label("Email").fill(member.email)
    await page.get_by_label("Password").fill(member.password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_text(f"{member.email} · {member.role}")).to_be_visible()
    await expect(page).to_have_url(re.compile(re.escape(landing) + "$"))
    return page


async def _rows_until(page: Page, count: int) -> None:
    """Reloads until the log's table has `count` rows: the writer flushes every second."""

    async def shown() -> bool:
        await page.wait_for_load_state()
        await page.reload()
        return await page.locator("table tbody tr").count() >= count

    await until(shown, timeout=15, what=f"{count} requests in the log")


async def test_the_request_log_and_usage_pages_show_the_test_mode_calls(
    platform: Platform, tab: Tab
) -> None:
    crew = await team(platform, roles=("viewer",))
    key = jsoncodec.loads(
        cli(platform.env, "key", "create", "--org", crew.org_id, "--mode", "test", "--json")
    )
    request_ids = await _calls(platform, key["key"])
    page = await _sign_in(tab, platform, crew["viewer"], "/dashboard/test/requests")

    # The test mode's log lists every call, newest first, with its status and request id.
    await expect(page.get_by_role("heading", name="Request log")).to_be_visible()
    await expect(page.get_by_role("status")).to_contain_text("Test mode")
    await _rows_until(page, len(request_ids))
    rows = page.locator("table tbody tr")
    await expect(rows).to_have_count(len(request_ids))
    await expect(rows.first).to_contain_text(request_ids[-1])
    await expect(rows.first.locator(".badge.warn")).to_have_text("404")
    await expect(rows.last).to_contain_text(request_ids[0])
    await expect(rows.last.locator(".badge.ok")).to_have_text("200")
    await expect(rows.last).to_contain_text(key["id"])
    await tab.screenshot("dashboard-requests")

    # Filtering by 4xx (a plain GET form) keeps only the two 404s.
    await page.get_by_label("Status").select_option("4xx")
    await page.get_by_role("button", name="Filter").click()
    await expect(page).to_have_url(re.compile(r"/dashboard/test/requests\?status=4xx"))
    await expect(rows).to_have_count(MISSING_CALLS)
    for n in range(MISSING_CALLS):
        await expect(rows.nth(n).locator(".badge")).to_have_text("404")
    # And by path prefix: the list's path is not a prefix of a product's own path.
    await page.goto(platform.url("gateway", "/dashboard/test/requests?path=/api/v1/products/"))
    await expect(rows).to_have_count(MISSING_CALLS)

    # The toggle to live mode: none of the test calls are there.
    await page.goto(platform.url("gateway", "/dashboard/test/requests"))
    await page.get_by_role("link", name="Live", exact=True).click()
    await expect(page).to_have_url(re.compile(r"/dashboard/live/requests$"))
    await expect(page.get_by_text("No live requests yet")).to_be_visible()
    await expect(rows).to_have_count(0)

    # Usage in test mode: the five calls against the professional plan's 1,000, 24 bars.
    await page.goto(platform.url("gateway", "/dashboard/test/usage"))
    await expect(page.get_by_role("heading", name="Usage", exact=True)).to_be_visible()
    # The limiter's window slides: each call stops counting 3.6 s after it was made, so
    # the page counts at most the five, fewer the slower the run; the log counts them all.
    await expect(page.locator("#used")).to_have_text(re.compile(r"^[0-5] / 1,000$"))
    await expect(page.locator("#day-total")).to_have_text(str(len(request_ids)))
    chart = page.locator("figure.chart svg")
    await expect(chart.locator("rect.bar")).to_have_count(24)
    # Both 404s in one hour's bar, or in two when the calls straddled an hour's turn.
    assert 1 <= await chart.locator("rect.errors").count() <= 2
    await expect(chart.locator("g.hour").last.locator("title")).to_have_text(
        re.compile(r"^\d\d:00 to \d\d:00 UTC: \d+ requests?, \d+ with an error$")
    )
    await tab.screenshot("dashboard-usage")

    # Live mode: nothing used.
    await page.goto(platform.url("gateway", "/dashboard/live/usage"))
    await expect(page.locator("#used")).to_have_text("0 / 1,000")
    await expect(page.locator("figure.chart rect.errors")).to_have_count(0)
    tab.assert_clean(scripts=SCRIPTS)

    # A filter the gateway refuses is the form again, answered 400 with the message beside
    # it, not an error page (last: Chromium reports a 400 document as a console error).
    response = await page.goto(platform.url("gateway", "/dashboard/test/requests?path=api"))
    assert response is not None and response.status == 400
    await expect(page.get_by_role("alert")).to_have_text(
        "path must start with /, as in /api/v1/orders."
    )
    await expect(page.get_by_label("Path starts with")).to_have_value("api")


async def test_a_plan_without_api_access_says_so_and_links_the_plan_page(
    platform: Platform, tab: Tab
) -> None:
    crew = await team(platform, roles=("owner",), plan="starter")
    page = await _sign_in(tab, platform, crew["owner"], "/dashboard/live/usage")
    await expect(page.get_by_text("has no API access")).to_be_visible()
    await expect(page.get_by_role("link", name="See the Plan page")).to_have_attribute(
        "href", "/dashboard/plan"
    )
    await expect(page.locator("figure.chart rect.bar")).to_have_count(24)
    tab.assert_clean(scripts=SCRIPTS)
