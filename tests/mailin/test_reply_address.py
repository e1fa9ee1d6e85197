"""Forum e-mails carry a Reply-To address signed for their recipient and topic, only when
the feature is configured."""
from __future__ import annotations

from email.utils import parseaddr

from workspace.extensions import db
from workspace.forums import service as forums
from workspace.mailin.tokens import read_token
from workspace.notifications.kinds import IMMEDIATE
from workspace.notifications.service import set_preference


def _new_post_mail(topic_of, mailbox):
    network, topic, alice, bob, *_ = topic_of
    forums.reply(alice, topic, "Je suis intéressée.")  # alice now follows the topic
    set_preference(alice, "forum_post", IMMEDIATE)
    db.session.commit()
    mailbox.clear()
    forums.reply(bob, topic, "Moi aussi.")
    db.session.commit()
    (message,) = mailbox.to("alice@coulaines.test")
    return message


def test_a_forum_email_carries_the_recipients_reply_address(app_with_mailin, topic_of,
                                                            mailbox):
    network, topic, alice, *_ = topic_of
    message = _new_post_mail(topic_of, mailbox)
    address = parseaddr(message["Reply-To"])[1]
    local, domain = address.split("@")
    assert domain == "lemans.test" and local.startswith("tilt+")
    assert read_token(local.removeprefix("tilt+")) == (alice.id, topic.id)


def test_no_reply_address_when_the_feature_is_off(app, make_user, make_network, mailbox):
    assert not app.config["MAILIN_IMAP_HOST"]
    alice = make_user(email="alice@coulaines.test")
    bob = make_user()
    coordinator = make_user()
    network = make_network(members=[alice, bob], coordinators=[coordinator])
    category = forums.save_category(coordinator, network, None, name="Général")
    topic = forums.create_topic(coordinator, category, "Sujet", "Texte").topic
    message = _new_post_mail((network, topic, alice, bob), mailbox)
    assert message["Reply-To"] is None


def test_each_forum_entry_of_a_digest_gives_its_reply_address(app_with_mailin, topic_of,
                                                              mailbox):
    from workspace.notifications.delivery import send_digests
    from workspace.notifications.kinds import DAILY

    network, topic, alice, bob, *_ = topic_of
    forums.reply(alice, topic, "Je suis intéressée.")
    set_preference(alice, "forum_post", DAILY)
    db.session.commit()
    forums.reply(bob, topic, "Moi aussi.")
    db.session.commit()
    mailbox.clear()
    send_digests(DAILY)
    db.session.commit()
    (digest,) = mailbox.to("alice@coulaines.test")
    text = digest.get_body(("plain",)).get_content()
    line = next(line for line in text.splitlines() if "Répondre par e-mail" in line)
    local = line.rsplit(" ", 1)[1].split("@")[0]
    assert read_token(local.removeprefix("tilt+")) == (alice.id, topic.id)
