"""Small helpers shared by the browser scenarios of the network's pages."""
from __future__ import annotations

from email.message import EmailMessage

import pytest
from playwright.sync_api import Locator, Page

from tests.browser.conftest import check_accessibility


def network_tab(page: Page, name: str) -> Locator:
    """A tab of the network's header ("Forum", "Réunions", "Ateliers"...), shown: a
    coordinator's page (Membres, Export...) is under "Gestion" on a wide screen, every page
    under the menu on a narrow one, so the disclosure is opened first."""
    navigation = page.get_by_role("navigation", name="Pages du réseau")
    link = navigation.get_by_role("link", name=name, exact=True)
    if not link.count():
        closed = navigation.locator("details:not([open]) > summary")
        for index in range(closed.count()):
            if closed.nth(index).is_visible():
                closed.nth(index).click()
                break
    return link


def flash(page: Page) -> Locator:
    """The flashed messages shown at the top of the main content."""
    return page.get_by_role("main").get_by_role("status")


def body_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def open_calm_page(open_page) -> Page:
    """A page of a new browser context that asks for reduced motion.

    Bootstrap animates the colours of a button for 0.15 s after it is clicked; a button that
    stays on the page (the editor's "Aperçu") would otherwise be measured by axe halfway
    through, with a contrast that no person ever sees for more than an instant.
    """
    page = open_page()
    page.emulate_media(reduced_motion="reduce")
    return page


class AccessibilityAudit:
    """check_accessibility on every page visited, without stopping the scenario at the first
    page that fails: the violations are collected, and `finish()` fails the test with all of
    them once the whole scenario has been played (so that a contrast problem on one page does
    not hide whether the feature itself works)."""

    def __init__(self) -> None:
        self.failures: list[str] = []

    def check(self, page: Page) -> None:
        try:
            check_accessibility(page)
        except pytest.fail.Exception as failure:
            message = str(failure.msg)
            if message not in self.failures:
                self.failures.append(message)

    def finish(self) -> None:
        if self.failures:
            pytest.fail("\n".join(self.failures), pytrace=False)
