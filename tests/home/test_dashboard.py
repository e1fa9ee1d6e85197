"""The dashboard: what is new since my previous visit, my upcoming meetings and workshops
with my answers, my open actions, the unread topics I follow and the recent documents of my
networks; nothing of a network I may not see; a fixed number of SQL statements."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from tests.activity.conftest import delete_document, document, meeting, need, reply, topic, workshop
from tests.conftest import text_of
from tests.forums.helpers import count_statements
from workspace.core.models import utcnow
from workspace.extensions import db
from workspace.forums import notify
from workspace.forums import service as forums
from workspace.home import service
from workspace.home.models import DashboardVisit
from workspace.meetings import service as meetings
from workspace.meetings.models import ActionItem
from workspace.networks.models import ROLE_MEMBER, Membership
from workspace.workshops import service as workshops


def section(html: str, heading: str) -> str:
    """The text of the dashboard's box under `heading` (up to the next box)."""
    start = html.index(heading)
    end = html.find("<section", start)
    return html[start:end if end != -1 else None]


def test_dashboard_gathers_what_waits_for_me(space, signed_in):
    member = space.member
    post = topic(space, "Quota des boîtes", author=space.coordinator)
    notify.follow_topic(member, post.topic)
    db.session.commit()
    reply(space, post, "Une réponse que je n'ai pas lue")
    soon = meeting(space, "Comité technique", starts_in=timedelta(days=3))
    later = meeting(space, "Réunion de printemps", starts_in=timedelta(days=40))
    meetings.answer(member, soon, "yes")
    chaud = workshop(space, "Chaudières", starts_in=timedelta(days=5))
    workshop(space, "Éclairage public", starts_in=timedelta(days=9))
    workshops.register(member, chaud.id)
    meetings.add_action(space.coordinator, space.network, soon, "Recenser les licences",
                        owner_user=member, due_on=date(2020, 1, 31))
    meetings.add_action(space.coordinator, space.network, soon, "Action de quelqu'un d'autre",
                        owner_user=space.coordinator)
    db.session.commit()
    document(space, "charte.txt", b"charte", author=space.colleague)
    need(space, "Formation GED", author=space.colleague)
    need(space, "Mon propre besoin")  # one's own doings are no news
    document(space, "mon-document.txt", b"le mien")

    html = text_of(signed_in(member).get("/"))
    new = section(html, "Quoi de neuf dans mes réseaux")
    # titles come cleaned from file names: "charte.txt" is "Charte"
    for text in ("Formation GED", "Charte", "Comité technique", "Chaudières",
                 "Quota des boîtes", "Une réponse que je n'ai pas lue"):
        assert text in new, text
    assert "Mon propre besoin" not in new and "Mon document" not in new
    assert "Les deux dernières semaines." in new  # a first visit

    upcoming = section(html, "Mes prochaines réunions")
    assert upcoming.index("Comité technique") < upcoming.index("Réunion de printemps")
    assert "Vous avez répondu : je viens" in upcoming
    assert "Pas encore de réponse : répondre" in upcoming  # the spring meeting
    assert later.title in upcoming

    ateliers = section(html, "Prochains ateliers")
    assert "Chaudières" in ateliers and "inscription confirmée" in ateliers
    assert "Éclairage public" in ateliers and "pas d'inscription" in ateliers
    assert "inscriptions jusqu'au" in ateliers

    actions = section(html, "Mes actions en cours")
    assert "Recenser les licences" in actions and "en retard" in actions
    assert "31 janvier 2020" in actions
    assert "Action de quelqu'un d'autre" not in actions

    topics = section(html, "Sujets suivis non lus")
    assert "Quota des boîtes" in topics and "2 non lus" in topics  # never opened

    assert "Charte" in section(html, "Documents récents")
    assert "Mon document" in section(html, "Documents récents")


def test_dates_are_in_french_and_paris_time(space, signed_in):
    start = datetime(2030, 7, 14, 7, 30, tzinfo=UTC)  # 9:30 in Paris (summer)
    made = workshop(space, "Chaudières", starts_in=timedelta(days=1))
    made.starts_at, made.ends_at = start, start + timedelta(hours=2)
    db.session.commit()
    html = text_of(signed_in(space.member).get("/"))
    assert "dimanche 14 juillet 2030 à 09:30" in section(html, "Prochains ateliers")


def test_nothing_from_a_network_i_cannot_see(space, other, signed_in):
    secret = topic(other, "Sujet secret", author=other.coordinator)
    notify.follow_topic(space.member, secret.topic)  # a follow left from an old membership
    reply(other, secret, "Réponse secrète")
    meeting(other, "Réunion secrète")
    workshop(other, "Atelier secret")
    document(other, "secret.txt", b"secret")
    need(other, "Besoin secret")
    # an action given to the member when they belonged to that network
    db.session.add(ActionItem(network_id=other.network.id, title="Action secrète",
                              owner_user_id=space.member.id))
    db.session.commit()
    mine = topic(space, "Sujet à nous", author=space.colleague)

    html = text_of(signed_in(space.member).get("/"))
    assert "secret" not in html.lower() and "Réseau patrimoine" not in html
    assert mine.topic.title in html
    # and the other way round
    theirs = text_of(signed_in(other.member).get("/"))
    assert "Sujet à nous" not in theirs and "Sujet secret" in theirs


def test_hidden_and_trashed_content_left_out(space, signed_in):
    post = topic(space, "Sujet masqué", author=space.coordinator)
    notify.follow_topic(space.member, post.topic)
    reply(space, post, "Réponse")
    forums.set_topic_flag(space.coordinator, post.topic, "is_hidden", True)
    db.session.commit()
    delete_document(space, document(space, "jete.txt", b"jete"))
    html = text_of(signed_in(space.member).get("/"))
    assert "Sujet masqué" not in html and "jete" not in html
    assert "Aucun message non lu dans les sujets que vous suivez." in html
    assert "Aucun document dans vos réseaux." in html


def test_read_topics_and_closed_actions_leave_the_dashboard(space, signed_in):
    post = topic(space, "Quota", author=space.coordinator)
    notify.follow_topic(space.member, post.topic)
    reply(space, post)
    item = meetings.add_action(space.coordinator, space.network, None, "Recenser",
                               owner_user=space.member)
    db.session.commit()
    client = signed_in(space.member)
    assert "Recenser" in section(text_of(client.get("/")), "Mes actions en cours")
    client.get(f"/n/{space.network.slug}/forum/t/{post.topic_id}")  # reads it
    meetings.set_action_status(space.coordinator, item, "done")
    db.session.commit()
    html = text_of(client.get("/"))
    assert "Quota" not in section(html, "Sujets suivis non lus")
    assert "Recenser" not in section(html, "Mes actions en cours")


def test_actions_of_my_commune_without_a_person(space, signed_in, make_organisation):
    from workspace.communes.models import Organisation

    mine = db.session.get(Organisation, space.member.organisation_id)
    elsewhere = make_organisation("Allonnes")
    meetings.add_action(space.coordinator, space.network, None, "Pour ma commune",
                        owner_organisation=mine)
    meetings.add_action(space.coordinator, space.network, None, "Pour une autre commune",
                        owner_organisation=elsewhere)
    db.session.commit()
    actions = section(text_of(signed_in(space.member).get("/")), "Mes actions en cours")
    assert "Pour ma commune" in actions and "confiée à Coulaines" in actions
    assert "Pour une autre commune" not in actions


def test_cancelled_and_past_events_are_not_upcoming(space, signed_in):
    gone = meeting(space, "Réunion annulée")
    meetings.cancel_meeting(space.coordinator, gone)
    past = meeting(space, "Réunion passée")
    past.starts_at = utcnow() - timedelta(days=3)
    past.ends_at = past.starts_at + timedelta(hours=1)
    db.session.commit()
    html = text_of(signed_in(space.member).get("/"))
    upcoming = section(html, "Mes prochaines réunions")
    assert "Aucune réunion à venir." in upcoming


# --- the visit mark ----------------------------------------------------------------------

def test_new_since_the_previous_visit(space, signed_in):
    old = need(space, "Besoin déjà vu", author=space.colleague)
    client = signed_in(space.member)
    assert "Besoin déjà vu" in section(text_of(client.get("/")), "Quoi de neuf")
    visit = db.session.get(DashboardVisit, space.member.id)
    assert visit.previous_seen_at is None
    # two hours later, the member comes back; in between a colleague recorded a need
    visit.seen_at = utcnow() - timedelta(hours=2)
    old.created_at = utcnow() - timedelta(hours=3)
    db.session.commit()
    need(space, "Besoin nouveau", author=space.colleague)
    first = section(text_of(client.get("/")), "Quoi de neuf")
    assert "Besoin nouveau" in first and "Besoin déjà vu" not in first
    assert "Depuis votre visite précédente" in first
    # within the same visit the list stays put, and nothing is written
    with count_statements() as seen:
        again = section(text_of(client.get("/")), "Quoi de neuf")
    assert again == first
    writes = [s for s in seen.all if s.lstrip().upper().startswith(("UPDATE", "INSERT"))
              and "dashboard_visits" in s]
    assert writes == []


def test_visit_mark_moves_at_most_once_an_hour(space):
    now = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
    assert service.record_visit(space.member, now) is None
    assert service.record_visit(space.member, now + timedelta(minutes=59)) is None
    assert service.record_visit(space.member, now + timedelta(hours=2)) == now
    assert service.record_visit(space.member, now + timedelta(hours=2, minutes=30)) == now
    assert service.record_visit(space.member, now + timedelta(hours=5)) == (
        now + timedelta(hours=2))


def test_other_pages_do_not_write_the_visit_mark(space, signed_in):
    client = signed_in(space.member)
    client.get(f"/n/{space.network.slug}/")
    client.get(f"/n/{space.network.slug}/activity/")
    assert db.session.get(DashboardVisit, space.member.id) is None


def test_no_network_yet(signed_in, make_user):
    html = text_of(signed_in(make_user()).get("/"))
    assert "Vous ne faites encore partie d'aucun réseau." in html


# --- statements ---------------------------------------------------------------------------

def _fill(space, n: int, members) -> None:
    for i in range(n):
        author = members[i % len(members)]
        post = topic(space, f"Sujet {i}", author=author)
        notify.follow_topic(space.member, post.topic)
        reply(space, post, f"Réponse {i}", author=members[(i + 1) % len(members)])
        made = meeting(space, f"Réunion {i}", starts_in=timedelta(days=i + 1))
        meetings.answer(space.member, made, "maybe")
        meetings.add_action(space.coordinator, space.network, made, f"Action {i}",
                            owner_user=space.member)
        opened = workshop(space, f"Atelier {i}", starts_in=timedelta(days=i + 2))
        workshops.register(space.member, opened.id)
        document(space, f"doc{i}.txt", f"contenu {i}".encode())
        need(space, f"Besoin {i}")
    db.session.commit()


def _statements(client) -> int:
    client.get("/")  # the first view records the visit
    with count_statements() as seen:
        assert client.get("/").status_code == 200
    return len(seen)


def test_same_number_of_statements_whatever_the_data(space, other, signed_in, make_user):
    authors = [make_user() for _ in range(6)]
    for author in authors:
        db.session.add(Membership(network_id=space.network.id, user_id=author.id,
                                  role=ROLE_MEMBER))
    db.session.add(Membership(network_id=other.network.id, user_id=space.member.id,
                              role=ROLE_MEMBER))
    db.session.commit()
    client = signed_in(space.member)
    empty = _statements(client)
    _fill(space, 2, authors)
    small = _statements(client)
    _fill(space, 25, authors)
    _fill(other, 3, [other.member])
    large = _statements(client)
    assert small == large, (empty, small, large)
    assert large <= 25, large
