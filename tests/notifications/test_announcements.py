"""A coordinator's important announcement reaches every member at once, whatever their digest
setting; "site only" or "nothing" for announcements is respected."""
from __future__ import annotations

from sqlalchemy import select

from tests.conftest import text_of
from tests.notifications.conftest import notifications_of
from workspace.extensions import db
from workspace.forums import notify as forum_notify
from workspace.forums.models import Topic
from workspace.notifications import service
from workspace.notifications.kinds import DAILY, NONE, SITE, WEEKLY


def _new_topic(client, world, important: bool):
    data = {"title": "Coupure réseau samedi", "body": "Arrêt de 8 h à 12 h."}
    if important:
        data["important"] = "y"
    return client.post(f"/n/{world.network.slug}/forum/c/{world.category.id}/new", data=data)


def test_important_announcement_reaches_members_on_digest_at_once(world, signed_in, mailbox,
                                                                  make_user):
    service.set_preference(world.bob, "forum_post", WEEKLY)
    forum_notify.follow_category(world.bob, world.category)  # would wait for Monday...
    service.set_preference(world.alice, "forum_post", DAILY)
    db.session.commit()
    response = _new_topic(signed_in(world.coordinator), world, important=True)
    assert response.status_code == 302
    for member in (world.alice, world.bob):
        [message] = mailbox.to(member.email)  # ...yet hears of it now, once
        assert message["Subject"] == ("[Réseau informatique] Annonce importante : "
                                      "« Coupure réseau samedi »")
        assert "Arrêt de 8 h à 12 h." in message.get_body(("plain",)).get_content()
        [row] = notifications_of(member)
        assert row.kind == "announcement" and row.is_important
    assert mailbox.to(world.coordinator.email) == [] and mailbox.to(world.outsider.email) == []
    page = text_of(signed_in(world.bob).get("/notifications/"))
    assert "Important" in page and "Coupure réseau samedi" in page


def test_site_only_and_nothing_are_respected(world, signed_in, mailbox):
    service.set_preference(world.alice, "announcement", SITE)
    service.set_preference(world.bob, "announcement", NONE)
    db.session.commit()
    _new_topic(signed_in(world.coordinator), world, important=True)
    assert mailbox.to(world.alice.email) == [] and mailbox.to(world.bob.email) == []
    assert [n.kind for n in notifications_of(world.alice)] == ["announcement"]
    assert notifications_of(world.bob) == []


def test_a_plain_topic_is_no_announcement(world, signed_in, mailbox):
    _new_topic(signed_in(world.coordinator), world, important=False)
    assert mailbox.to(world.alice.email) == [] and notifications_of(world.alice) == []


def test_only_coordinators_see_and_may_use_the_checkbox(world, signed_in, mailbox):
    form = f"/n/{world.network.slug}/forum/c/{world.category.id}/new"
    assert "Annonce importante" in text_of(signed_in(world.coordinator).get(form))
    alice = signed_in(world.alice)
    assert "Annonce importante" not in text_of(alice.get(form))
    response = _new_topic(alice, world, important=True)  # a forged form
    assert response.status_code == 200
    assert "Seuls les coordinateurs publient des annonces importantes." in text_of(response)
    assert db.session.scalar(select(Topic)) is None  # nothing half-saved
    assert mailbox.to(world.bob.email) == []


def test_a_mentioned_member_on_digest_still_gets_the_announcement_at_once(world, signed_in,
                                                                         mailbox):
    service.set_preference(world.bob, "mention", DAILY)
    db.session.commit()
    signed_in(world.coordinator).post(
        f"/n/{world.network.slug}/forum/c/{world.category.id}/new",
        data={"title": "Coupure", "body": f"@{world.bob.handle} tu préviens ta mairie ?",
              "important": "y"})
    [message] = mailbox.to(world.bob.email)
    assert "Annonce importante" in message["Subject"]
    assert [n.kind for n in notifications_of(world.bob)] == ["announcement"]  # one per post


def test_meeting_change_flagged_important_reaches_members_on_digest_at_once(world, signed_in,
                                                                           mailbox):
    from tests.notifications.test_events import meeting_data
    from workspace.meetings import service as meetings

    meeting = meetings.save_meeting(world.coordinator, world.network, None,
                                    meeting_data("Comité de pilotage"))
    service.set_preference(world.alice, "meeting_changed", DAILY)
    service.set_preference(world.bob, "meeting_changed", WEEKLY)
    db.session.commit()
    mailbox.clear()
    form = {"title": "Comité de pilotage", "starts_at": "2030-01-12T14:00",
            "ends_at": "2030-01-12T16:00", "location": "Salle 2 (changement)"}
    client = signed_in(world.coordinator)
    url = f"/n/{world.network.slug}/meetings/{meeting.id}/edit"
    assert "Important : prévenir tout de suite" in text_of(client.get(url))
    assert client.post(url, data=form).status_code == 302  # not flagged: digests wait
    assert mailbox.to(world.alice.email) == [] and mailbox.to(world.bob.email) == []
    assert client.post(url, data={**form, "important": "y"}).status_code == 302
    for member in (world.alice, world.bob):
        [message] = mailbox.to(member.email)
        assert message["Subject"] == ("[Réseau informatique] Réunion modifiée : "
                                      "« Comité de pilotage »")
