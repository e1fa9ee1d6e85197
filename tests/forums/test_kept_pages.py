"""Pages built from kept fragments (core/fragments.py) are the pages a fresh render gives:
each reader's page, served after another reader's (coordinator then member and the reverse,
French then English, two members, two coordinators, another script root) filled the caches,
is the HTML that reader gets with every cache cleared, and carries that reader's own token."""
from __future__ import annotations

import io
import re

import pytest

from tests.forums.helpers import MINIMAL_PDF, forum_url, png_bytes, start_topic
from workspace.core import fragments
from workspace.extensions import db
from workspace.forums import service
from workspace.forums.models import Post, Topic
from workspace.networks.models import ROLE_COORDINATOR, ROLE_MEMBER, Membership

TOKEN = re.compile(r'(<input[^>]*name="csrf_token"[^>]*value=")([^"]*)(")')


@pytest.fixture
def pages(forum, make_user, signed_in):
    """(urls, readers): the pages with kept fragments, and signed-in clients by name."""
    network, category, alice, bob, coordinator, _ = forum
    carol = make_user(first_name="Carole", last_name="Petit")
    second = make_user(first_name="David", last_name="Roux")
    bob.locale = "en"
    db.session.add_all([Membership(network=network, user=carol, role=ROLE_MEMBER),
                        Membership(network=network, user=second, role=ROLE_COORDINATOR)])
    db.session.commit()
    first = start_topic(alice, category, "Sauvegardes <nocturnes> & NAS")
    topic = db.session.get(Topic, first.topic_id)
    for author, body in ((bob, "Réponse de **Bob**"), (coordinator, "Avis de la coordination"),
                         (carol, "Message à masquer"), (alice, "Message à supprimer")):
        service.reply(author, db.session.get(Topic, topic.id), body)
    db.session.commit()
    posts = db.session.query(Post).filter_by(topic_id=topic.id).order_by(Post.number).all()
    service.set_post_hidden(coordinator, posts[3], True)
    service.delete_post(alice, posts[4])
    db.session.commit()
    response = signed_in(bob).post(forum_url(network, f"/t/{topic.id}/reply"), data={
        "body": "Les pièces", "files": [(io.BytesIO(png_bytes()), "schema.png"),
                                        (io.BytesIO(MINIMAL_PDF), "note.pdf")]},
        content_type="multipart/form-data")
    assert response.status_code == 302
    locked = start_topic(bob, category, "Sujet verrouillé")
    service.set_topic_flag(coordinator, db.session.get(Topic, locked.topic_id), "is_locked",
                           True)
    db.session.commit()
    urls = ["/", "/networks/", f"/n/{network.slug}/", f"/n/{network.slug}/members",
            forum_url(network), forum_url(network, f"/t/{topic.id}"),
            forum_url(network, f"/t/{locked.topic_id}")]
    readers = {"coordinator": coordinator, "coordinator 2": second, "alice": alice,
               "carol": carol, "bob (en)": bob}
    return urls, {name: signed_in(user) for name, user in readers.items()}


def _get(client, url: str, script_root: str) -> str:
    """The status and the page (the member list answers 403 to a member: its frame too)."""
    response = client.get(url, base_url=f"http://localhost{script_root}")
    assert response.status_code in (200, 403), url
    return f"{response.status_code}\n{response.get_data(as_text=True)}"


def _tokens(html: str) -> set[str]:
    return {match.group(2) for match in TOKEN.finditer(html)}


def _without_tokens(html: str) -> str:
    return TOKEN.sub(r"\1TOKEN\3", html)


@pytest.mark.parametrize(("first", "second", "roots"), [
    ("coordinator", "alice", ("", "")),
    ("alice", "coordinator", ("", "")),
    ("alice", "bob (en)", ("", "")),
    ("bob (en)", "alice", ("", "")),
    ("alice", "carol", ("", "")),
    ("coordinator", "coordinator 2", ("", "")),
    ("coordinator 2", "coordinator", ("", "")),
    ("alice", "alice", ("", "/tilt")),
])
def test_each_reader_gets_the_page_a_fresh_render_gives(app, pages, first, second, roots):
    urls, clients = pages
    readers = ((clients[first], roots[0]), (clients[second], roots[1]))
    for client, root in readers:  # read positions and visits settle on the first view
        for url in urls:
            fragments.clear(app)
            _get(client, url, root)
    fragments.clear(app)
    kept = [[_get(client, url, root) for url in urls] for client, root in readers]
    assert all('id="post-6"' in html[-2] and "/t/" in html[-2] for html in kept)
    for (client, root), served in zip(readers, kept, strict=True):
        for url, html in zip(urls, served, strict=True):
            fragments.clear(app)
            fresh = _get(client, url, root)
            assert _without_tokens(html) == _without_tokens(fresh), (url, first, second)
            assert len(_tokens(html)) == 1 and "csrf-" not in html and "slot-" not in html
    if first != second:
        assert _tokens(kept[0][-2]) != _tokens(kept[1][-2])  # each reader's own token
