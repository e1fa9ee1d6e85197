"""The forum's comforts in Chromium (static/js/forum.js, static/js/app.js): the post menu,
quoting a selection, `@` suggestions, a draft that survives a reload, an image dropped or
pasted into the editor, and the "new replies" notice and the bell updated without reload."""
from __future__ import annotations

import base64
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility, sign_in
from tests.documents.conftest import png_bytes
from workspace.extensions import db
from workspace.forums import service as forums
from workspace.forums.models import Topic
from workspace.notifications.service import notify

pytestmark = pytest.mark.browser

BODY = "Nous passons les boîtes partagées à 10 Go.\n\nLes listes restent sur Sympa."


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PAGE_POLL_SECONDS": 1}  # the open page asks every second


@pytest.fixture
def scene(make_user, make_network, make_organisation):
    allonnes = make_organisation("Allonnes")
    sophie = make_user(first_name="Sophie", last_name="Lambert", organisation=allonnes)
    julien = make_user(first_name="Julien", last_name="Moreau")
    claire = make_user(first_name="Claire", last_name="Martin")
    outsider = make_user(first_name="Sophia", last_name="Ailleurs")
    network = make_network("Informatique", members=[sophie, julien], coordinators=[claire])
    make_network("Patrimoine", members=[outsider])
    category = forums.save_category(claire, network, None, name="Messagerie")
    post = forums.create_topic(sophie, category, "Quota des boîtes partagées", BODY)
    db.session.commit()
    return network, post, sophie, julien, claire


def _topic(page: Page, network, post) -> None:
    page.goto(f"/n/{network.slug}/forum/t/{post.topic_id}")
    expect(page.get_by_role("heading", level=2)).to_contain_text("Quota des boîtes")


def test_post_actions_are_one_menu(open_page, scene):
    network, post, sophie, julien, claire = scene
    page = open_page()
    sign_in(page, claire.email)
    _topic(page, network, post)
    article = page.get_by_role("article", name="Sophie Lambert")
    menu = article.locator("details.post-menu")
    expect(article.get_by_role("button", name="Masquer")).to_be_hidden()
    menu.locator("summary").click()
    for name in ("Modifier", "Signaler"):
        expect(article.get_by_role("link", name=name)).to_be_visible()
    for name in ("Supprimer", "Masquer"):
        expect(article.get_by_role("button", name=name)).to_be_visible()
    check_accessibility(page)
    page.keyboard.press("Escape")
    expect(article.get_by_role("button", name="Masquer")).to_be_hidden()
    expect(menu.locator("summary")).to_be_focused()
    menu.locator("summary").click()
    page.get_by_role("heading", level=2).click()  # a click elsewhere closes it
    expect(article.get_by_role("button", name="Masquer")).to_be_hidden()
    menu.locator("summary").click()
    article.get_by_role("button", name="Masquer").click()
    expect(page.get_by_role("main").get_by_role("status").first).to_contain_text(
        "Message masqué")


def test_quote_a_selection_into_the_reply(open_page, scene):
    network, post, sophie, julien, claire = scene
    page = open_page()
    sign_in(page, julien.email)
    _topic(page, network, post)
    paragraph = page.get_by_role("article", name="Sophie Lambert").locator(".post-body p").first
    paragraph.evaluate("""(p) => {
        const range = document.createRange();
        range.setStart(p.firstChild, 0);
        range.setEnd(p.firstChild, 'Nous passons les boîtes partagées'.length);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        p.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
    }""")
    button = page.get_by_role("button", name="Citer la sélection")
    expect(button).to_be_visible()
    button.click()
    reply = page.get_by_label("Message", exact=True)
    expect(reply).to_have_value(f"@{sophie.handle} :\n> Nous passons les boîtes partagées\n\n")
    expect(reply).to_be_focused()
    expect(button).to_be_hidden()


def test_at_suggests_the_networks_members(open_page, scene):
    network, post, sophie, julien, claire = scene
    page = open_page()
    sign_in(page, julien.email)
    _topic(page, network, post)
    reply = page.get_by_label("Message", exact=True)
    reply.click()
    page.keyboard.type("Merci @soph")
    listbox = page.get_by_role("listbox")
    expect(listbox.get_by_role("option")).to_have_count(1)  # not Sophia of another network
    expect(listbox.get_by_role("option")).to_contain_text(f"@{sophie.handle} Sophie Lambert")
    expect(reply).to_have_attribute("aria-activedescendant", re.compile("-0$"))
    check_accessibility(page)
    page.keyboard.press("Enter")
    expect(reply).to_have_value(f"Merci @{sophie.handle} ")
    expect(listbox).to_be_hidden()
    page.keyboard.type("@zz")
    page.keyboard.press("Escape")
    expect(reply).to_have_value(f"Merci @{sophie.handle} @zz")


def _wait_for_a_draft(page: Page) -> None:
    """The editor keeps the text a moment after the last key (the page's CSP forbids
    `wait_for_function`, which evaluates a string)."""
    for _attempt in range(100):
        if page.evaluate("() => Object.keys(localStorage).some("
                         "(key) => key.startsWith('tilt:draft:'))"):
            return
        page.wait_for_timeout(100)
    pytest.fail("no draft was kept")


def test_the_draft_survives_a_reload_and_goes_once_sent(open_page, scene):
    network, post, sophie, julien, claire = scene
    page = open_page()
    sign_in(page, julien.email)
    _topic(page, network, post)
    reply = page.get_by_label("Message", exact=True)
    reply.fill("Chez nous, 5 Go suffisent")
    _wait_for_a_draft(page)
    page.reload()
    expect(page.get_by_label("Message", exact=True)).to_have_value("Chez nous, 5 Go suffisent")
    expect(page.get_by_text("Brouillon retrouvé")).to_be_visible()
    # the reply page of the same topic finds the same draft
    page.goto(f"/n/{network.slug}/forum/t/{post.topic_id}/reply")
    expect(page.get_by_label("Message", exact=True)).to_have_value("Chez nous, 5 Go suffisent")
    page.get_by_role("button", name="Publier la réponse").click()
    expect(page).to_have_url(re.compile(r"#post-2$"))
    expect(page.get_by_label("Message", exact=True)).to_have_value("")
    assert page.evaluate("Object.keys(localStorage).length") == 0


def _send_image(page: Page, event: str) -> None:
    """Drop (or paste) a PNG made in the page from bytes onto the reply's text area."""
    page.get_by_label("Message", exact=True).evaluate("""(area, [data, kind]) => {
        const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], 'schema_reseau.png', {type: 'image/png'}));
        area.focus();
        if (kind === 'drop') {
          area.dispatchEvent(new DragEvent('dragover', {dataTransfer: transfer, bubbles: true,
                                                        cancelable: true}));
          area.dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true,
                                                    cancelable: true}));
        } else {
          area.dispatchEvent(new ClipboardEvent('paste', {clipboardData: transfer,
                                                          bubbles: true, cancelable: true}));
        }
    }""", [base64.b64encode(png_bytes()).decode(), event])


@pytest.mark.parametrize("event", ["drop", "paste"])
def test_an_image_dropped_or_pasted_into_the_editor(open_page, scene, event):
    network, post, sophie, julien, claire = scene
    page = open_page()
    sign_in(page, julien.email)
    _topic(page, network, post)
    reply = page.get_by_label("Message", exact=True)
    reply.fill("Le schéma :\n")
    reply.press("Control+End")
    _send_image(page, event)
    expect(reply).to_have_value(re.compile(
        r"^Le schéma :\n!\[Schema reseau\]\(/n/[\w-]+/documents/\d+/preview\)\n$"))
    page.get_by_role("button", name="Publier la réponse").click()
    image = page.get_by_role("article", name="Julien Moreau").get_by_role(
        "img", name="Schema reseau")
    expect(image).to_be_visible()
    assert image.evaluate("(img) => img.naturalWidth") == 40


def test_a_refused_file_says_why(open_page, scene):
    network, post, sophie, julien, claire = scene
    page = open_page()
    sign_in(page, julien.email)
    _topic(page, network, post)
    page.get_by_label("Message", exact=True).evaluate("""(area) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File(['MZ not a picture'], 'photo.png', {type: 'image/png'}));
        area.dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true,
                                                  cancelable: true}));
    }""")
    expect(page.locator(".editor-status")).to_contain_text("photo.png")
    expect(page.get_by_label("Message", exact=True)).to_have_value("\n")


def test_new_replies_and_the_bell_without_reload(open_page, scene):
    network, post, sophie, julien, claire = scene
    page = open_page()
    sign_in(page, julien.email)
    asked = []
    page.on("response", lambda r: asked.append(r.status) if "/state" in r.url else None)
    _topic(page, network, post)
    page.wait_for_timeout(2500)  # a few polls of an unchanged topic
    assert 304 in asked
    expect(page.locator(".new-replies")).to_be_empty()

    topic = db.session.get(Topic, post.topic_id)
    reply = forums.reply(sophie, topic, "Deux nouveautés")
    notify("mention", [julien.id], network=network, actor=sophie, target_type="forum_post",
           target_id=reply.id)
    db.session.commit()
    notice = page.get_by_role("status").filter(has_text="nouvelle réponse")
    expect(notice).to_have_text("Une nouvelle réponseAfficher")
    bell = page.locator(".notification-bell")
    expect(bell).to_have_attribute("aria-label", "Notifications : 1 à lire")
    expect(bell.locator(".badge")).to_have_text("1")
    check_accessibility(page)
    notice.get_by_role("link", name="Afficher").click()
    expect(page).to_have_url(re.compile(r"#post-2$"))
