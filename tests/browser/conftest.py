"""A real browser on the pages the platform serves: Debian's Chromium (`make browser`), headless,
driven by Playwright. One browser for the session, a fresh context per test, and a watch on each
page for console errors, CSP violations and any script of the page's own that ran."""

import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import (
    Browser,
    BrowserContext,
    CDPSession,
    ConsoleMessage,
    Page,
    async_playwright,
    expect,
)

# The whole platform as the e2e tests start it, one per test module.
from tests.e2e.conftest import platform as platform

CHROMIUM = Path("/usr/bin/chromium")
IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"
# One size and one pixel ratio on every machine, so a screenshot changes only when the page does.
VIEWPORT = {"width": 1280, "height": 800}
DEVICE_SCALE = 1
TIMEOUT_MS = 10_000

# Playwright drives the installed Chromium; it must never try to fetch a browser of its own.
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
expect.set_options(timeout=TIMEOUT_MS)


def _is_playwright_script(url: str) -> bool:
    # Playwright's own evaluations and init scripts carry no URL or one of its sourceURLs;
    # a script the page itself runs (inline, from a file, an event handler) has the page's.
    return url == "" or url.startswith("__playwright") or url.startswith("__puppeteer")


@dataclass
class Tab:
    """A page under watch: what the browser reported while it loaded and was used."""

    page: Page
    cdp: CDPSession
    console_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    # URLs of scripts the page compiled in its own (main) world: with no script allowed, none.
    page_scripts: list[str] = field(default_factory=list)

    @classmethod
    async def watch(cls, page: Page) -> "Tab":
        # A CDP session of our own, opened before the first navigation: the Audits domain
        # reports every CSP violation as an issue, the Debugger every script compiled, and
        # neither puts a line of script into the page.
        tab = cls(page=page, cdp=await page.context.new_cdp_session(page))
        page.on("console", tab._on_console)
        page.on("pageerror", lambda error: tab.console_errors.append(f"uncaught: {error}"))
        tab.cdp.on("Audits.issueAdded", tab._on_issue)
        tab.cdp.on("Debugger.scriptParsed", tab._on_script)
        await tab.cdp.send("Audits.enable")
        await tab.cdp.send("Debugger.enable")
        # A `debugger;` statement must not hang the test while the domain is on.
        await tab.cdp.send("Debugger.setSkipAllPauses", {"skip": True})
        return tab

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url', '')})")

    def _on_issue(self, event: dict[str, Any]) -> None:
        issue = event["issue"]
        if issue["code"] != "ContentSecurityPolicyIssue":
            return
        details = issue["details"]["contentSecurityPolicyIssueDetails"]
        self.csp_violations.append(
            f"{details.get('contentSecurityPolicyViolationType')}: "
            f"{details.get('violatedDirective')} {details.get('blockedURL', '')}".strip()
        )

    def _on_script(self, event: dict[str, Any]) -> None:
        world = event.get("executionContextAuxData") or {}
        if world.get("isDefault") and not _is_playwright_script(event.get("url", "")):
            self.page_scripts.append(event["url"])

    async def screenshot(self, name: str, *, height: int | None = None) -> Path:
        """Saves the full page as docs/images/<name>.png (the README shows these); `height`
        keeps only its top so many pixels, for a page too long to picture whole."""
        IMAGES.mkdir(parents=True, exist_ok=True)
        path = IMAGES / f"{name}.png"
        clip = (
            None
            if height is None
            else {"x": 0, "y": 0, "width": VIEWPORT["width"], "height": height}
        )
        await self.page.screenshot(
            path=path,
            full_page=True,
            clip=clip,  # type: ignore[arg-type]
            animations="disabled",
            caret="hide",
            scale="device",
        )
        return path

    def assert_clean(self, *, scripts: tuple[str, ...] = ()) -> None:
        """No console error, no CSP violation, and no script of the page's own ran but the
        files named in `scripts` (paths: the dashboard's one copy-button script)."""
        assert self.console_errors == [], self.console_errors
        assert self.csp_violations == [], self.csp_violations
        others = [url for url in self.page_scripts if not url.endswith(scripts or ("\0",))]
        assert others == [], others


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} not found: run `make browser` (installs Debian's chromium package)",
            pytrace=False,
        )
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            yield browser
        finally:
            await browser.close()


@pytest.fixture
async def context(browser: Browser) -> AsyncIterator[BrowserContext]:
    context = await browser.new_context(
        ignore_https_errors=True,  # the gateway's self-signed development certificate
        viewport=VIEWPORT,  # type: ignore[arg-type]
        device_scale_factor=DEVICE_SCALE,
        locale="en-US",
        timezone_id="UTC",
        color_scheme="light",
        reduced_motion="reduce",
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context
    finally:
        await context.close()


@pytest.fixture
async def tab(context: BrowserContext) -> Tab:
    return await Tab.watch(await context.new_page())
