"""Reading: positions per reader and topic, "first unread" across pages, "new since my last
visit", and page views that write nothing but the reader's own position."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from tests.conftest import text_of
from tests.forums.helpers import add_replies, count_statements, forum_url, start_topic
from workspace.core.models import utcnow
from workspace.extensions import db
from workspace.forums import service
from workspace.forums.models import ForumVisit, Post, Topic, TopicRead


def _position(user, topic_id: int) -> int | None:
    return db.session.scalar(select(TopicRead.last_read_number).where(
        TopicRead.user_id == user.id, TopicRead.topic_id == topic_id))


def _long_topic(forum, replies: int = 44):
    network, category, alice, bob, coordinator, _ = forum
    first = start_topic(alice, category, title="Long fil")
    add_replies(first.topic, [bob, alice, coordinator], replies)
    return first.topic_id


def test_jump_to_first_unread_across_pages(forum, signed_in):
    network, category, alice, bob, coordinator, _ = forum
    topic_id = _long_topic(forum)  # 45 posts: pages of 20, 20 and 5
    bob_client = signed_in(bob)
    unread = forum_url(network, f"/t/{topic_id}/unread")
    response = bob_client.get(unread)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/t/{topic_id}?page=1#post-1")
    bob_client.get(forum_url(network, f"/t/{topic_id}"))
    assert _position(bob, topic_id) == 20
    assert bob_client.get(unread).headers["Location"].endswith(f"/t/{topic_id}?page=2#post-21")
    page = text_of(bob_client.get(forum_url(network, f"/t/{topic_id}?page=2")))
    assert "Réponse n° 21" in page and "Réponse n° 40" in page and "Réponse n° 41" not in page
    assert _position(bob, topic_id) == 40
    assert bob_client.get(unread).headers["Location"].endswith(f"/t/{topic_id}?page=3#post-41")
    # going back to page 1 does not move the position backwards
    bob_client.get(forum_url(network, f"/t/{topic_id}?page=1"))
    assert _position(bob, topic_id) == 40
    # positions are per reader
    assert _position(alice, topic_id) is None and _position(coordinator, topic_id) is None


def test_first_unread_skips_deleted_posts(forum, signed_in):
    network, category, alice, bob, coordinator, _ = forum
    topic_id = _long_topic(forum)
    bob_client = signed_in(bob)
    bob_client.get(forum_url(network, f"/t/{topic_id}"))
    post_21 = db.session.scalar(select(Post).where(Post.topic_id == topic_id, Post.number == 21))
    service.delete_post(coordinator, post_21)
    db.session.commit()
    location = bob_client.get(forum_url(network, f"/t/{topic_id}/unread")).headers["Location"]
    assert location.endswith(f"/t/{topic_id}?page=2#post-22")


def test_all_read_jumps_to_the_last_post(forum, signed_in):
    network, category, alice, bob, *_ = forum
    topic_id = _long_topic(forum, replies=24)
    bob_client = signed_in(bob)
    bob_client.get(forum_url(network, f"/t/{topic_id}?page=2"))
    location = bob_client.get(forum_url(network, f"/t/{topic_id}/unread")).headers["Location"]
    assert location.endswith(f"/t/{topic_id}?page=2#post-25")


def test_lists_show_unread_counts(forum, signed_in):
    network, category, alice, bob, coordinator, _ = forum
    topic_id = _long_topic(forum)
    bob_client = signed_in(bob)
    listing = forum_url(network, f"/c/{category.id}")
    assert "non lu" in text_of(bob_client.get(listing))
    bob_client.get(forum_url(network, f"/t/{topic_id}"))
    page = text_of(bob_client.get(listing))
    assert "25 nouveaux" in page
    assert forum_url(network, f"/t/{topic_id}/unread") in page
    for number in (2, 3):
        bob_client.get(forum_url(network, f"/t/{topic_id}?page={number}"))
    page = text_of(bob_client.get(listing))
    assert "nouveaux" not in page and "non lu" not in page


def test_new_since_last_visit_lists_recent_activity_only(forum, signed_in):
    network, category, alice, bob, coordinator, _ = forum
    old = start_topic(alice, category, title="Sujet calme")
    bob_client = signed_in(bob)
    bob_client.get(forum_url(network, "/"))  # first visit
    two_hours_ago = utcnow() - timedelta(hours=2)
    db.session.execute(update(ForumVisit).where(ForumVisit.user_id == bob.id)
                       .values(visited_at=two_hours_ago))
    db.session.execute(update(Topic).where(Topic.id == old.topic_id)
                       .values(last_post_at=utcnow() - timedelta(hours=3)))
    db.session.commit()
    start_topic(alice, category, title="Sujet actif")
    index = text_of(bob_client.get(forum_url(network, "/")))  # a new visit
    assert "Nouveau depuis votre visite" in index
    assert "Sujet actif" in index and "Sujet calme" not in index
    page = bob_client.get(forum_url(network, "/new"))
    assert page.status_code == 200
    assert "Sujet actif" in text_of(page) and "Sujet calme" not in text_of(page)
    # a click a minute later is the same visit: the list does not empty itself
    assert "Sujet actif" in text_of(bob_client.get(forum_url(network, "/")))
    assert "Sujet actif" in text_of(bob_client.get(forum_url(network, "/new")))


def test_topic_page_writes_only_the_readers_position(forum, signed_in):
    network, category, alice, bob, coordinator, _ = forum
    topic_id = _long_topic(forum, replies=30)
    bob_client = signed_in(bob)
    bob_client.get(forum_url(network, "/"))  # warm up, and the visit is recorded
    url = forum_url(network, f"/t/{topic_id}")
    with count_statements() as first:
        assert bob_client.get(url).status_code == 200
    assert first.writes, "the first view records the position"
    assert first.written_tables() == {"forum_topic_reads"}, first.writes
    with count_statements() as second:
        assert bob_client.get(url).status_code == 200
    assert second.writes == []
    with count_statements() as next_page:
        assert bob_client.get(url + "?page=2").status_code == 200
    assert next_page.written_tables() == {"forum_topic_reads"}, next_page.writes
    with count_statements() as back:
        bob_client.get(url)
        bob_client.get(forum_url(network, f"/c/{category.id}"))
    assert back.writes == []


def test_hidden_newest_post_does_not_leave_the_topic_unread(forum, signed_in):
    """Members never see a hidden post: once they have read every post they can see, the
    topic is read, and "first unread" does not point at a post missing from the page."""
    network, category, alice, bob, coordinator, _ = forum
    first = start_topic(alice, category, title="Sujet modéré")
    [spam] = add_replies(first.topic, [bob], 1, body="Publicité n° {n}")
    service.set_post_hidden(coordinator, spam, True)
    db.session.commit()
    alice_client = signed_in(alice)
    alice_client.get(forum_url(network, f"/t/{first.topic_id}"))
    listing = text_of(alice_client.get(forum_url(network, f"/c/{category.id}")))
    assert "1 nouveau" not in listing and "non lu" not in listing
    location = alice_client.get(forum_url(network, f"/t/{first.topic_id}/unread")
                                ).headers["Location"]
    assert location.endswith("#post-1"), location
