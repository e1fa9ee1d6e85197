"""The topic page runs a fixed number of SQL statements, whatever the number of posts on the
page, their authors, their edits and their attachments."""
from __future__ import annotations

from sqlalchemy import select

from tests.forums.helpers import (
    MINIMAL_PDF,
    add_replies,
    count_statements,
    forum_url,
    png_bytes,
    start_topic,
)
from workspace.documents.uploads import incoming_bytes
from workspace.extensions import db
from workspace.forums import attachments, service
from workspace.forums.models import Post


def _many_authors(make_user, make_organisation, network, count: int) -> list:
    """Members of the network, each from a different organisation."""
    from workspace.networks.models import ROLE_MEMBER, Membership

    users = []
    for n in range(count):
        organisation = make_organisation(f"Commune test {n}")
        user = make_user(organisation_id=organisation.id)
        db.session.add(Membership(network_id=network.id, user_id=user.id, role=ROLE_MEMBER))
        users.append(user)
    db.session.commit()
    return users


def _topic_with(forum, authors, posts: int, title: str) -> int:
    network, category, alice, bob, coordinator, _ = forum
    first = start_topic(alice, category, title=title)
    replies = add_replies(first.topic, authors, posts - 1)
    for post in replies[::3]:  # some edited by a coordinator: edited_by is shown
        service.edit_post(coordinator, post, post.body + " (corrigé)", post.revision)
    db.session.commit()
    return first.topic_id


def _statements_on_page(client, network, topic_id: int) -> int:
    url = forum_url(network, f"/t/{topic_id}")
    client.get(url)  # the first view also records the read position
    with count_statements() as seen:
        response = client.get(url)
    assert response.status_code == 200
    return len(seen)


def test_same_statement_count_for_10_or_100_posts(forum, signed_in, make_user,
                                                  make_organisation):
    network, category, alice, bob, coordinator, _ = forum
    authors = _many_authors(make_user, make_organisation, network, 12)
    small = _topic_with(forum, authors, 10, "Petit sujet")
    large = _topic_with(forum, authors, 100, "Grand sujet")
    client = signed_in(bob)
    client.get(forum_url(network, "/"))
    on_small = _statements_on_page(client, network, small)
    on_large = _statements_on_page(client, network, large)
    assert on_small == on_large, (on_small, on_large)


def test_same_statement_count_for_first_views(forum, signed_in, make_user, make_organisation):
    network, category, alice, bob, coordinator, _ = forum
    authors = _many_authors(make_user, make_organisation, network, 12)
    small = _topic_with(forum, authors, 10, "Petit sujet")
    large = _topic_with(forum, authors, 100, "Grand sujet")
    client = signed_in(coordinator)  # moderators see more controls and hidden posts
    client.get(forum_url(network, "/"))
    counts = []
    for topic_id in (small, large):
        with count_statements() as seen:
            assert client.get(forum_url(network, f"/t/{topic_id}")).status_code == 200
        counts.append(len(seen))
    assert counts[0] == counts[1], counts


def _attach(user, network, post: Post, files: list[tuple[str, bytes]]) -> None:
    class Upload:  # what attach_files reads from a werkzeug FileStorage
        def __init__(self, name, content):
            self.filename, self.stream = name, incoming_bytes(content)

    attachments.attach_files(user, network, post, [Upload(n, c) for n, c in files])


def _topic_with_attachments(forum, authors, posts: int, title: str) -> int:
    network, category, alice, *_ = forum
    topic_id = _topic_with(forum, authors, posts, title)
    numbered = db.session.scalars(select(Post).where(Post.topic_id == topic_id)
                                  .order_by(Post.number)).all()
    for post in numbered[::2]:
        _attach(alice, network, post, [
            (f"photo-{post.number}.png", png_bytes(color=(post.number, 20, 30))),
            (f"note-{post.number}.pdf", MINIMAL_PDF + str(post.number).encode())])
    db.session.commit()
    return topic_id


def test_same_statement_count_with_attachments(forum, signed_in, make_user, make_organisation):
    network, category, alice, bob, coordinator, _ = forum
    authors = _many_authors(make_user, make_organisation, network, 6)
    small = _topic_with_attachments(forum, authors, 10, "Petit sujet illustré")
    full = _topic_with_attachments(forum, authors, 20, "Sujet illustré complet")
    client = signed_in(bob)
    client.get(forum_url(network, "/"))
    on_small = _statements_on_page(client, network, small)
    on_full = _statements_on_page(client, network, full)
    page = client.get(forum_url(network, f"/t/{full}")).get_data(as_text=True)
    assert page.count('class="attachment-image"') == 10  # the attachments are on the page
    assert on_small == on_full, (on_small, on_full)
