"""Edits: two people editing the same post at once do not overwrite each other; every edit
keeps the previous text, shown as "modifié" with a history page."""
from __future__ import annotations

import html
import re

from sqlalchemy import select

from tests.conftest import text_of
from tests.forums.helpers import forum_url, start_topic, textarea_value
from workspace.extensions import db
from workspace.forums.models import Post, PostEdit

CONFLICT = "modifié par quelqu'un d'autre pendant que vous l'éditiez"


def _revision_in(page: str) -> str:
    match = re.search(r'<input[^>]*name="revision"[^>]*>', page)
    assert match, "no revision field in the form"
    return html.unescape(re.search(r'value="([^"]*)"', match.group(0)).group(1))


def test_concurrent_edit_is_refused_and_nothing_is_lost(forum, signed_in):
    network, category, alice, bob, coordinator, _ = forum
    post = start_topic(alice, category, body="Texte d'origine")
    edit_url = forum_url(network, f"/p/{post.id}/edit")
    alice_client, coordinator_client = signed_in(alice), signed_in(coordinator)
    alice_form = alice_client.get(edit_url).get_data(as_text=True)
    coordinator_form = coordinator_client.get(edit_url).get_data(as_text=True)
    assert _revision_in(alice_form) == _revision_in(coordinator_form) == "1"
    assert textarea_value(alice_form) == "Texte d'origine"

    response = alice_client.post(edit_url, data={"body": "Version d'Alice",
                                                 "revision": _revision_in(alice_form)})
    assert response.status_code == 302
    response = coordinator_client.post(edit_url, data={
        "body": "Version de Claire", "revision": _revision_in(coordinator_form)})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert CONFLICT in text_of(response)
    assert textarea_value(page) == "Version de Claire"  # her text is still in the form
    assert "Version d'Alice" in text_of(response)  # and she sees what was saved
    stored = db.session.get(Post, post.id)
    assert stored.body == "Version d'Alice" and stored.revision == 2
    edits = db.session.scalars(select(PostEdit).where(PostEdit.post_id == post.id)).all()
    assert [(e.previous_body, e.editor_id) for e in edits] == [("Texte d'origine", alice.id)]

    # saving again from the conflict form, knowingly, goes through
    response = coordinator_client.post(edit_url, data={"body": "Version de Claire",
                                                       "revision": _revision_in(page)})
    assert response.status_code == 302
    stored = db.session.get(Post, post.id)
    assert stored.body == "Version de Claire" and stored.edited_by_id == coordinator.id
    assert sorted(db.session.scalars(select(PostEdit.previous_body).where(
        PostEdit.post_id == post.id))) == ["Texte d'origine", "Version d'Alice"]


def test_edit_shows_modified_and_history(forum, signed_in):
    network, category, alice, bob, *_ = forum
    post = start_topic(alice, category, body="Première rédaction")
    client = signed_in(alice)
    page = text_of(client.get(forum_url(network, f"/t/{post.topic_id}")))
    assert "modifié" not in page
    client.post(forum_url(network, f"/p/{post.id}/edit"),
                data={"body": "Seconde rédaction", "revision": 1})
    bob_client = signed_in(bob)
    page = bob_client.get(forum_url(network, f"/t/{post.topic_id}")).get_data(as_text=True)
    assert "modifié" in page and "Seconde rédaction" in page
    assert forum_url(network, f"/p/{post.id}/history") in page
    history = bob_client.get(forum_url(network, f"/p/{post.id}/history"))
    assert history.status_code == 200
    assert "Première rédaction" in text_of(history)


def test_saving_an_unchanged_text_records_no_edit(forum, signed_in):
    network, category, alice, *_ = forum
    post = start_topic(alice, category, body="Rien à changer")
    response = signed_in(alice).post(forum_url(network, f"/p/{post.id}/edit"),
                                     data={"body": "Rien à changer", "revision": 1})
    assert response.status_code == 302
    stored = db.session.get(Post, post.id)
    assert stored.edited_at is None and stored.revision == 1
    assert db.session.scalar(select(PostEdit.id)) is None


def test_member_cannot_edit_someone_elses_post(forum, signed_in):
    network, category, alice, bob, *_ = forum
    post = start_topic(alice, category, body="À Alice")
    client = signed_in(bob)
    assert client.get(forum_url(network, f"/p/{post.id}/edit")).status_code == 403
    response = client.post(forum_url(network, f"/p/{post.id}/edit"),
                           data={"body": "Pris par Bob", "revision": 1})
    assert response.status_code == 403
    assert db.session.get(Post, post.id).body == "À Alice"
