import pytest
from tests.browser.conftest import sign_in
from tests.browser.test_forum_comforts import scene, _topic  # noqa
from tests.browser.test_forum_comforts import app_config  # noqa

def test_shot(open_page, scene):
    network, post, sophie, julien, claire = scene
    page = open_page()
    sign_in(page, claire.email)
    _topic(page, network, post)
    page.get_by_role("article", name="Sophie Lambert").locator("summary").click()
    page.screenshot(path="/tmp/forum_menu.png", full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    page.get_by_label("Message", exact=True).click()
    page.keyboard.type("Merci @s")
    page.wait_for_timeout(800)
    page.screenshot(path="/tmp/forum_phone.png", full_page=True)
