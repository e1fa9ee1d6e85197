"""The bell, the list (grouped by day, paginated, each row leading to the exact place), marking
read, the preferences page, and following a document folder."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from tests.conftest import text_of
from tests.notifications.conftest import notifications_of, remove_member
from workspace.documents import service as documents
from workspace.extensions import db
from workspace.forums import service as forums
from workspace.notifications import service
from workspace.notifications.follows import is_following
from workspace.notifications.kinds import kinds
from workspace.notifications.models import Notification


def _bell(response) -> int:
    match = re.search(r'class="nav-link notification-bell"[^>]*data-unread="(\d+)"',
                      response.get_data(as_text=True))
    assert match, "no bell in the page"
    return int(match.group(1))


def _mention_bob(world, title: str = "Imprimantes"):
    post = forums.create_topic(world.alice, world.category, title,
                               f"@{world.bob.handle} tu as vu ?")
    db.session.commit()
    return post


def test_bell_counts_unread_and_marking_read_lowers_it(world, signed_in):
    first, second = _mention_bob(world, "Imprimantes"), _mention_bob(world, "Sauvegardes")
    bob = signed_in(world.bob)
    home = bob.get("/")
    assert _bell(home) == 2
    assert 'aria-label="Notifications : 2 à lire"' in home.get_data(as_text=True)
    page = bob.get("/notifications/")
    text = text_of(page)
    assert "Alice Martin vous a mentionné dans « Sauvegardes »" in text
    assert text.index("Sauvegardes") < text.index("Imprimantes")  # newest first
    rows = notifications_of(world.bob)
    opened = bob.get(f"/notifications/{rows[0].id}")
    assert opened.status_code == 302
    assert opened.headers["Location"] == f"/n/{world.network.slug}/forum/p/{first.id}"
    assert _bell(bob.get("/")) == 1
    response = bob.post(f"/notifications/{rows[1].id}/read", data={"next": "/notifications/"})
    assert response.status_code == 302 and _bell(bob.get("/")) == 0
    assert all(row.read_at for row in notifications_of(world.bob))
    assert second.topic.title == "Sauvegardes"
    assert _bell(signed_in(world.alice).get("/")) == 0


def test_mark_all_read_spares_what_arrived_after_the_page_was_shown(world, signed_in):
    _mention_bob(world)
    bob = signed_in(world.bob)
    shown_at = re.search(r'name="shown_at" value="([^"]+)"',
                         bob.get("/notifications/").get_data(as_text=True)).group(1)
    later = Notification(user_id=world.bob.id, kind="mention", network_id=world.network.id,
                         actor_id=world.alice.id, target_type="forum_post",
                         target_id=notifications_of(world.bob)[0].target_id, channel="site",
                         created_at=datetime.fromisoformat(shown_at) + timedelta(seconds=5))
    db.session.add(later)
    db.session.commit()
    response = bob.post("/notifications/read", data={"shown_at": shown_at})
    assert response.status_code == 302
    assert _bell(bob.get("/")) == 1
    bob.post("/notifications/read", data={"shown_at": "n'importe quoi"})  # no 500: all read
    assert _bell(bob.get("/")) == 0


def test_someone_elses_notification_is_404(world, signed_in):
    _mention_bob(world)
    [row] = notifications_of(world.bob)
    alice = signed_in(world.alice)
    assert alice.get(f"/notifications/{row.id}").status_code == 404
    assert alice.post(f"/notifications/{row.id}/read").status_code == 404
    assert alice.get("/notifications/99999999999999999999").status_code == 404
    assert db.session.get(Notification, row.id).read_at is None


def test_rows_of_objects_no_longer_visible_are_neither_shown_nor_counted(world, signed_in):
    post = _mention_bob(world, "Budget confidentiel")
    bob = signed_in(world.bob)
    assert _bell(bob.get("/")) == 1
    forums.set_topic_flag(world.coordinator, post.topic, "is_hidden", True)
    db.session.commit()
    assert "Budget confidentiel" not in text_of(bob.get("/notifications/"))
    assert bob.get(f"/notifications/{notifications_of(world.bob)[0].id}").status_code == 404
    forums.set_topic_flag(world.coordinator, post.topic, "is_hidden", False)
    db.session.commit()
    assert _bell(bob.get("/")) == 1
    remove_member(world, world.bob)
    assert _bell(bob.get("/")) == 0
    assert "Budget confidentiel" not in text_of(bob.get("/notifications/"))


def test_names_are_read_at_display_time(world, signed_in):
    _mention_bob(world, "Imprimantes")
    world.alice.first_name, world.alice.last_name = "Membre", "anonymisé"
    db.session.commit()
    text = text_of(signed_in(world.bob).get("/notifications/"))
    assert "Membre anonymisé vous a mentionné" in text and "Alice" not in text


def test_list_is_grouped_by_day_and_paginated(world, signed_in):
    post = _mention_bob(world)
    base = datetime(2026, 3, 10, 10, tzinfo=UTC)
    for n in range(40):
        db.session.add(Notification(
            user_id=world.bob.id, kind="forum_post", network_id=world.network.id,
            actor_id=world.alice.id, target_type="forum_post", target_id=post.id,
            channel="site", created_at=base - timedelta(hours=12 * n)))
    db.session.commit()
    bob = signed_in(world.bob)
    first = bob.get("/notifications/").get_data(as_text=True)
    assert "Page 1 sur 2" in first and "?page=2" in first
    headings = re.findall(r'<h2 class="h5" id="day-\d+">([^<]+)</h2>', first)
    assert len(headings) == len(set(headings)) > 1  # one heading per day
    assert "mardi 10 mars 2026" in headings
    second = bob.get("/notifications/?page=2")
    assert second.status_code == 200 and "Page 2 sur 2" in text_of(second)
    for bad in ("abc", "-1", "0", "99999999999999999999", "9999"):
        assert bob.get(f"/notifications/?page={bad}").status_code == 200
    unread = bob.get("/notifications/?unread=1")
    assert unread.status_code == 200


def test_preferences_saved_and_validated(world, signed_in):
    bob = signed_in(world.bob)
    page = bob.get("/notifications/preferences")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert len(kinds()) == 18  # every feature registered its kinds (polls: 4)
    for name in kinds():
        assert f'<label for="kind-{name}">' in html and f'id="kind-{name}"' in html
    assert "/notifications/preferences" in bob.get("/account").get_data(as_text=True)
    values = {f"kind-{name}": kind.default for name, kind in kinds().items()}
    values["kind-forum_post"] = "weekly"
    response = bob.post("/notifications/preferences", data=values)
    assert response.status_code == 302
    assert service.channel_of(world.bob, "forum_post") == "weekly"
    assert "Vos préférences de notification sont enregistrées." in text_of(
        bob.get("/notifications/preferences"))
    for bad in ({**values, "kind-mention": "pigeon"},
                {**values, "kind-announcement": "daily"},  # announcements are never delayed
                {k: v for k, v in values.items() if k != "kind-meeting_changed"}):
        bad = {**bad, "kind-forum_post": "none"}
        response = bob.post("/notifications/preferences", data=bad)
        assert response.status_code == 200
        assert "choisissez une des options proposées" in text_of(response)
        assert service.channel_of(world.bob, "forum_post") == "weekly"  # nothing saved


def test_following_a_folder(world, signed_in):
    folder = documents.create_folder(world.alice, world.network, None, "Marchés")
    db.session.commit()
    url = f"/n/{world.network.slug}/documents/folders/{folder.id}/follow"
    bob = signed_in(world.bob)
    page = f"/n/{world.network.slug}/documents/folders/{folder.id}"
    assert "Suivre ce dossier" in text_of(bob.get(page))
    assert bob.post(url, data={"follow": "1"}).status_code == 302
    assert is_following(world.bob, "folder", folder.id)
    assert "Ne plus suivre ce dossier" in text_of(bob.get(page))
    bob.post(url, data={"follow": "0"})
    assert not is_following(world.bob, "folder", folder.id)
    outsider = signed_in(world.outsider)
    assert outsider.post(url, data={"follow": "1"}).status_code == 404
    assert bob.post(f"/n/{world.network.slug}/documents/folders/999999/follow",
                    data={"follow": "1"}).status_code == 404


def test_list_page_statements_do_not_grow_with_the_rows(world, signed_in):
    from sqlalchemy import event

    post = _mention_bob(world)
    bob = signed_in(world.bob)

    def statements() -> int:
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert bob.get("/notifications/").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    few = statements()
    for n in range(25):
        reply = forums.reply(world.coordinator if n % 2 else world.alice, post.topic,
                             f"Réponse {n}")
        db.session.add(Notification(
            user_id=world.bob.id, kind="forum_post", network_id=world.network.id,
            actor_id=reply.author_id, target_type="forum_post", target_id=reply.id,
            channel="site"))
    db.session.commit()
    assert statements() <= few + 2


def test_titles_are_escaped_in_the_list(world, signed_in):
    _mention_bob(world, "<script>alert(1)</script>")
    html = signed_in(world.bob).get("/notifications/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
