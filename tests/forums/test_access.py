"""A private network's forum does not exist for members of other networks: every URL answers
404 and changes nothing. The e-mail unsubscribe link works for its recipient only."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.conftest import text_of
from tests.forums.helpers import add_replies, forum_url, start_topic
from workspace.extensions import db
from workspace.forums import notify
from workspace.forums.models import Report, Topic
from workspace.notifications.models import Follow

PAGES = [
    ("GET", "/"),
    ("GET", "/new"),
    ("GET", "/feed.atom"),
    ("GET", "/c/{category}"),
    ("GET", "/c/{category}/new"),
    ("POST", "/c/{category}/new"),
    ("POST", "/c/{category}/follow"),
    ("GET", "/t/{topic}"),
    ("GET", "/t/{topic}?page=2"),
    ("GET", "/t/{topic}/unread"),
    ("GET", "/t/{topic}/reply"),
    ("GET", "/t/{topic}/reply?quote={post}"),
    ("POST", "/t/{topic}/reply"),
    ("POST", "/t/{topic}/follow"),
    ("GET", "/p/{post}"),
    ("GET", "/p/{post}/edit"),
    ("POST", "/p/{post}/edit"),
    ("GET", "/p/{post}/history"),
    ("GET", "/p/{post}/report"),
    ("POST", "/p/{post}/report"),
    ("POST", "/p/{post}/delete"),
    ("POST", "/preview"),
    ("GET", "/reports"),
]
FORM = {"title": "Intrusion", "body": "Je passais par là", "reason": "Spam", "follow": "1",
        "revision": "1"}


@pytest.fixture
def conversation(forum):
    """A topic by Alice with a reply by Bob; Bob has edited it (so it has a history)."""
    network, category, alice, bob, *_ = forum
    first = start_topic(alice, category)
    [answer] = add_replies(first.topic, [bob], 1)
    from workspace.forums import service

    service.edit_post(bob, answer, "Réponse corrigée", answer.revision)
    db.session.commit()
    return first.topic_id, answer.id


def _counts() -> tuple:
    from workspace.forums.models import Post

    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Topic, Post, Follow, Report))


@pytest.mark.parametrize(("method", "path"), PAGES)
def test_outsider_gets_404_everywhere(forum, conversation, signed_in, method, path):
    network, category, *_, outsider = forum
    topic_id, post_id = conversation
    before = _counts()
    client = signed_in(outsider)
    url = forum_url(network, path.format(category=category.id, topic=topic_id, post=post_id))
    response = client.open(url, method=method, data=FORM if method == "POST" else None)
    assert response.status_code == 404, url
    assert "Réseau informatique" not in text_of(response)
    assert "Quota des boîtes" not in text_of(response)
    assert _counts() == before


@pytest.mark.parametrize(("method", "path"), PAGES)
def test_coordinator_reaches_the_same_urls(forum, conversation, signed_in, method, path):
    """The 404s above come from the network check, not from broken URLs."""
    network, category, alice, bob, coordinator, _ = forum
    topic_id, post_id = conversation
    client = signed_in(coordinator)
    url = forum_url(network, path.format(category=category.id, topic=topic_id, post=post_id))
    response = client.open(url, method=method, data=FORM if method == "POST" else None)
    assert response.status_code in (200, 302), url


def test_unknown_network_is_404(forum, signed_in):
    network, category, alice, *_ = forum
    client = signed_in(alice)
    assert client.get("/n/nulle-part/forum/").status_code == 404
    assert client.get(f"/n/nulle-part/forum/c/{category.id}").status_code == 404


def test_anonymous_is_sent_to_sign_in(client, forum, conversation):
    network, category, *_ = forum
    topic_id, _ = conversation
    response = client.get(forum_url(network, f"/t/{topic_id}"))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def _bob_token(conversation) -> tuple[str, int]:
    from workspace.auth.models import User
    from workspace.forums.models import Post

    topic_id, post_id = conversation
    post = db.session.get(Post, post_id)
    bob = db.session.get(User, post.author_id)
    return notify.unsubscribe_token(bob, topic=post.topic), bob.id


def _follows(user_id: int, topic_id: int) -> bool:
    return db.session.scalar(select(Follow.id).where(
        Follow.user_id == user_id, Follow.target_type == "topic",
        Follow.target_id == topic_id)) is not None


@pytest.mark.parametrize("intruder", ["alice", "outsider"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_someone_elses_unsubscribe_link_is_404(forum, conversation, signed_in, intruder,
                                               method):
    network, category, alice, bob, coordinator, outsider = forum
    token, bob_id = _bob_token(conversation)
    client = signed_in(alice if intruder == "alice" else outsider)
    response = client.open(f"/notifications/unsubscribe/{token}", method=method)
    assert response.status_code == 404
    assert _follows(bob_id, conversation[0])


def test_anonymous_unsubscribe_link_confirms_then_unsubscribes(client, forum, conversation):
    token, bob_id = _bob_token(conversation)
    page = client.get(f"/notifications/unsubscribe/{token}")
    assert page.status_code == 200
    assert "Quota des boîtes partagées" in text_of(page)
    assert _follows(bob_id, conversation[0])  # a GET (a mail scanner) changes nothing
    response = client.post(f"/notifications/unsubscribe/{token}")
    assert response.status_code == 200
    assert "ne recevrez plus" in text_of(response)
    assert not _follows(bob_id, conversation[0])


def test_recipient_signed_in_may_use_own_link(forum, conversation, signed_in):
    network, category, alice, bob, *_ = forum
    token, bob_id = _bob_token(conversation)
    response = signed_in(bob).post(f"/notifications/unsubscribe/{token}")
    assert response.status_code == 200
    assert not _follows(bob_id, conversation[0])


def test_tampered_unsubscribe_token_is_404(client, forum, conversation):
    from itsdangerous import URLSafeSerializer

    token, bob_id = _bob_token(conversation)
    alice_id = forum[2].id
    from workspace.notifications.service import TOKEN_SALT

    forged = URLSafeSerializer("not-the-secret", salt=TOKEN_SALT).dumps(
        [alice_id, f"follow:topic:{conversation[0]}"])
    payload, signature = token.rsplit(".", 1)
    flipped = payload + "." + ("A" if signature[0] != "A" else "B") + signature[1:]
    for bad in (token[:-2], flipped, forged, "nimporte-quoi"):
        assert client.get(f"/notifications/unsubscribe/{bad}").status_code == 404, bad
        assert client.post(f"/notifications/unsubscribe/{bad}").status_code == 404, bad
    assert _follows(bob_id, conversation[0]) and _follows(alice_id, conversation[0])


def test_links_of_e_mails_sent_before_one_scheme_still_unsubscribe(app, client, forum,
                                                                   conversation):
    """A forum e-mail sent before the follows were unified carries /forum/unsubscribe/..."""
    from itsdangerous import URLSafeSerializer

    from workspace.forums.public import LEGACY_SALT

    bob_id = forum[3].id
    legacy = URLSafeSerializer(app.config["SECRET_KEY"], salt=LEGACY_SALT).dumps(
        [bob_id, "topic", conversation[0]])
    page = client.get(f"/forum/unsubscribe/{legacy}", follow_redirects=True)
    assert page.status_code == 200 and "Quota des boîtes partagées" in text_of(page)
    assert _follows(bob_id, conversation[0])
    response = client.post(f"/forum/unsubscribe/{legacy}", follow_redirects=True)
    assert response.status_code == 200 and "ne recevrez plus" in text_of(response)
    assert not _follows(bob_id, conversation[0])
    forged = URLSafeSerializer("not-the-secret", salt=LEGACY_SALT).dumps(
        [bob_id, "topic", conversation[0]])
    assert client.get(f"/forum/unsubscribe/{forged}").status_code == 404
