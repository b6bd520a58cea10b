"""The API reference page as a reader's browser shows it: Chromium, over the gateway's HTTPS
port, under a policy that lets no script run; its contents lead to each operation."""

import re
from pathlib import Path

from playwright.async_api import expect

from libs.common import jsoncodec
from tests.browser.conftest import Tab
from tests.e2e.conftest import Platform

DOCUMENT = jsoncodec.loads(
    (Path(__file__).resolve().parents[2] / "services/gateway/openapi.json").read_bytes()
)
OPERATIONS = [op["operationId"] for item in DOCUMENT["paths"].values() for op in item.values()]
# The page runs to some 180,000 pixels: the picture is its top, the header and the overview.
PICTURE_HEIGHT = 1600


async def test_the_reference_renders_in_chromium(platform: Platform, tab: Tab) -> None:
    page = tab.page
    response = await page.goto(platform.url("gateway", "/reference"))
    assert response is not None and response.status == 200
    info = DOCUMENT["info"]
    await expect(page).to_have_title(f"{info['title']} {info['version']} — reference")
    await expect(page.get_by_role("heading", level=1)).to_contain_text(info["title"])

    # Every operation is in the contents, and its link takes the reader to its section.
    contents = page.locator("nav#contents")
    await expect(contents.get_by_role("heading", name="Contents")).to_be_visible()
    await expect(contents.locator('a[href^="#operation-"]')).to_have_count(len(OPERATIONS))
    section = page.locator("#operation-createOrder")
    await expect(section).not_to_be_in_viewport()  # so that being there is the click's doing
    await contents.locator('a[href="#operation-createOrder"]').click()
    await expect(page).to_have_url(re.compile(r"/reference#operation-createOrder$"))
    await expect(section).to_be_in_viewport()
    await expect(section.get_by_role("heading", level=3)).to_contain_text("/api/v1/orders")
    await expect(section.locator("dd code").first).to_have_text("createOrder")

    webhooks = page.locator("section#webhooks")
    await expect(webhooks.get_by_role("heading", name="Webhooks", level=2)).to_be_attached()
    created = webhooks.locator('article[id="webhook-order.created"] h3')
    await expect(created).to_have_text("order.created")

    tab.assert_clean()
    # Only a page that passed replaces the committed picture.
    await tab.screenshot("reference", height=PICTURE_HEIGHT)
