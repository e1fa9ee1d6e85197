"""A whole conversation through the pages: topic, reply with quote and mention, edit."""
import re

from sqlalchemy import select

from tests.conftest import text_of
from workspace.extensions import db
from workspace.forums.models import Post, Topic


def test_topic_reply_quote_mention_edit(app, client, login, forum, mailbox):
    network, category, alice, bob, coordinator, _ = forum
    login(client, alice)
    base = f"/n/{network.slug}/forum"
    assert client.get(f"{base}/").status_code == 200
    response = client.post(f"{base}/c/{category.id}/new", data={
        "title": "Zimbra : quota des boîtes partagées ?",
        "body": "Quel **quota** mettez-vous sur les boîtes partagées ?"})
    assert response.status_code == 302
    topic = db.session.scalar(select(Topic))
    page = text_of(client.get(f"{base}/t/{topic.id}"))
    assert "<strong>quota</strong>" in page
    bob_client = app.test_client()
    login(bob_client, bob)
    quote_form = text_of(bob_client.get(f"{base}/t/{topic.id}/reply?quote=1"))
    assert "&gt; Quel **quota**" in quote_form or "> Quel **quota**" in quote_form
    first = db.session.scalar(select(Post).where(Post.number == 1))
    response = bob_client.post(f"{base}/t/{topic.id}/reply", data={
        "body": f"> Quel quota ?\n\n2 Go chez nous. @{coordinator.handle} tu confirmes ?"})
    assert response.status_code == 302
    messages = mailbox.to(coordinator.email)
    assert len(messages) == 1 and "mentionné" in messages[0]["Subject"]
    assert len(mailbox.to(alice.email)) == 1  # she follows the topic she opened
    reply = db.session.scalar(select(Post).where(Post.number == 2))
    response = bob_client.post(f"{base}/p/{reply.id}/edit", data={
        "body": reply.body + "\n\nEdit : 5 Go.", "revision": reply.revision})
    assert response.status_code == 302
    page = text_of(client.get(f"{base}/t/{topic.id}"))
    assert "modifié" in page and "5 Go" in page
    assert first.id
    assert re.search(r"id=\"post-2\"", page)
