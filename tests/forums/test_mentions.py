"""@mentions: one e-mail per person and post, whatever the edits and follows; only members
of the network are ever notified."""
from __future__ import annotations

from sqlalchemy import select

from tests.forums.helpers import forum_url, start_topic
from workspace.extensions import db
from workspace.forums.models import Post


def _mentions(mailbox, address: str) -> list:
    return [m for m in mailbox.to(address) if "mentionné" in m["Subject"]]


def _edit(client, network, post_id: int, body: str):
    post = db.session.get(Post, post_id)
    response = client.post(forum_url(network, f"/p/{post_id}/edit"),
                           data={"body": body, "revision": post.revision})
    assert response.status_code == 302
    return response


def test_mention_sends_one_email_despite_edits_and_following(forum, signed_in, mailbox):
    network, category, alice, bob, coordinator, _ = forum
    first = start_topic(alice, category)  # Alice follows the topic she opened
    mailbox.clear()
    bob_client = signed_in(bob)
    response = bob_client.post(forum_url(network, f"/t/{first.topic_id}/reply"),
                               data={"body": f"@{alice.handle} as-tu vu le quota ?"})
    assert response.status_code == 302
    reply = db.session.scalar(select(Post).where(Post.number == 2))
    _edit(bob_client, network, reply.id, f"@{alice.handle} as-tu vu le quota de 2 Go ?")
    _edit(bob_client, network, reply.id, f"Re @{alice.handle} : quota de 5 Go finalement.")
    messages = mailbox.to(alice.email)
    assert len(messages) == 1, [m["Subject"] for m in messages]
    assert "mentionné" in messages[0]["Subject"]
    assert "Bob Durand" in messages[0]["Subject"]
    assert mailbox.to(bob.email) == []


def test_mention_in_a_new_topic_notifies_once(forum, signed_in, mailbox):
    network, category, alice, bob, coordinator, _ = forum
    response = signed_in(alice).post(forum_url(network, f"/c/{category.id}/new"), data={
        "title": "Besoin d'aide", "body": f"@{bob.handle} et @{bob.handle}, une idée ?"})
    assert response.status_code == 302
    assert len(_mentions(mailbox, bob.email)) == 1
    assert len(mailbox.to(bob.email)) == 1


def test_mentioning_a_non_member_sends_nothing(forum, signed_in, mailbox, make_user):
    network, category, alice, bob, coordinator, outsider = forum
    nobody = make_user(first_name="Nadia", last_name="Sansreseau")
    first = start_topic(alice, category)
    mailbox.clear()
    response = signed_in(bob).post(forum_url(network, f"/t/{first.topic_id}/reply"), data={
        "body": f"@{outsider.handle} et @{nobody.handle} : vous en pensez quoi ?"})
    assert response.status_code == 302
    assert mailbox.to(outsider.email) == []
    assert mailbox.to(nobody.email) == []


def test_edit_adding_a_mention_notifies_the_new_person_once(forum, signed_in, mailbox):
    network, category, alice, bob, coordinator, _ = forum
    first = start_topic(alice, category, body="Qui gère les licences ?")
    mailbox.clear()
    alice_client = signed_in(alice)
    _edit(alice_client, network, first.id, f"Qui gère les licences ? @{coordinator.handle}")
    _edit(alice_client, network, first.id, f"Qui gère les licences ? @{coordinator.handle} ?")
    assert len(_mentions(mailbox, coordinator.email)) == 1


def test_self_mention_sends_nothing(forum, signed_in, mailbox):
    network, category, alice, *_ = forum
    response = signed_in(alice).post(forum_url(network, f"/c/{category.id}/new"), data={
        "title": "Note", "body": f"Rappel pour @{alice.handle}"})
    assert response.status_code == 302
    assert mailbox.to(alice.email) == []


def test_mention_is_not_matched_inside_an_email_address(forum, signed_in, mailbox):
    network, category, alice, bob, *_ = forum
    response = signed_in(alice).post(forum_url(network, f"/c/{category.id}/new"), data={
        "title": "Contact", "body": f"Écrivez à support@{bob.handle}.fr"})
    assert response.status_code == 302
    assert mailbox.to(bob.email) == []
