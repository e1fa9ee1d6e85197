"""Every main page, as a member and as a coordinator, on a phone (375 px) and a desktop
(1280 px), on the demo data: no sideways scrolling, no serious or critical axe-core finding,
no console error, and every page after the first one transfers at most 40 KB (its static
files are already in the browser's cache: fingerprinted names, a year of caching).

Bytes are counted as Chromium receives them (DevTools protocol, `encodedDataLength`:
headers and compressed body), not as the server sends them."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.browser.helpers import AccessibilityAudit
from tests.main_pages import COORDINATOR, MEMBER, load_demo, main_pages
from workspace.demo import DEMO_PASSWORD

LATER_PAGE_BUDGET = 40_000  # bytes


class Transfers:
    """Bytes received by the page since the last `reset`, from the DevTools protocol."""

    def __init__(self, page: Page):
        self.total = 0
        self.by_url: dict[str, str] = {}
        session = page.context.new_cdp_session(page)
        session.on("Network.requestWillBeSent", self._sent)
        session.on("Network.loadingFinished", self._finished)
        session.send("Network.enable")

    def _sent(self, event) -> None:
        self.by_url[event["requestId"]] = event["request"]["url"]

    def _finished(self, event) -> None:
        self.total += int(event["encodedDataLength"])

    def reset(self) -> None:
        self.total = 0


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("email", [MEMBER, COORDINATOR], ids=["member", "coordinator"])
def test_main_pages_on_phone_and_desktop(app, open_page, email, width):
    load_demo()
    pages = main_pages(app, email == COORDINATOR)
    page = open_page()
    page.set_viewport_size({"width": width, "height": 800})
    console: list[str] = []
    page.on("console", lambda message: message.type == "error" and console.append(
        f"{page.url}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"{page.url}: {error}"))
    transfers = Transfers(page)
    sign_in(page, email, DEMO_PASSWORD)
    audit, problems = AccessibilityAudit(), []
    for path in pages:
        page.wait_for_load_state("networkidle")
        transfers.reset()
        response = page.goto(path)
        page.wait_for_load_state("networkidle")
        if response is None or response.status != 200:
            problems.append(f"{path}: status {response and response.status}")
            continue
        overflow = page.evaluate("document.documentElement.scrollWidth"
                                 " - document.documentElement.clientWidth")
        if overflow > 0:
            problems.append(f"{path}: scrolls sideways by {overflow} px at {width} px")
        if transfers.total > LATER_PAGE_BUDGET:
            problems.append(f"{path}: {transfers.total} bytes transferred (a page after the "
                            f"first: at most {LATER_PAGE_BUDGET})")
        audit.check(page)
    problems += console
    assert not problems, "\n".join(problems)
    audit.finish()


def test_network_menu_works_without_javascript_on_a_phone(app, browser, live_server):
    """On a phone the network's pages are one <details> menu: it opens and leads to a page
    with scripts off."""
    load_demo()
    context = browser.new_context(base_url=live_server, java_script_enabled=False,
                                  viewport={"width": 375, "height": 800}, locale="fr-FR")
    try:
        page = context.new_page()
        sign_in(page, MEMBER, DEMO_PASSWORD)
        page.goto("/n/reseau-informatique/forum/")
        navigation = page.get_by_role("navigation", name="Pages du réseau")
        expect(navigation.get_by_role("link", name="Réunions")).to_be_hidden()
        navigation.locator("summary").filter(has_text="Forum").click()
        navigation.get_by_role("link", name="Réunions").click()
        expect(page.get_by_role("heading", level=2, name="Réunions")).to_be_visible()
        summary = page.get_by_role("navigation", name="Pages du réseau").locator(
            "details.network-menu > summary")
        expect(summary).to_contain_text("Réunions")
    finally:
        context.close()


def test_network_tabs_hold_in_one_row_on_a_desktop(app, open_page):
    load_demo()
    page = open_page()
    sign_in(page, COORDINATOR, DEMO_PASSWORD)
    page.goto("/n/reseau-informatique/")
    rows = page.evaluate("""() => new Set([...document.querySelectorAll(
        '.network-tabs > li')].map(li => Math.round(li.getBoundingClientRect().top))).size""")
    assert rows == 1
    page.get_by_role("navigation", name="Pages du réseau").get_by_text("Gestion").click()
    page.get_by_role("link", name="Membres").click()
    expect(page).to_have_url(re.compile(r"/members$"))
