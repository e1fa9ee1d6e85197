"""Quoting a post: the reply form starts with the post as "> " lines and a mention of its
author; only visible posts of the same topic can be quoted."""
from __future__ import annotations

from sqlalchemy import select

from tests.forums.helpers import add_replies, forum_url, start_topic, textarea_value
from workspace.extensions import db
from workspace.forums import service
from workspace.forums.models import Post

BODY = "Nous utilisons **Zimbra** 10.\n\nLe quota :\n- 2 Go par boîte\n- 10 Go partagées"


def test_quote_prefills_the_reply_form(forum, signed_in, mailbox):
    network, category, alice, bob, *_ = forum
    first = start_topic(alice, category, body=BODY)
    client = signed_in(bob)
    response = client.get(forum_url(network, f"/t/{first.topic_id}/reply?quote={first.id}"))
    assert response.status_code == 200
    body = textarea_value(response.get_data(as_text=True))
    assert body.startswith(f"@{alice.handle}")
    quoted = [line for line in body.splitlines()[1:] if line.strip()]
    assert quoted == ["> Nous utilisons **Zimbra** 10.", ">", "> Le quota :",
                      "> - 2 Go par boîte", "> - 10 Go partagées"]
    # sending it as is: a blockquote, and Alice hears of it once
    mailbox.clear()
    client.post(forum_url(network, f"/t/{first.topic_id}/reply"),
                data={"body": body + "Pareil chez nous."})
    reply = db.session.scalar(select(Post).where(Post.number == 2))
    assert "<blockquote>" in reply.body_html and "<strong>Zimbra</strong>" in reply.body_html
    assert len(mailbox.to(alice.email)) == 1


def test_quote_button_on_the_topic_page(forum, signed_in):
    network, category, alice, bob, *_ = forum
    first = start_topic(alice, category)
    page = signed_in(bob).get(forum_url(network, f"/t/{first.topic_id}")).get_data(as_text=True)
    assert f"/t/{first.topic_id}/reply?quote={first.id}" in page


def test_quote_of_another_topics_post_is_404(forum, signed_in):
    network, category, alice, bob, *_ = forum
    first = start_topic(alice, category)
    other = start_topic(bob, category, title="Autre sujet", body="Ailleurs")
    response = signed_in(bob).get(forum_url(network, f"/t/{first.topic_id}/reply?quote={other.id}"))
    assert response.status_code == 404


def test_quote_of_a_deleted_post_is_404(forum, signed_in):
    network, category, alice, bob, coordinator, _ = forum
    first = start_topic(alice, category)
    [answer] = add_replies(first.topic, [bob], 1, body="Effacé {n}")
    service.delete_post(bob, answer)
    db.session.commit()
    for user in (alice, coordinator):
        response = signed_in(user).get(
            forum_url(network, f"/t/{first.topic_id}/reply?quote={answer.id}"))
        assert response.status_code == 404
