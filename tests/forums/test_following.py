"""Following: writing in a topic follows it; new posts e-mail the followers of the topic and
of its category, never the author nor someone who has left the network; every e-mail can be
unsubscribed from in one click (RFC 8058)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.conftest import text_of
from tests.forums.helpers import forum_url, start_topic
from workspace.extensions import db
from workspace.forums.models import Topic
from workspace.networks import service as networks
from workspace.networks.models import Membership
from workspace.notifications.models import Follow


def _follows(user, topic_id=None, category_id=None) -> bool:
    query = select(Follow.id).where(Follow.user_id == user.id)
    if topic_id:
        query = query.where(Follow.target_type == "topic", Follow.target_id == topic_id)
    else:
        query = query.where(Follow.target_type == "category", Follow.target_id == category_id)
    return db.session.scalar(query) is not None


def _new_post_mails(mailbox, address: str) -> list:
    return [m for m in mailbox.to(address) if "mentionné" not in m["Subject"]]


def _unsubscribe_path(message) -> str:
    header = message["List-Unsubscribe"]
    match = re.fullmatch(r"<http://tilt\.test(/notifications/unsubscribe/[^>]+)>", str(header))
    assert match, header
    return match.group(1)


def test_writing_follows_the_topic(forum, signed_in):
    network, category, alice, bob, *_ = forum
    response = signed_in(alice).post(forum_url(network, f"/c/{category.id}/new"),
                                     data={"title": "Sauvegardes", "body": "Quel outil ?"})
    assert response.status_code == 302
    topic = db.session.scalar(select(Topic))
    assert _follows(alice, topic.id) and not _follows(bob, topic.id)
    bob_client = signed_in(bob)
    assert "Suivre ce sujet" in text_of(bob_client.get(forum_url(network, f"/t/{topic.id}")))
    bob_client.post(forum_url(network, f"/t/{topic.id}/reply"), data={"body": "Veeam."})
    assert _follows(bob, topic.id)
    assert "Ne plus suivre" in text_of(bob_client.get(forum_url(network, f"/t/{topic.id}")))


def test_new_post_mails_topic_and_category_followers_never_the_author(forum, signed_in,
                                                                      mailbox):
    network, category, alice, bob, coordinator, outsider = forum
    signed_in(coordinator).post(forum_url(network, f"/c/{category.id}/follow"),
                                data={"follow": "1"})
    assert _follows(coordinator, category_id=category.id)
    first = start_topic(alice, category, title="Imprimantes réseau")
    assert [m["Subject"] for m in mailbox.to(coordinator.email)] == [
        "[Réseau informatique] Imprimantes réseau"]  # the category's followers hear of it
    assert mailbox.to(alice.email) == []
    mailbox.clear()
    response = signed_in(bob).post(forum_url(network, f"/t/{first.topic_id}/reply"),
                                   data={"body": "Chez nous, des Ricoh."})
    assert response.status_code == 302
    to_alice = mailbox.to(alice.email)
    to_coordinator = mailbox.to(coordinator.email)
    assert len(to_alice) == 1 and len(to_coordinator) == 1
    assert mailbox.to(bob.email) == [] and mailbox.to(outsider.email) == []
    assert "Chez nous, des Ricoh." in to_alice[0].get_body(("plain",)).get_content()
    mailbox.clear()
    signed_in(alice).post(forum_url(network, f"/t/{first.topic_id}/reply"),
                          data={"body": "Merci !"})
    assert mailbox.to(alice.email) == []  # her own post
    assert len(mailbox.to(bob.email)) == 1 and len(mailbox.to(coordinator.email)) == 1


def test_following_topic_and_category_sends_one_email(forum, signed_in, mailbox):
    network, category, alice, bob, *_ = forum
    first = start_topic(alice, category)
    bob_client = signed_in(bob)
    bob_client.post(forum_url(network, f"/c/{category.id}/follow"), data={"follow": "1"})
    bob_client.post(forum_url(network, f"/t/{first.topic_id}/follow"), data={"follow": "1"})
    mailbox.clear()
    signed_in(alice).post(forum_url(network, f"/t/{first.topic_id}/reply"),
                          data={"body": "Une précision."})
    assert len(mailbox.to(bob.email)) == 1


def test_email_has_one_click_unsubscribe_headers(forum, signed_in, mailbox):
    network, category, alice, bob, *_ = forum
    first = start_topic(alice, category)
    mailbox.clear()
    signed_in(bob).post(forum_url(network, f"/t/{first.topic_id}/reply"), data={"body": "Oui"})
    [message] = mailbox.to(alice.email)
    path = _unsubscribe_path(message)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"http://tilt.test{path}" in message.get_body(("plain",)).get_content()


def test_unsubscribe_link_works_without_signing_in(app, forum, signed_in, mailbox):
    network, category, alice, bob, *_ = forum
    first = start_topic(alice, category, title="Pare-feu")
    mailbox.clear()
    signed_in(bob).post(forum_url(network, f"/t/{first.topic_id}/reply"), data={"body": "Oui"})
    path = _unsubscribe_path(mailbox.to(alice.email)[0])
    anonymous = app.test_client()
    page = anonymous.get(path)
    assert page.status_code == 200
    assert "Ne plus recevoir d'e-mail" in text_of(page) and "Pare-feu" in text_of(page)
    assert _follows(alice, first.topic_id)
    response = anonymous.post(path)
    assert response.status_code == 200 and "ne recevrez plus" in text_of(response)
    assert not _follows(alice, first.topic_id)
    mailbox.clear()
    signed_in(bob).post(forum_url(network, f"/t/{first.topic_id}/reply"), data={"body": "Re"})
    assert mailbox.to(alice.email) == []


def test_one_click_post_from_a_mail_client_needs_no_csrf_token(app, forum, signed_in,
                                                                mailbox):
    network, category, alice, bob, *_ = forum
    first = start_topic(alice, category)
    mailbox.clear()
    signed_in(bob).post(forum_url(network, f"/t/{first.topic_id}/reply"), data={"body": "Oui"})
    path = _unsubscribe_path(mailbox.to(alice.email)[0])
    app.config["WTF_CSRF_ENABLED"] = True
    mail_client = app.test_client()
    refused = mail_client.post(forum_url(network, f"/t/{first.topic_id}/follow"),
                               data={"follow": "0"})
    assert refused.status_code == 400  # CSRF is on for ordinary forms
    assert _follows(alice, first.topic_id)
    response = mail_client.post(path, data=b"List-Unsubscribe=One-Click",
                                content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert not _follows(alice, first.topic_id)


def test_category_unsubscribe_link(app, forum, signed_in, mailbox):
    network, category, alice, bob, *_ = forum
    signed_in(bob).post(forum_url(network, f"/c/{category.id}/follow"), data={"follow": "1"})
    start_topic(alice, category)
    [message] = mailbox.to(bob.email)
    response = app.test_client().post(_unsubscribe_path(message))
    assert response.status_code == 200
    assert not _follows(bob, category_id=category.id)


@pytest.mark.parametrize("follows", ["topic", "category"])
def test_no_email_after_leaving_the_private_network(forum, signed_in, mailbox, follows):
    network, category, alice, bob, coordinator, _ = forum
    first = start_topic(alice, category)
    bob_client = signed_in(bob)
    if follows == "topic":
        bob_client.post(forum_url(network, f"/t/{first.topic_id}/reply"), data={"body": "Moi"})
    else:
        bob_client.post(forum_url(network, f"/c/{category.id}/follow"), data={"follow": "1"})
    mailbox.clear()
    membership = db.session.scalar(select(Membership).where(
        Membership.network_id == network.id, Membership.user_id == bob.id))
    networks.remove_member(coordinator, membership)
    db.session.commit()
    signed_in(alice).post(forum_url(network, f"/t/{first.topic_id}/reply"),
                          data={"body": f"Toujours là @{bob.handle} ?"})
    assert mailbox.to(bob.email) == []


def test_no_email_for_a_post_written_before_leaving_but_sent_after(forum, signed_in, mailbox):
    """E-mails are decided when the job runs: leaving in between is enough."""
    network, category, alice, bob, coordinator, _ = forum
    first = start_topic(alice, category)
    signed_in(bob).post(forum_url(network, f"/t/{first.topic_id}/reply"), data={"body": "Moi"})
    mailbox.clear()
    signed_in(alice).post(forum_url(network, f"/t/{first.topic_id}/reply"),
                          data={"body": "Message en attente d'envoi"})
    membership = db.session.scalar(select(Membership).where(
        Membership.network_id == network.id, Membership.user_id == bob.id))
    networks.remove_member(coordinator, membership)
    db.session.commit()
    assert mailbox.to(bob.email) == []
