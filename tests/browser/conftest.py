"""Browser tests: the test app served over HTTP to Debian's Chromium, driven by Playwright.

The server runs in a thread of the test process and shares the test's database, so factories
(`make_user`, `make_network`...) prepare the scene and the browser plays it. E-mails are
queued as jobs; `mailbox.to(address)` runs them and reads what the real SMTP server received.
CSRF protection is on: the browser sends the real forms.
"""
from __future__ import annotations

import os
import re
import shutil
import threading
from contextlib import suppress
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from tests.conftest import PASSWORD, require

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
BLOCKING_IMPACTS = ("serious", "critical")
BROWSER_FOLDER = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    """Every test of this folder drives a browser: `-m "not browser"` leaves them out."""
    for item in items:
        if BROWSER_FOLDER in item.path.resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so that fixtures know whether it failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# --- the browser -----------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser_type_launch_args():
    """Debian's Chromium, never a browser downloaded by Playwright."""
    require(os.path.exists(CHROMIUM), f"Chromium is not installed at {CHROMIUM} "
                                      "(apt-get install chromium)")
    return {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"],
    }


@pytest.fixture(scope="session")
def browser_context_args():
    # no base_url here: each test's server has its own port (see `open_page`)
    return {"locale": "fr-FR", "timezone_id": "Europe/Paris",
            "viewport": {"width": 1280, "height": 900}, "reduced_motion": "reduce"}


# --- the application -------------------------------------------------------------------------

@pytest.fixture
def app_config(app_config):
    """The browser sends real forms, so CSRF protection stays on."""
    return {**app_config, "WTF_CSRF_ENABLED": True}


@pytest.fixture
def live_server(app):
    """The test app served on a free local port; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture
def open_page(request, live_server, new_context):
    """Open a page in a new browser context: its own cookies, so another person or device.

    On failure every page opened is saved as a screenshot under test-artifacts/.
    """
    pages: list[Page] = []

    def open_() -> Page:
        context = new_context(base_url=live_server)
        context.set_default_timeout(15_000)
        page = context.new_page()
        pages.append(page)
        return page

    yield open_
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.nodeid)
    shutil.rmtree(folder, ignore_errors=True)  # screenshots of an earlier run are misleading
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        _save_screenshots(folder, pages)


@pytest.fixture
def page(open_page) -> Page:
    return open_page()


def _save_screenshots(folder: Path, pages: list[Page]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for number, page in enumerate(pages, start=1):
        if page.is_closed():
            continue
        # Any error: a missing screenshot must not hide the failure.
        with suppress(Exception):
            page.screenshot(path=str(folder / f"page-{number}.png"), full_page=True,
                            timeout=5_000)


# --- helpers the tests share -----------------------------------------------------------------

def check_accessibility(page: Page) -> None:
    """Run axe-core on the page shown; fail on every serious or critical violation."""
    page.wait_for_load_state()
    results = Axe().run(page)
    violations = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    if violations:
        lines = [f"{len(violations)} serious or critical accessibility violation(s) on "
                 f"{page.url}:"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"]:
                lines.append(f"    {', '.join(map(str, node['target']))}")
        pytest.fail("\n".join(lines), pytrace=False)


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Sign in through the form, as a visitor does (the page is French before sign-in)."""
    page.goto("/login")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/$"))


def sign_out(page: Page) -> None:
    """Click the header's sign-out button, whatever the interface language."""
    page.locator("form[action$='/logout']").get_by_role("button").click()
    expect(page).to_have_url(re.compile(r"/login$"))
