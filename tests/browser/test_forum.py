"""The forum of a network through the real UI: a Markdown topic written with the toolbar and
its preview, a quoted reply that mentions a third member, the e-mails that follow, and the
unread marks of the topic's author.

Every page visited is checked with axe-core (serious and critical violations fail the test).
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.browser.helpers import AccessibilityAudit, body_of, network_tab, open_calm_page
from workspace.extensions import db
from workspace.forums import service as forums
from workspace.notifications.kinds import IMMEDIATE
from workspace.notifications.service import set_preference

pytestmark = pytest.mark.browser

TITLE = "Zimbra : quota des boîtes partagées ?"
BODY = ("Bonjour à tous,\n\nNous passons les boîtes partagées à **10 Go**. Et vous ?\n\n"
        "- Allonnes : 5 Go\n- Coulaines : 2 Go")
MENTION_SUBJECT = "vous a mentionné"


def open_category(page: Page, slug: str, name: str, audit: AccessibilityAudit) -> None:
    """From the network's page: the "Forum" tab, then the category."""
    page.goto(f"/n/{slug}/")
    network_tab(page, "Forum").click()
    expect(page.get_by_role("heading", level=2, name="Forum")).to_be_visible()
    audit.check(page)
    page.get_by_role("table", name="Catégories du forum").get_by_role(
        "link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=2, name=name)).to_be_visible()
    audit.check(page)


def test_markdown_topic_quoted_reply_mention_and_unread(open_page, make_user, make_network,
                                                        make_organisation, mailbox):
    allonnes = make_organisation("Allonnes")
    coulaines = make_organisation("Coulaines")
    sarge = make_organisation("Sargé-lès-le-Mans")
    coordinator = make_user(first_name="Claire", last_name="Martin", organisation=allonnes)
    sophie = make_user(first_name="Sophie", last_name="Lambert", organisation=allonnes,
                       email="sophie.lambert@allonnes.fr")
    julien = make_user(first_name="Julien", last_name="Moreau", organisation=coulaines,
                       email="julien.moreau@coulaines.fr")
    camille = make_user(first_name="Camille", last_name="Durand", organisation=sarge,
                        email="camille.durand@sarge.fr")
    network = make_network("Informatique", members=[sophie, julien, camille],
                           coordinators=[coordinator])
    forums.save_category(coordinator, network, None, name="Messagerie",
                         description="Zimbra, listes de diffusion, boîtes partagées.")
    for person in (sophie, julien, camille):  # forum posts: daily digest unless chosen so
        set_preference(person, "forum_post", IMMEDIATE)
    db.session.commit()
    slug, handle = network.slug, camille.handle
    assert handle == "camille.durand"
    sophie_handle = sophie.handle
    audit = AccessibilityAudit()

    # --- Sophie writes the topic, with the toolbar's bold button and the live preview ---
    a = open_calm_page(open_page)
    sign_in(a, sophie.email)
    open_category(a, slug, "Messagerie", audit)
    a.get_by_role("link", name="Nouveau sujet").click()
    expect(a.get_by_role("heading", level=2)).to_have_text(
        "Nouveau sujet dans « Messagerie »")
    audit.check(a)

    a.get_by_label("Titre du sujet").fill(TITLE)
    body = a.get_by_label("Message", exact=True)
    body.fill("Bonjour à tous,\n\nNous passons les boîtes partagées à ")
    body.press("Control+End")
    toolbar = a.get_by_role("toolbar", name="Mise en forme")
    toolbar.get_by_role("button", name="Gras").click()  # "****", the caret in the middle
    expect(body).to_be_focused()
    a.keyboard.type("10 Go")
    body.press("End")  # past the closing "**"
    a.keyboard.type(". Et vous ?\n\n- Allonnes : 5 Go\n- Coulaines : 2 Go")
    expect(body).to_have_value(BODY)

    toolbar.get_by_role("button", name="Aperçu").click()
    preview = a.locator(".editor-preview")
    expect(preview).to_be_visible()
    expect(preview.locator("strong")).to_have_text("10 Go")
    expect(preview.get_by_role("listitem")).to_have_text(["Allonnes : 5 Go",
                                                          "Coulaines : 2 Go"])
    audit.check(a)

    a.get_by_role("button", name="Publier le sujet").click()
    expect(a).to_have_url(re.compile(r"/forum/t/\d+\?page=1#post-1$"))
    expect(a.get_by_role("heading", level=2)).to_have_text(TITLE)
    first_post = a.get_by_role("article", name="Sophie Lambert")
    expect(first_post.locator(".post-body strong")).to_have_text("10 Go")
    expect(first_post.locator(".post-body li")).to_have_count(2)
    expect(first_post.locator(".post-body")).not_to_contain_text("**")
    # the author follows the topic she opened
    expect(a.get_by_role("button", name="Ne plus suivre")).to_be_visible()
    audit.check(a)
    mailbox.clear()  # nothing is sent for the topic itself: only Sophie follows it

    # --- Julien quotes Sophie's post and mentions Camille ---
    b = open_calm_page(open_page)
    sign_in(b, julien.email)
    open_category(b, slug, "Messagerie", audit)
    b.get_by_role("table", name="Sujets de la catégorie").get_by_role(
        "link", name=TITLE, exact=True).click()
    expect(b.get_by_role("heading", level=2)).to_have_text(TITLE)
    audit.check(b)
    b.get_by_role("article", name="Sophie Lambert").get_by_role(
        "link", name="Citer le message n° 1").click()
    expect(b.get_by_role("heading", level=2)).to_have_text(f"Répondre à « {TITLE} »")
    reply = b.get_by_label("Message", exact=True)
    quote = (f"@{sophie_handle} :\n> Bonjour à tous,\n>\n"
             "> Nous passons les boîtes partagées à **10 Go**. Et vous ?\n>\n"
             "> - Allonnes : 5 Go\n> - Coulaines : 2 Go\n\n")
    expect(reply).to_have_value(quote)
    audit.check(b)
    reply.focus()
    reply.press("Control+End")
    b.keyboard.type(f"@{handle} qu'en penses-tu ?")
    expect(reply).to_have_value(quote + f"@{handle} qu'en penses-tu ?")
    b.get_by_role("button", name="Publier la réponse").click()

    expect(b).to_have_url(re.compile(r"/forum/t/\d+\?page=1#post-2$"))
    answer = b.get_by_role("article", name="Julien Moreau")
    expect(answer.locator(".post-body blockquote strong")).to_have_text("10 Go")
    expect(answer.locator(".post-body")).to_contain_text(f"@{handle} qu'en penses-tu ?")
    audit.check(b)

    # --- the e-mails: Camille is mentioned once, Sophie hears of the reply once, Julien
    # gets nothing about his own post ---
    messages = mailbox.deliver()
    to_camille = [m for m in mailbox.to(camille.email) if MENTION_SUBJECT in m["Subject"]]
    assert len(to_camille) == 1, [m["Subject"] for m in messages]
    assert to_camille[0]["Subject"] == f"Julien Moreau vous a mentionné dans « {TITLE} »"
    assert len(mailbox.to(camille.email)) == 1  # no new-post e-mail on top of it
    mention_text = body_of(to_camille[0])
    assert f"@{handle} qu'en penses-tu ?" in mention_text
    link = re.search(r"http://tilt\.test/\S+", mention_text)
    assert link is not None and re.search(r"/n/informatique/forum/p/\d+$", link.group())

    # Sophie follows the topic, and the quote's first line "@sophie.lambert :" names her
    # too: the application sends one e-mail per person and post, the mention taking the
    # place of the new-post e-mail (see send_new_post in workspace/forums/notify.py)
    to_sophie = mailbox.to(sophie.email)
    assert len(to_sophie) == 1, [m["Subject"] for m in to_sophie]
    assert to_sophie[0]["Subject"] == f"Julien Moreau vous a mentionné dans « {TITLE} »"
    assert TITLE in body_of(to_sophie[0])

    assert mailbox.to(julien.email) == []

    # --- Sophie's unread marks: "1 nouveau" in the list, then the first unread post ---
    open_category(a, slug, "Messagerie", audit)
    topics = a.get_by_role("table", name="Sujets de la catégorie")
    badge = topics.get_by_role("link", name=re.compile(r"^1 nouveau\b"))
    expect(badge).to_be_visible()
    expect(badge).to_contain_text("1 nouveau")
    topics.get_by_role("link", name=TITLE, exact=True).click()
    expect(a.get_by_role("heading", level=2)).to_have_text(TITLE)
    audit.check(a)
    a.get_by_role("link", name="Premier message non lu").click()
    expect(a).to_have_url(re.compile(r"/forum/t/\d+\?page=1#post-2$"))
    expect(a.get_by_role("article", name="Julien Moreau")).to_be_in_viewport()
    audit.check(a)

    # --- Camille follows the link of her e-mail and answers without quoting: now the
    # followers (Sophie, who opened the topic, and Julien, who replied) get the new-post
    # e-mail, once each, and Camille nothing about her own post ---
    mailbox.clear()
    c = open_calm_page(open_page)
    sign_in(c, camille.email)
    c.goto(urlsplit(link.group()).path)
    expect(c).to_have_url(re.compile(r"/forum/t/\d+\?page=1#post-2$"))
    expect(c.get_by_role("article", name="Julien Moreau")).to_contain_text(
        f"@{handle} qu'en penses-tu ?")
    audit.check(c)
    reply_section = c.get_by_role("region", name="Répondre")
    reply_section.get_by_label("Message", exact=True).fill("Chez nous, 5 Go suffisent.")
    reply_section.get_by_role("button", name="Publier la réponse").click()
    expect(c).to_have_url(re.compile(r"/forum/t/\d+\?page=1#post-3$"))
    expect(c.get_by_role("article", name="Camille Durand")).to_contain_text(
        "Chez nous, 5 Go suffisent.")
    audit.check(c)
    for follower in (sophie, julien):
        [new_post] = mailbox.to(follower.email)
        assert new_post["Subject"] == f"[Informatique] {TITLE}"
        text = body_of(new_post)
        assert "Camille Durand a écrit dans" in text and "Chez nous, 5 Go suffisent." in text
        assert "Vous recevez ce message parce que vous suivez ce sujet." in text
        assert new_post["List-Unsubscribe"]
    assert mailbox.to(camille.email) == []

    audit.finish()
