"""A reply written in Zimbra, read on the site: the post says it came by e-mail and shows
its image; the administrator sees what the mailbox received."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility, sign_in, sign_out
from tests.mailin.conftest import Mailbox, imap_settings, topic_of  # noqa: F401 - fixtures
from tests.mailin.messages import plain_reply, png_bytes, reply_to, zimbra_reply

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(app_config, imap_settings):  # noqa: F811 - the browser's settings, plus IMAP
    return {**app_config, **imap_settings}


def test_a_reply_by_email_read_on_the_site(page: Page, live_server, topic_of, make_user):  # noqa: F811
    network, topic, alice, bob, *_ = topic_of
    mailbox = Mailbox()
    mailbox.empty()
    reply = zimbra_reply("Alice Martin <alice@coulaines.test>", reply_to(alice, topic))
    reply.add_attachment(png_bytes(), maintype="image", subtype="png", filename="écran.png")
    mailbox.deliver(reply)
    mailbox.deliver(plain_reply("Alice <alice@evil.test>", reply_to(alice, topic)))
    mailbox.poll()
    mailbox.empty()

    sign_in(page, bob.email)
    page.goto(f"/n/{network.slug}/forum/t/{topic.id}")
    post = page.locator("#post-2")
    expect(post.get_by_text("envoyé par e-mail")).to_be_visible()
    expect(post.locator("strong", has_text="Coulaines")).to_be_visible()
    expect(post.locator("img.attachment-image")).to_be_visible()
    check_accessibility(page)
    page.screenshot(path="test-artifacts/mailin-topic.png", full_page=True)
    sign_out(page)

    admin = make_user(is_admin=True)
    sign_in(page, admin.email)
    page.goto("/admin/mail-received/")
    expect(page.get_by_role("cell", name="alice@evil.test")).to_be_visible()
    expect(page.get_by_text("l'expéditeur n'est pas le destinataire")).to_be_visible()
    check_accessibility(page)
    page.screenshot(path="test-artifacts/mailin-admin.png", full_page=True)
