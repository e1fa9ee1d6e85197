"""The sign-in page with an identity provider's button (a real OpenID Connect provider)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility
from tests.sso.conftest import oidc_provider, oidc_settings  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(app_config, oidc_settings):  # noqa: F811 - the browser's settings, plus OIDC
    return {**app_config, **oidc_settings}


def test_the_sign_in_page_offers_the_provider(page: Page, live_server, oidc_provider):  # noqa: F811
    page.goto("/login")
    button = page.get_by_role("link", name="Se connecter avec ProConnect")
    expect(button).to_be_visible()
    expect(page.get_by_label("Adresse e-mail")).to_be_visible()  # passwords remain
    check_accessibility(page)
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    button.click()
    # the provider's own sign-in page (its development login form)
    expect(page).to_have_url(re.compile(re.escape(oidc_provider.issuer) + r"/interaction/"))
    expect(page.locator('input[name="login"]')).to_be_visible()
