"""Bad input: empty or oversized messages, missing titles, unknown or tampered ids. The
answer is a French form error or a 404, never a 500, and nothing is stored."""
from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from tests.conftest import text_of
from tests.forums.helpers import forum_url, start_topic, textarea_value
from workspace.extensions import db
from workspace.forums import service
from workspace.forums.models import Category, Post, PostEdit, Report, Topic
from workspace.notifications.models import Follow

TOO_LONG = "é" * 60_000


def _stored() -> tuple:
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Topic, Post, PostEdit, Report, Follow, Category))


def _body_error(response) -> str:
    match = re.search(r'id="body-error">(.*?)</div>', response.get_data(as_text=True), re.S)
    assert match, "no error under the message field"
    return html.unescape(match.group(1))


def _expected(text: str) -> str:
    """The French error for an empty or an oversized field."""
    return "caractères" if len(text) > 200 else "Ce champ est requis."


@pytest.mark.parametrize("body", ["", "   \n\t  ", TOO_LONG])
def test_reply_with_bad_body_is_refused(forum, signed_in, body):
    network, category, alice, bob, *_ = forum
    first = start_topic(alice, category)
    before = _stored()
    response = signed_in(bob).post(forum_url(network, f"/t/{first.topic_id}/reply"),
                                   data={"body": body})
    assert response.status_code == 200
    assert _expected(body) in _body_error(response)
    assert _stored() == before


@pytest.mark.parametrize(("title", "body", "field"), [
    ("", "Un message sans titre", "title"),
    ("   ", "Un message sans titre", "title"),
    ("Titre sans message", "", "body"),
    ("Titre trop long " + "x" * 300, "Message", "title"),
    ("Message trop long", TOO_LONG, "body"),
])
def test_new_topic_with_bad_input_is_refused(forum, signed_in, title, body, field):
    network, category, alice, *_ = forum
    before = _stored()
    response = signed_in(alice).post(forum_url(network, f"/c/{category.id}/new"),
                                     data={"title": title, "body": body})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    match = re.search(rf'id="{field}-error">(.*?)</div>', page, re.S)
    assert match, f"no error under {field}"
    assert _expected(title if field == "title" else body) in html.unescape(match.group(1))
    assert _stored() == before
    if body and body != TOO_LONG:
        assert textarea_value(page) == body  # what was typed is kept


def test_edit_with_bad_body_is_refused(forum, signed_in):
    network, category, alice, *_ = forum
    post = start_topic(alice, category, body="Texte d'origine")
    client = signed_in(alice)
    for body in ("", TOO_LONG):
        response = client.post(forum_url(network, f"/p/{post.id}/edit"),
                               data={"body": body, "revision": 1})
        assert response.status_code == 200
        assert _expected(body) in _body_error(response)
    stored = db.session.get(Post, post.id)
    assert stored.body == "Texte d'origine" and stored.revision == 1
    assert db.session.scalar(select(func.count(PostEdit.id))) == 0


@pytest.mark.parametrize("revision", ["abc", "", "1.5", "-1", "99999999999999999999999"])
def test_edit_with_tampered_revision_is_not_a_server_error(forum, signed_in, revision):
    network, category, alice, *_ = forum
    post = start_topic(alice, category, body="Texte d'origine")
    client = signed_in(alice)
    client.get(forum_url(network, f"/t/{post.topic_id}"))
    response = client.post(forum_url(network, f"/p/{post.id}/edit"),
                           data={"body": "Nouveau texte", "revision": revision})
    assert response.status_code in (200, 400), response.status_code
    assert db.session.get(Post, post.id).body == "Texte d'origine"


UNKNOWN = [
    ("GET", "/c/999999"),
    ("GET", "/c/999999/new"),
    ("POST", "/c/999999/new"),
    ("POST", "/c/999999/follow"),
    ("GET", "/t/999999"),
    ("GET", "/t/999999/unread"),
    ("GET", "/t/999999/reply"),
    ("POST", "/t/999999/reply"),
    ("POST", "/t/999999/follow"),
    ("GET", "/t/{topic}/reply?quote=999999"),
    ("GET", "/p/999999"),
    ("GET", "/p/999999/edit"),
    ("POST", "/p/999999/edit"),
    ("GET", "/p/999999/history"),
    ("GET", "/p/999999/report"),
    ("POST", "/p/999999/report"),
    ("POST", "/p/999999/delete"),
    ("POST", "/p/999999/restore"),
    ("POST", "/p/999999/hide"),
    ("POST", "/t/999999/moderate"),
    ("POST", "/t/999999/move"),
    ("POST", "/reports/999999/resolve"),
    ("GET", "/c/999999/edit"),
]


@pytest.mark.parametrize(("method", "path"), UNKNOWN)
def test_unknown_ids_are_404(forum, signed_in, method, path):
    network, category, alice, bob, coordinator, _ = forum
    first = start_topic(alice, category)
    before = _stored()
    response = signed_in(coordinator).open(
        forum_url(network, path.format(topic=first.topic_id)), method=method,
        data={"title": "T", "body": "B", "reason": "R", "action": "lock", "follow": "1",
              "revision": "1", "category": category.id})
    assert response.status_code == 404
    assert _stored() == before


def test_ids_of_another_networks_forum_are_404(forum, signed_in, make_network):
    """A coordinator of two networks: one network's URL with the other's ids."""
    network, category, alice, bob, coordinator, _ = forum
    other = make_network("Réseau voirie", members=[alice], coordinators=[coordinator])
    foreign = service.save_category(coordinator, other, None, name="Chaussées")
    db.session.commit()
    foreign_post = start_topic(alice, foreign, title="Nids-de-poule")
    client = signed_in(coordinator)
    for path in (f"/c/{foreign.id}", f"/t/{foreign_post.topic_id}", f"/p/{foreign_post.id}",
                 f"/p/{foreign_post.id}/edit", f"/p/{foreign_post.id}/history"):
        assert client.get(forum_url(network, path)).status_code == 404, path
    report = service.report_post(alice, foreign_post, "Test")
    db.session.commit()
    assert client.post(forum_url(network, f"/reports/{report.id}/resolve")).status_code == 404
    assert db.session.get(Report, report.id).resolved_at is None


@pytest.mark.parametrize("query", ["?page=abc", "?page=-3", "?page=0", "?page=99999",
                                   "?page=1e9", "?page=" + "9" * 40])
def test_odd_page_numbers_are_not_errors(forum, signed_in, query):
    network, category, alice, *_ = forum
    first = start_topic(alice, category)
    client = signed_in(alice)
    for path in (f"/t/{first.topic_id}", f"/c/{category.id}"):
        response = client.get(forum_url(network, path + query))
        assert response.status_code in (200, 404), (path, response.status_code)


@pytest.mark.parametrize("quote", ["abc", "-1", "0"])
def test_odd_quote_ids_are_not_errors(forum, signed_in, quote):
    network, category, alice, *_ = forum
    first = start_topic(alice, category)
    response = signed_in(alice).get(forum_url(network, f"/t/{first.topic_id}/reply?quote={quote}"))
    assert response.status_code in (200, 404)


def test_preview_of_an_oversized_draft_is_not_an_error(forum, signed_in):
    network, *_ = forum
    client = signed_in(forum[2])
    response = client.post(forum_url(network, "/preview"), data={"body": TOO_LONG})
    assert response.status_code == 200
    assert client.post(forum_url(network, "/preview"), data={}).status_code == 200


def test_unknown_moderation_action_is_a_bad_request(forum, signed_in):
    network, category, alice, bob, coordinator, _ = forum
    first = start_topic(alice, category)
    response = signed_in(coordinator).post(forum_url(network, f"/t/{first.topic_id}/moderate"),
                                           data={"action": "is_deleted"})
    assert response.status_code == 400
    topic = db.session.get(Topic, first.topic_id)
    assert not (topic.is_pinned or topic.is_locked or topic.is_hidden)


def test_archived_category_takes_no_new_topic(forum, signed_in):
    network, category, alice, bob, coordinator, _ = forum
    service.save_category(coordinator, network, category, name=category.name, is_archived=True)
    db.session.commit()
    before = _stored()
    response = signed_in(alice).post(forum_url(network, f"/c/{category.id}/new"),
                                     data={"title": "Encore un", "body": "Message"})
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert "Cette catégorie est archivée." in text_of(response)
    assert _stored() == before
