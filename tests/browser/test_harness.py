"""The watch a browser test relies on sees what it claims to: a script the policy blocked is a
CSP violation, a script that ran is the page's own, an error it logged is a console error.
Pages served by Playwright's router, so no platform is needed."""

from playwright.async_api import Route

from tests.browser.conftest import Tab
from tests.conftest import until

SITE = "https://harness.test"
SCRIPT = "<script>console.error('the page ran a script')</script>"
PAGES = {
    "/locked": ("default-src 'none'", f"<!doctype html><title>locked</title><p>hi</p>{SCRIPT}"),
    "/open": ("", f"<!doctype html><title>open</title><p>hi</p>{SCRIPT}"),
}


async def serve(route: Route) -> None:
    policy, body = PAGES[route.request.url.removeprefix(SITE)]
    headers = {"Content-Security-Policy": policy} if policy else {}
    await route.fulfill(status=200, content_type="text/html", headers=headers, body=body)


async def test_a_script_the_policy_blocks_is_a_csp_violation_and_never_runs(tab: Tab) -> None:
    await tab.page.route(f"{SITE}/**", serve)
    await tab.page.goto(f"{SITE}/locked")
    await until(lambda: tab.csp_violations != [], what="the blocked inline script reported")
    assert tab.csp_violations[0].startswith("kInlineViolation: script-src-elem")
    assert tab.page_scripts == []  # blocked before it was compiled
    assert not any("the page ran a script" in line for line in tab.console_errors)


async def test_a_script_that_runs_is_seen_with_what_it_logged(tab: Tab) -> None:
    await tab.page.route(f"{SITE}/**", serve)
    await tab.page.goto(f"{SITE}/open")
    await until(lambda: tab.console_errors != [], what="the page's console error")
    assert tab.console_errors[0].startswith("the page ran a script")
    assert tab.page_scripts == [f"{SITE}/open"]
    assert tab.csp_violations == []
    await tab.page.title()  # Playwright's own evaluations are not the page's scripts
    await tab.page.evaluate("1 + 1")
    assert tab.page_scripts == [f"{SITE}/open"]
