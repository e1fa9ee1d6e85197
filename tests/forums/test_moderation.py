"""Coordinators lock, pin, hide and move topics, hide posts and restore deleted ones; what
is hidden reaches nobody else; counters follow."""
from __future__ import annotations

import pytest

from tests.conftest import text_of
from tests.forums.helpers import add_replies, forum_url, post_count, start_topic
from workspace.extensions import db
from workspace.forums import service
from workspace.forums.models import Category, Post, Topic


def _moderate(client, network, topic_id: int, action: str):
    response = client.post(forum_url(network, f"/t/{topic_id}/moderate"),
                           data={"action": action})
    assert response.status_code == 302
    return response


def _topic(topic_id: int) -> Topic:
    return db.session.get(Topic, topic_id)


# --- lock --------------------------------------------------------------------------------

def test_locked_topic_refuses_replies_with_a_french_message(forum, signed_in):
    network, category, alice, bob, coordinator, _ = forum
    topic_id = start_topic(alice, category).topic_id
    _moderate(signed_in(coordinator), network, topic_id, "lock")
    assert _topic(topic_id).is_locked
    bob_client = signed_in(bob)
    page = text_of(bob_client.get(forum_url(network, f"/t/{topic_id}")))
    assert "Ce sujet est verrouillé : il n'accepte plus de réponse." in page
    assert "Publier la réponse" not in page
    response = bob_client.post(forum_url(network, f"/t/{topic_id}/reply"),
                               data={"body": "Je réponds quand même"}, follow_redirects=True)
    assert response.status_code == 200
    assert "Ce sujet est verrouillé : il n'accepte plus de réponse." in text_of(response)
    assert post_count(topic_id) == 1
    assert _topic(topic_id).post_count == 1


def test_locked_topic_refuses_edits_by_members(forum, signed_in):
    network, category, alice, bob, coordinator, _ = forum
    [answer] = add_replies(start_topic(alice, category).topic, [bob], 1)
    service.set_topic_flag(coordinator, answer.topic, "is_locked", True)
    db.session.commit()
    response = signed_in(bob).post(forum_url(network, f"/p/{answer.id}/edit"),
                                   data={"body": "Changé après verrouillage", "revision": 1})
    assert response.status_code == 403
    assert db.session.get(Post, answer.id).body == "Réponse n° 2"


def test_unlocked_topic_accepts_replies_again(forum, signed_in):
    network, category, alice, bob, coordinator, _ = forum
    topic_id = start_topic(alice, category).topic_id
    coordinator_client = signed_in(coordinator)
    _moderate(coordinator_client, network, topic_id, "lock")
    _moderate(coordinator_client, network, topic_id, "unlock")
    response = signed_in(bob).post(forum_url(network, f"/t/{topic_id}/reply"),
                                   data={"body": "Enfin !"})
    assert response.status_code == 302
    assert post_count(topic_id) == 2


def test_members_cannot_moderate(forum, signed_in):
    network, category, alice, bob, *_ = forum
    topic_id = start_topic(alice, category).topic_id
    for action in ("lock", "pin", "hide"):
        response = signed_in(alice).post(forum_url(network, f"/t/{topic_id}/moderate"),
                                         data={"action": action})
        assert response.status_code == 403
    topic = _topic(topic_id)
    assert not (topic.is_locked or topic.is_pinned or topic.is_hidden)


# --- pin and move ------------------------------------------------------------------------

def _titles_in_order(page: str, titles: list[str]) -> list[str]:
    return sorted(titles, key=page.index)


def test_pinned_topic_comes_first_then_unpinned(forum, signed_in):
    network, category, alice, bob, coordinator, _ = forum
    old = start_topic(alice, category, title="Ancien sujet épinglé")
    start_topic(bob, category, title="Sujet récent")
    coordinator_client = signed_in(coordinator)
    listing = forum_url(network, f"/c/{category.id}")
    titles = ["Ancien sujet épinglé", "Sujet récent"]
    assert _titles_in_order(text_of(signed_in(bob).get(listing)), titles) == titles[::-1]
    _moderate(coordinator_client, network, old.topic_id, "pin")
    page = text_of(signed_in(bob).get(listing))
    assert _titles_in_order(page, titles) == titles and "épinglé" in page
    _moderate(coordinator_client, network, old.topic_id, "unpin")
    assert _titles_in_order(text_of(signed_in(bob).get(listing)), titles) == titles[::-1]


def test_move_topic_updates_both_categories(forum, signed_in):
    network, category, alice, bob, coordinator, _ = forum
    other = service.save_category(coordinator, network, None, name="Téléphonie")
    db.session.commit()
    topic = start_topic(alice, category, title="Standard téléphonique").topic
    add_replies(topic, [bob], 2)
    response = signed_in(coordinator).post(forum_url(network, f"/t/{topic.id}/move"),
                                           data={"category": other.id})
    assert response.status_code == 302
    source, target = db.session.get(Category, category.id), db.session.get(Category, other.id)
    assert _topic(topic.id).category_id == other.id
    assert (source.topic_count, source.post_count) == (0, 0)
    assert (target.topic_count, target.post_count) == (1, 3)
    bob_client = signed_in(bob)
    assert "Standard téléphonique" in text_of(bob_client.get(forum_url(network,
                                                                        f"/c/{other.id}")))
    assert "Standard téléphonique" not in text_of(
        bob_client.get(forum_url(network, f"/c/{category.id}")))


def test_topic_cannot_move_to_another_networks_category(forum, signed_in, make_network):
    network, category, alice, bob, coordinator, _ = forum
    elsewhere = make_network("Réseau voirie", coordinators=[coordinator])
    foreign = service.save_category(coordinator, elsewhere, None, name="Chaussées")
    db.session.commit()
    topic_id = start_topic(alice, category).topic_id
    response = signed_in(coordinator).post(forum_url(network, f"/t/{topic_id}/move"),
                                           data={"category": foreign.id})
    assert response.status_code in (302, 404)
    assert _topic(topic_id).category_id == category.id


# --- hidden topics and posts -------------------------------------------------------------

def test_hidden_topic_reaches_coordinators_only(forum, signed_in):
    network, category, alice, bob, coordinator, _ = forum
    post = start_topic(alice, category, title="Sujet à masquer")
    [answer] = add_replies(post.topic, [bob], 1)
    _moderate(signed_in(coordinator), network, post.topic_id, "hide")
    for member in (alice, bob):  # even its author
        client = signed_in(member)
        for path in ("/", "/new", f"/c/{category.id}", "/feed.atom"):
            page = text_of(client.get(forum_url(network, path)))
            assert "Sujet à masquer" not in page, path
        for path in (f"/t/{post.topic_id}", f"/t/{post.topic_id}/unread",
                     f"/t/{post.topic_id}/reply", f"/p/{post.id}", f"/p/{answer.id}",
                     f"/p/{answer.id}/history", f"/p/{answer.id}/report"):
            assert client.get(forum_url(network, path)).status_code == 404, path
        response = client.post(forum_url(network, f"/t/{post.topic_id}/reply"),
                               data={"body": "Toujours là ?"})
        assert response.status_code == 404
    coordinator_client = signed_in(coordinator)
    assert "Sujet à masquer" in text_of(coordinator_client.get(forum_url(network,
                                                                         f"/c/{category.id}")))
    page = text_of(coordinator_client.get(forum_url(network, f"/t/{post.topic_id}")))
    assert "Sujet à masquer" in page and "masqué" in page
    assert post_count(post.topic_id) == 2


def test_hidden_post_reaches_coordinators_only(forum, signed_in):
    network, category, alice, bob, coordinator, _ = forum
    post = start_topic(alice, category)
    [answer] = add_replies(post.topic, [bob], 1, body="Contenu déplacé n° {n}")
    response = signed_in(coordinator).post(forum_url(network, f"/p/{answer.id}/hide"),
                                           data={"hidden": "1"})
    assert response.status_code == 302
    assert _topic(post.topic_id).post_count == 1
    for member in (alice, bob):
        client = signed_in(member)
        page = text_of(client.get(forum_url(network, f"/t/{post.topic_id}")))
        assert "Contenu déplacé" not in page and 'id="post-2"' not in page
        for path in (f"/p/{answer.id}", f"/p/{answer.id}/history", f"/p/{answer.id}/edit",
                     f"/p/{answer.id}/report", f"/t/{post.topic_id}/reply?quote={answer.id}"):
            assert client.get(forum_url(network, path)).status_code == 404, path
    page = text_of(signed_in(coordinator).get(forum_url(network, f"/t/{post.topic_id}")))
    assert "Contenu déplacé" in page and "masqué par la modération" in page
    signed_in(coordinator).post(forum_url(network, f"/p/{answer.id}/hide"), data={"hidden": "0"})
    assert _topic(post.topic_id).post_count == 2
    assert "Contenu déplacé" in text_of(signed_in(bob).get(forum_url(network,
                                                                     f"/t/{post.topic_id}")))


# --- delete and restore ------------------------------------------------------------------

def _reply_count_shown(client, network, category_id: int, title: str) -> int:
    import re

    page = client.get(forum_url(network, f"/c/{category_id}")).get_data(as_text=True)
    row = next(r for r in page.split("<tr") if title in r)
    return int(re.search(r'<td class="text-end">(\d+)</td>', row).group(1))


def test_author_deletes_coordinator_restores_and_counters_follow(forum, signed_in):
    network, category, alice, bob, coordinator, _ = forum
    post = start_topic(alice, category, title="Sujet compté")
    answers = add_replies(post.topic, [bob, alice], 3, body="Texte de la réponse {n}")
    bob_client = signed_in(bob)
    assert _reply_count_shown(bob_client, network, category.id, "Sujet compté") == 3
    response = bob_client.post(forum_url(network, f"/p/{answers[0].id}/delete"))
    assert response.status_code == 302
    deleted = db.session.get(Post, answers[0].id)
    assert deleted.is_deleted and deleted.deleted_by_id == bob.id  # soft: the row stays
    assert _topic(post.topic_id).reply_count == 2
    assert db.session.get(Category, category.id).post_count == 3
    assert _reply_count_shown(bob_client, network, category.id, "Sujet compté") == 2
    alice_client = signed_in(alice)
    page = text_of(alice_client.get(forum_url(network, f"/t/{post.topic_id}")))
    assert "Texte de la réponse 2" not in page and "Texte de la réponse 3" in page
    assert alice_client.get(forum_url(network, f"/p/{answers[0].id}")).status_code == 404
    # a member may not restore, even their own post
    assert bob_client.post(forum_url(network, f"/p/{answers[0].id}/restore")).status_code \
        in (403, 404)
    assert db.session.get(Post, answers[0].id).is_deleted
    coordinator_client = signed_in(coordinator)
    page = text_of(coordinator_client.get(forum_url(network, f"/t/{post.topic_id}")))
    assert "Texte de la réponse 2" in page and "Message supprimé" in page
    response = coordinator_client.post(forum_url(network, f"/p/{answers[0].id}/restore"))
    assert response.status_code == 302
    assert not db.session.get(Post, answers[0].id).is_deleted
    assert _topic(post.topic_id).reply_count == 3
    assert db.session.get(Category, category.id).post_count == 4
    assert _reply_count_shown(bob_client, network, category.id, "Sujet compté") == 3
    assert "Texte de la réponse 2" in text_of(alice_client.get(forum_url(network,
                                                                         f"/t/{post.topic_id}")))


def test_member_cannot_delete_someone_elses_post(forum, signed_in):
    network, category, alice, bob, *_ = forum
    post = start_topic(alice, category)
    response = signed_in(bob).post(forum_url(network, f"/p/{post.id}/delete"))
    assert response.status_code == 403
    assert not db.session.get(Post, post.id).is_deleted


def test_first_post_with_replies_stays_for_its_author(forum, signed_in):
    network, category, alice, bob, *_ = forum
    post = start_topic(alice, category)
    add_replies(post.topic, [bob], 1)
    response = signed_in(alice).post(forum_url(network, f"/p/{post.id}/delete"),
                                     follow_redirects=True)
    assert "ne peut être supprimé que par un coordinateur" in text_of(response)
    assert not db.session.get(Post, post.id).is_deleted


@pytest.mark.parametrize("action", ["pin", "lock", "hide"])
def test_moderation_buttons_toggle(forum, signed_in, action):
    network, category, alice, bob, coordinator, _ = forum
    topic_id = start_topic(alice, category).topic_id
    client = signed_in(coordinator)
    flag = {"pin": "is_pinned", "lock": "is_locked", "hide": "is_hidden"}[action]
    _moderate(client, network, topic_id, action)
    assert getattr(_topic(topic_id), flag) is True
    _moderate(client, network, topic_id, "un" + action)
    assert getattr(_topic(topic_id), flag) is False


def test_feed_is_valid_xml_whatever_the_titles(forum, signed_in):
    from defusedxml import ElementTree

    network, category, alice, *_ = forum
    start_topic(alice, category, title="Tom & <Jerry> ]]> <script>x</script>")
    response = signed_in(alice).get(forum_url(network, "/feed.atom"))
    assert response.status_code == 200
    root = ElementTree.fromstring(response.get_data())
    titles = [element.text for element in root.iter("{http://www.w3.org/2005/Atom}title")]
    assert "Tom & <Jerry> ]]> <script>x</script>" in titles
