"""The integrator's first five minutes, as issue 14's "done when" says: `stacknex demo` (what
`make run` runs) prints the dashboard's URL and a sign-in; in Chromium, with nothing but that,
a new user signs in, creates an API key that the API accepts, registers a webhook endpoint,
sends it a test event, and sees it delivered — without the CLI."""

import re
from pathlib import Path

import aiohttp
from playwright.async_api import expect

from tests.browser.conftest import Tab
from tests.browser.dashboard import SCRIPTS
from tests.conftest import until
from tests.e2e.conftest import Platform, cli
from tests.e2e.conftest import receiver as receiver
from tests.e2e.receiver import Receiver

PLATFORM_ENV = {"STACKNEX_WEBHOOKS_ALLOWED_PRIVATE_NETWORKS": '["127.0.0.0/8"]'}


async def test_a_new_user_goes_from_the_printed_sign_in_to_a_delivered_webhook(
    platform: Platform, tab: Tab, receiver: Receiver, tmp_path: Path
) -> None:
    printed = cli(platform.env, "demo", "--file", str(tmp_path / "demo.json"))
    line = next(x for x in printed.splitlines() if x.strip().startswith("dashboard:"))
    url, email, password = re.findall(r"dashboard: (\S+)\s+sign in as (\S+), password (\S+)", line)[
        0
    ]
    assert url.endswith("/dashboard/")
    page = tab.page

    # The printed URL names the configured public address; the test's gateway port differs.
    await page.goto(platform.url("gateway", "/dashboard/"))
    await expect(page).to_have_url(re.compile(r"/dashboard/sign-in"))
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="API keys")).to_be_visible()

    form = page.locator("form#create-key")
    await form.get_by_label("Name").fill("My first integration")
    await form.get_by_role("button", name="Create key").click()
    await expect(page.get_by_text("You will not see it again")).to_be_visible()
    token = (await page.locator("code#new-key").inner_text()).strip()
    async with (
        aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=False)) as http,
        http.get(
            platform.url("gateway", "/api/v1/products"),
            headers={"Authorization": f"Bearer {token}"},
        ) as response,
    ):
        assert response.status == 200

    await page.get_by_role("link", name="Webhooks").click()
    await page.get_by_label("Endpoint URL").fill(receiver.url + "/first-hour")
    await page.get_by_label("All events").check()
    await page.get_by_role("button", name="Add endpoint").click()
    secret = (await page.locator("#webhook-secret").inner_text()).strip()
    assert secret.startswith("whsec_")
    await page.get_by_role("link", name="← Webhooks").click()
    await page.get_by_role("link", name=receiver.url + "/first-hour").click()
    await page.get_by_role("button", name="Send test event").click()
    await expect(page.get_by_role("status")).to_contain_text("Test event sent")

    await until(lambda: bool(receiver.at("/first-hour")), what="the test event at the receiver")
    assert receiver.at("/first-hour")[0].json["event"] == "webhook.test"

    async def delivered() -> bool:
        await page.wait_for_load_state()
        await page.reload()
        return "succeeded" in await page.locator("#deliveries").inner_text()

    await until(delivered, what="the page showing the delivery as succeeded")
    tab.assert_clean(scripts=SCRIPTS)
