"""What an open forum page asks without reloading: the topic's state (conditional, 304 while
nothing changed), the bell's count, `@` suggestions limited to the network's members, and
files dropped into the editor (stored as attachments, with the library's checks)."""
from __future__ import annotations

import io

from sqlalchemy import select

from tests.forums.helpers import count_statements, forum_url, png_bytes, start_topic
from workspace.documents.models import Document, DocumentLink
from workspace.extensions import db
from workspace.forums import live, service
from workspace.forums.models import Post, Topic
from workspace.notifications.service import notify

# --- the topic's state -----------------------------------------------------------------

def test_topic_state_answers_304_until_a_reply_arrives(forum, signed_in):
    network, category, alice, bob, *_ = forum
    first = start_topic(alice, category)
    client = signed_in(bob)
    url = forum_url(network, f"/t/{first.topic_id}/state")
    response = client.get(url)
    assert response.status_code == 200
    assert response.json == {"last_number": 1, "unread": 0}
    assert "no-cache" in response.headers["Cache-Control"]
    etag = response.headers["ETag"]

    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""

    service.reply(alice, db.session.get(Topic, first.topic_id), "Du nouveau")
    db.session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.json["last_number"] == 2 and changed.headers["ETag"] != etag


def test_topic_state_changes_with_the_bell(forum, signed_in):
    network, category, alice, bob, *_ = forum
    first = start_topic(alice, category)
    client = signed_in(bob)
    url = forum_url(network, f"/t/{first.topic_id}/state")
    etag = client.get(url).headers["ETag"]
    notify("mention", [bob.id], network=network, actor=alice, target_type="forum_post",
           target_id=first.id)
    db.session.commit()
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200 and response.json["unread"] == 1


def test_an_unchanged_state_costs_few_statements_and_writes_nothing(forum, signed_in):
    network, category, alice, bob, *_ = forum
    first = start_topic(alice, category)
    client = signed_in(bob)
    url = forum_url(network, f"/t/{first.topic_id}/state")
    etag = client.get(url).headers["ETag"]
    with count_statements() as seen:
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert not seen.writes
    # the sign-in statement (user, roles, bell), the network, the topic
    assert len(seen) <= 4, seen.all


def test_topic_state_of_another_network_or_a_hidden_topic_is_404(forum, signed_in):
    network, category, alice, bob, coordinator, outsider = forum
    first = start_topic(alice, category)
    url = forum_url(network, f"/t/{first.topic_id}/state")
    assert signed_in(outsider).get(url).status_code == 404
    service.set_topic_flag(coordinator, db.session.get(Topic, first.topic_id), "is_hidden", True)
    db.session.commit()
    assert signed_in(bob).get(url).status_code == 404
    assert signed_in(coordinator).get(url).status_code == 200


def test_the_bell_state_is_conditional_too(forum, signed_in):
    network, category, alice, bob, *_ = forum
    first = start_topic(alice, category)
    client = signed_in(bob)
    response = client.get("/notifications/state")
    assert response.json == {"unread": 0}
    etag = response.headers["ETag"]
    assert client.get("/notifications/state", headers={"If-None-Match": etag}).status_code == 304
    notify("mention", [bob.id], network=network, actor=alice, target_type="forum_post",
           target_id=first.id)
    db.session.commit()
    assert client.get("/notifications/state",
                      headers={"If-None-Match": etag}).json == {"unread": 1}


# --- @ suggestions ---------------------------------------------------------------------

def test_suggestions_are_members_of_the_network_only(forum, make_user):
    network, category, alice, bob, coordinator, outsider = forum
    make_user(first_name="Albert", last_name="Ailleurs")  # in no network
    found = live.member_suggestions(network, "al")
    assert [s.handle for s in found] == [alice.handle]
    assert found[0].name == "Alice Martin" and found[0].organisation == "Coulaines"
    assert [s.handle for s in live.member_suggestions(network, "Dur")] == [bob.handle]
    assert live.member_suggestions(network, "oscar") == []  # another network's member
    assert live.member_suggestions(network, "") == []


def test_suggestions_take_wildcards_literally_and_leave_out_disabled_accounts(forum):
    network, category, alice, bob, *_ = forum
    assert live.member_suggestions(network, "%") == []
    assert live.member_suggestions(network, "_") == []
    bob.is_active = False
    db.session.commit()
    assert live.member_suggestions(network, "bob") == []


def test_suggestion_endpoint(forum, signed_in):
    network, category, alice, bob, coordinator, outsider = forum
    response = signed_in(bob).get(forum_url(network, "/members?q=ali"))
    assert response.status_code == 200
    assert response.json == [{"handle": alice.handle, "name": "Alice Martin",
                              "organisation": "Coulaines"}]
    assert signed_in(outsider).get(forum_url(network, "/members?q=ali")).status_code == 404
    odd = signed_in(bob).get(forum_url(network, "/members?q=" + "x" * 5000))
    assert odd.status_code == 200 and odd.json == []


# --- files dropped into the editor -----------------------------------------------------

def _drop(client, network, name: str, content: bytes):
    return client.post(forum_url(network, "/files"),
                       data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def test_a_dropped_image_becomes_an_attachment_shown_in_the_post(forum, signed_in):
    network, category, alice, bob, *_ = forum
    first = start_topic(alice, category)
    client = signed_in(bob)
    response = _drop(client, network, "schema_reseau.png", png_bytes())
    assert response.status_code == 200
    document = db.session.get(Document, response.json["id"])
    assert document.network_id == network.id and document.title == "Schema reseau"
    preview = f"/n/{network.slug}/documents/{document.id}/preview"
    assert response.json["markdown"] == f"![Schema reseau]({preview})"

    body = f"Le schéma :\n\n{response.json['markdown']}"
    assert client.post(forum_url(network, f"/t/{first.topic_id}/reply"),
                       data={"body": body}).status_code == 302
    reply = db.session.scalar(select(Post).where(Post.number == 2))
    assert f'<img src="{preview}" alt="Schema reseau">' in reply.body_html
    links = db.session.scalars(select(DocumentLink)).all()
    assert [(link.document_id, link.target_id) for link in links] == [(document.id, reply.id)]
    page = client.get(forum_url(network, f"/t/{first.topic_id}")).get_data(as_text=True)
    assert page.count(preview) == 1  # in the text, not listed again under it


def test_a_dropped_file_that_is_not_an_image_is_a_link(forum, signed_in):
    network, _category, _alice, bob, *_ = forum
    response = _drop(signed_in(bob), network, "compte_rendu.txt", b"Compte rendu")
    document = db.session.get(Document, response.json["id"])
    assert response.json["markdown"] == (
        f"[Compte rendu](/n/{network.slug}/documents/{document.id})")


def test_a_dropped_file_is_checked_like_any_upload(forum, signed_in):
    network, category, alice, bob, coordinator, outsider = forum
    client = signed_in(bob)
    refused = _drop(client, network, "photo.png", b"MZ\x90\x00 not an image")
    assert refused.status_code == 400 and "photo.png" in refused.json["error"]
    empty = client.post(forum_url(network, "/files"), data={},
                        content_type="multipart/form-data")
    assert empty.status_code == 400 and empty.json["error"]
    assert db.session.scalar(select(Document.id)) is None
    assert _drop(signed_in(outsider), network, "a.png", png_bytes()).status_code == 404


def test_documents_of_another_network_named_in_a_post_are_not_linked(forum, make_network,
                                                                     signed_in):
    network, category, alice, bob, *_ = forum
    first = start_topic(alice, category)
    post = db.session.get(Post, first.id)
    other = make_network("Autre réseau", members=[alice])
    response = _drop(signed_in(alice), other, "ailleurs.png", png_bytes())
    elsewhere = response.json["id"]
    post.body = (f"![x](/n/{other.slug}/documents/{elsewhere}/preview) "
                 f"![y](/n/{network.slug}/documents/{elsewhere}/preview) "
                 f"![z](/n/{network.slug}/documents/999/preview)")
    assert live.inline_document_ids(network, post.body) == []
