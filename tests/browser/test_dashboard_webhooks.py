"""The webhooks and events pages in Chromium, on the whole platform: an owner registers an
endpoint through the form, copies its secret from the page, sends a test event that the
receiver verifies with the seed's `verifyWebhook`, follows a failing delivery and retries it
from the page; the events pages show what was sent and where. A viewer reads but cannot
write or reveal; the test mode shows other data; another organization gets 404."""

import json
import re
import subprocess
from typing import Any

from playwright.async_api import Page, expect

from libs.common import jsoncodec
from tests.browser import dashboard
from tests.browser.conftest import Tab
from tests.browser.dashboard import SCRIPTS, Member, team
from tests.conftest import until
from tests.e2e.conftest import Platform, Till, cli, client
from tests.e2e.conftest import receiver as receiver
from tests.e2e.receiver import Receiver, respond

PLATFORM_ENV = {
    # The receiver listens on loopback.
    "STACKNEX_WEBHOOKS_ALLOWED_PRIVATE_NETWORKS": '["127.0.0.0/8"]',
    # Two attempts, then failed: the page shows a failed delivery in well under a second,
    # and only the Retry button sends it again.
    "STACKNEX_WEBHOOKS_RETRY_SCHEDULE": "[0, 0.3]",
    "STACKNEX_WEBHOOKS_DELIVERY_TIMEOUT": "1.5",
    "STACKNEX_WEBHOOKS_POLL_INTERVAL": "0.2",
}


def _node_verifies(payload: bytes, signature: str, secret: str) -> bool:
    done = subprocess.run(
        ["node", "tests/e2e/verify_webhook.js"],
        check=True,
        capture_output=True,
        text=True,
        input=json.dumps({"payload": payload.decode(), "signature": signature, "secret": secret}),
    )
    return done.stdout == "true"


async def sign_in(tab: Tab, platform: Platform, member: Member) -> Page:
    return await dashboard.sign_in(tab, platform, member, to="/dashboard/live/webhooks")


def expected_404s(tab: Tab, count: int) -> None:
    """The pages this test is refused on purpose are the console's only errors."""
    refused = [e for e in tab.console_errors if "status of 404" in e]
    assert len(refused) == count, tab.console_errors
    tab.console_errors[:] = [e for e in tab.console_errors if e not in refused]


async def _shows(page: Page, selector: str, text: str, *, what: str) -> None:
    """Reloads until `selector` contains `text`: the page shows what the worker did since."""

    async def shown() -> bool:
        # A form posted a moment ago may still be navigating: a reload then would find no
        # page to reload. Let it land first.
        await page.wait_for_load_state()
        await page.reload()
        return text in await page.locator(selector).inner_text()

    await until(shown, timeout=20, what=what)


async def _create(page: Page, platform: Platform, url: str, description: str) -> str:
    await page.goto(platform.url("gateway", "/dashboard/live/webhooks"))
    await page.get_by_label("Endpoint URL").fill(url)
    await page.get_by_label("Description").fill(description)
    await page.get_by_label("All events").check()
    await page.get_by_role("button", name="Add endpoint").click()
    secret = (await page.locator("#webhook-secret").inner_text()).strip()
    assert secret.startswith("whsec_")
    await expect(page.get_by_role("button", name="Copy")).to_be_visible()  # the script ran
    return secret


async def test_an_owner_registers_tests_and_retries_an_endpoint_from_the_pages(
    platform: Platform, tab: Tab, receiver: Receiver
) -> None:
    owners = await team(platform, roles=("owner",))
    page = await sign_in(tab, platform, owners["owner"])

    secret = await _create(page, platform, receiver.url + "/dash-ok", "Fulfilment")
    endpoint_url = page.url
    assert re.search(r"/dashboard/live/webhooks$", endpoint_url)  # the POST's own answer
    await page.get_by_role("link", name="← Webhooks").click()
    await page.get_by_role("link", name=receiver.url + "/dash-ok").click()
    detail = page.url
    # Rendered once: the endpoint's page shows no secret again.
    await expect(page.locator("#webhook-secret")).to_have_count(0)

    await page.get_by_role("button", name="Send test event").click()
    await expect(page.get_by_role("status")).to_contain_text("Test event sent")
    await until(lambda: bool(receiver.at("/dash-ok")), what="the test delivery")
    [hit] = receiver.at("/dash-ok")
    assert hit.json["event"] == "webhook.test"
    assert _node_verifies(hit.body, hit.headers["X-Webhook-Signature"], secret)
    await _shows(page, "#deliveries", "succeeded", what="the delivery's status on the page")
    await expect(page.locator("#deliveries")).to_contain_text("webhook.test")
    await page.goto(detail)
    await tab.screenshot("dashboard-webhook")

    # A receiver that fails: the page shows the failed attempts; Retry delivers it.
    async def failing(_: int) -> Any:
        return await respond(500, text="receiver down")

    receiver.behaviours["/dash-fail"] = failing
    await _create(page, platform, receiver.url + "/dash-fail", "Accounting")
    await page.goto(platform.url("gateway", "/dashboard/live/webhooks"))
    await page.get_by_role("link", name=receiver.url + "/dash-fail").click()
    await page.get_by_role("button", name="Send test event").click()
    await expect(page.get_by_role("status")).to_contain_text("Test event sent")
    await _shows(page, "#deliveries", "failed", what="the failed delivery")
    await page.locator("#deliveries a").first.click()
    attempts = page.locator("#attempts tbody tr")
    await expect(attempts).to_have_count(2)
    await expect(attempts.first).to_contain_text("500")
    await expect(attempts.first).to_contain_text("receiver down")
    del receiver.behaviours["/dash-fail"]
    await page.get_by_role("button", name="Retry").click()
    await expect(page.get_by_role("status")).to_contain_text("Delivery queued again")
    await _shows(page, "h1", "succeeded", what="the retried delivery")
    await expect(attempts).to_have_count(3)
    await expect(attempts.nth(2)).to_contain_text("200")
    assert len(receiver.at("/dash-fail")) == 3
    await tab.screenshot("dashboard-delivery")

    # The list: both endpoints with their health.
    await page.goto(platform.url("gateway", "/dashboard/live/webhooks"))
    rows = page.locator("#endpoints tbody tr")
    await expect(rows).to_have_count(2)
    await expect(rows.filter(has_text="dash-ok")).to_contain_text("200 OK")
    await expect(rows.filter(has_text="dash-ok")).to_contain_text("100 %")
    await expect(rows.filter(has_text="dash-fail")).to_contain_text("1 of 3 attempts")
    await tab.screenshot("dashboard-webhooks")

    # A public event (a product, through the API) goes to both; the events pages show it.
    key = jsoncodec.loads(
        cli(platform.env, "key", "create", "--org", owners.org_id, "--mode", "live", "--json")
    )["key"]
    async with client() as http:
        till = Till(http, platform.url("gateway", ""), key, owners.location_id, owners.org_id)
        product = await till.ok("POST", "/api/v1/products", {"name": "Rye", "price": 3.5}, 201)
    await page.goto(platform.url("gateway", "/dashboard/live/events"))
    await _shows(page, "#events", "product.created", what="the event in the list")
    await page.get_by_label("Type").select_option("product.created")
    await page.get_by_role("button", name="Filter").click()
    await expect(page.locator("#events tbody tr")).to_have_count(1)
    await tab.screenshot("dashboard-events")
    await page.locator("#events a").first.click()
    shown = jsoncodec.loads(await page.locator("#event-json").inner_text())
    assert shown["event"] == "product.created" and shown["data"] == product
    sent_to = page.locator("#event-deliveries tbody tr")
    await expect(sent_to).to_have_count(2)
    await _shows(page, "#event-deliveries", "succeeded", what="the event's deliveries")
    await tab.screenshot("dashboard-event")
    tab.assert_clean(scripts=SCRIPTS)


async def test_viewers_read_only_modes_are_apart_and_other_organizations_get_404(
    platform: Platform, tab: Tab
) -> None:
    first = await team(platform, roles=("owner", "viewer"))
    key = jsoncodec.loads(
        cli(platform.env, "key", "create", "--org", first.org_id, "--mode", "live", "--json")
    )["key"]
    async with client() as http:
        till = Till(http, platform.url("gateway", ""), key, first.location_id, first.org_id)
        endpoint = await till.ok(
            "POST",
            "/api/v1/webhooks",
            {"url": "https://93.184.216.34/hook", "events": ["order.created"]},
            201,
        )
    page = await sign_in(tab, platform, first["viewer"])
    await page.goto(platform.url("gateway", "/dashboard/live/webhooks"))
    await expect(page.locator("#endpoints")).to_contain_text("https://93.184.216.34/hook")
    await expect(page.get_by_role("button", name="Add endpoint")).to_have_count(0)
    path = f"/dashboard/live/webhooks/{endpoint['id']}"
    await page.goto(platform.url("gateway", path))
    for name in ("Reveal signing secret", "Send test event", "Rotate secret", "Save"):
        await expect(page.get_by_role("button", name=name)).to_have_count(0)
    # The server refuses it too, with the viewer's own valid form token.
    token = await _csrf(page)
    answer = await page.request.post(
        platform.url("gateway", path + "/secret"), form={"csrf_token": token}
    )
    assert answer.status == 403 and "whsec_" not in await answer.text()

    # The test mode is another data set.
    await page.get_by_role("link", name="Test", exact=True).click()
    await expect(page).to_have_url(re.compile(r"/dashboard/test/webhooks/"))
    await expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    await page.goto(platform.url("gateway", "/dashboard/test/webhooks"))
    await expect(page.locator("#endpoints")).to_contain_text("No endpoints in test mode yet")

    # A member of another organization: 404 on the first one's URLs, pages and forms.
    await page.get_by_role("button", name="Sign out").click()
    other = await team(platform, roles=("owner",))
    page = await sign_in(tab, platform, other["owner"])
    response = await page.goto(platform.url("gateway", path))
    assert response is not None and response.status == 404
    token = await _csrf(page)
    answer = await page.request.post(
        platform.url("gateway", path + "/test"), form={"csrf_token": token}
    )
    assert answer.status == 404
    expected_404s(tab, 2)  # the test mode's and the other organization's endpoint page
    tab.assert_clean(scripts=SCRIPTS)


async def _csrf(page: Page) -> str:
    token = await page.locator('input[name="csrf_token"]').first.get_attribute("value")
    assert token
    return token
