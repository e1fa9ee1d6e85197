"""Digests: one e-mail listing everything (never cut without saying how many more and where),
grouped by network and kind; decided when the job runs, so a member removed in between gets
nothing."""
from __future__ import annotations

import re

from tests.notifications.conftest import body_of, notifications_of, remove_member, run_digest
from workspace.core.jobs import periodic_tasks
from workspace.extensions import db
from workspace.forums import notify as forum_notify
from workspace.forums import service as forums
from workspace.notifications.kinds import WEEKLY
from workspace.notifications.models import MAIL_DROPPED, MAIL_SENT
from workspace.notifications.service import set_preference


def _thirty_posts(world) -> list:
    first = forums.create_topic(world.alice, world.category, "Migration Zimbra", "On commence.")
    posts = [first] + [forums.reply(world.alice, first.topic, f"Étape n° {n} faite.")
                       for n in range(2, 31)]
    db.session.commit()
    return posts


def test_digests_are_periodic_paris_time(app):
    assert periodic_tasks(app)["notifications.daily_digest"].daily_at == "07:00"
    assert periodic_tasks(app)["notifications.weekly_digest"].daily_at == "07:15"


def test_daily_digest_one_email_listing_all_thirty_posts(world, mailbox):
    forum_notify.follow_category(world.bob, world.category)  # forum posts: daily by default
    db.session.commit()
    posts = _thirty_posts(world)
    assert mailbox.to(world.bob.email) == []  # nothing at once
    messages = [m for m in run_digest(mailbox) if world.bob.email in m.envelope_to]
    assert len(messages) == 1
    [digest] = messages
    assert digest["Subject"] == "Votre résumé du jour : 30 notifications"
    body = body_of(digest)
    for post in posts:
        assert f"http://tilt.test/n/{world.network.slug}/forum/p/{post.id}\n" in body
    assert body.count("Alice Martin a écrit dans « Migration Zimbra »") == 30
    assert "== Réseau informatique · Nouveaux messages des sujets et catégories suivis (30) ==" \
        in body
    assert "autres" not in body
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mailbox.to(world.alice.email) == []  # her own posts
    assert all(n.mail_state == MAIL_SENT for n in notifications_of(world.bob))
    assert [m for m in run_digest(mailbox, slot="2026-12-01")
            if world.bob.email in m.envelope_to] == []  # nothing is sent twice


def test_capped_digest_says_how_many_more_and_where(app, world, mailbox):
    app.config["NOTIFICATIONS_DIGEST_LIMIT"] = 10
    forum_notify.follow_category(world.bob, world.category)
    db.session.commit()
    _thirty_posts(world)
    [digest] = [m for m in run_digest(mailbox) if world.bob.email in m.envelope_to]
    body = body_of(digest)
    assert body.count("Alice Martin a écrit dans") == 10
    assert "… et 20 autres notifications :\nhttp://tilt.test/notifications/" in body


def test_digest_groups_by_network_and_kind(world, mailbox, make_network):
    from tests.notifications.test_events import meeting_data
    from workspace.meetings import service as meetings

    other = make_network("Réseau patrimoine bâti", members=[world.bob],
                         coordinators=[world.coordinator])
    forum_notify.follow_category(world.bob, world.category)
    forums.create_topic(world.alice, world.category, "Sauvegardes", "Quel outil ?")
    meetings.save_meeting(world.coordinator, other, None, meeting_data("Visite du musée"))
    db.session.commit()
    [digest] = [m for m in run_digest(mailbox) if world.bob.email in m.envelope_to]
    body = body_of(digest)
    informatique = body.index("== Réseau informatique · Nouveaux messages")
    patrimoine = body.index("== Réseau patrimoine bâti · Réunions programmées (1) ==")
    assert informatique < patrimoine
    assert "Réunion programmée : « Visite du musée »" in body


def test_weekly_digest_goes_on_mondays_only(world, mailbox):
    set_preference(world.bob, "forum_post", WEEKLY)
    forum_notify.follow_category(world.bob, world.category)
    db.session.commit()
    forums.create_topic(world.alice, world.category, "Sauvegardes", "Quel outil ?")
    db.session.commit()
    assert run_digest(mailbox, "daily") == []
    assert run_digest(mailbox, "weekly", slot="2026-12-01") == []  # a Tuesday
    [digest] = run_digest(mailbox, "weekly", slot="2026-11-30")  # a Monday
    assert digest.envelope_to == [world.bob.email]
    assert digest["Subject"] == "Votre résumé de la semaine : 1 notification"


def test_member_removed_from_private_network_gets_nothing_from_a_queued_digest(world, mailbox):
    forum_notify.follow_category(world.bob, world.category)
    db.session.commit()
    forums.create_topic(world.alice, world.category, "Budget 2027", "Confidentiel.")
    db.session.commit()
    assert notifications_of(world.bob)  # queued for tomorrow's digest
    remove_member(world, world.bob)
    messages = run_digest(mailbox)
    assert [m for m in messages if world.bob.email in m.envelope_to] == []
    assert [n.mail_state for n in notifications_of(world.bob)] == [MAIL_DROPPED]


def test_member_removed_gets_no_immediate_email_either(world, mailbox):
    from tests.notifications.test_events import meeting_data
    from workspace.meetings import service as meetings

    meeting = meetings.save_meeting(world.coordinator, world.network, None,
                                    meeting_data("Comité"))
    db.session.commit()
    mailbox.clear()
    remove_member(world, world.bob)
    meetings.cancel_meeting(world.coordinator, meeting)  # "changed": e-mail at once...
    db.session.commit()
    assert mailbox.to(world.bob.email) == []  # ...but not to someone no longer there
    assert len(mailbox.to(world.alice.email)) == 1


def test_removed_member_mentioned_in_digest_rows_shows_only_what_remains(world, mailbox,
                                                                        make_network):
    """A digest with rows of two networks keeps those of the network still visible."""
    other = make_network("Réseau voirie", members=[world.bob], coordinators=[world.coordinator],
                         is_private=True)
    other_category = forums.save_category(world.coordinator, other, None, name="Général")
    forum_notify.follow_category(world.bob, world.category)
    forum_notify.follow_category(world.bob, other_category)
    db.session.commit()
    forums.create_topic(world.alice, world.category, "Secret informatique", "…")
    forums.create_topic(world.coordinator, other_category, "Chantier rue Nationale", "…")
    db.session.commit()
    remove_member(world, world.bob)
    [digest] = [m for m in run_digest(mailbox) if world.bob.email in m.envelope_to]
    body = body_of(digest)
    assert "Chantier rue Nationale" in body and "Secret informatique" not in body
    assert digest["Subject"] == "Votre résumé du jour : 1 notification"
    assert re.search(r"Réseau informatique", body) is None
