"""Fixtures of the plan tests: the IT network (private) with its coordinator and a member of
Coulaines, the building network with its own member (the outsider), a plan 2014–2020 whose
action 1 belongs to the IT network, and a year 2017 of network activity written as rows with
their real dates (what the services would have stored in 2017)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from workspace.documents.models import Document
from workspace.extensions import db
from workspace.forums.models import Category, Post, Topic
from workspace.meetings.models import ActionItem, Meeting, Rsvp
from workspace.needs.models import Need
from workspace.plan import service
from workspace.plan.models import Objective, Plan, PlanAction
from workspace.workshops.models import Registration, Workshop


def at(year, month, day, hour=10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


@dataclass
class PlanWorld:
    admin: object
    coordinator: object
    member: object
    outsider: object
    other_coordinator: object
    network: object
    other: object
    coulaines: object
    mulsanne: object
    plan: Plan
    action: PlanAction  # action 1, IT network
    other_action: PlanAction  # action 2, building network
    open_action: PlanAction  # action 3, no network
    objectives: list[Objective]


@pytest.fixture
def plan_world(make_user, make_network, make_organisation):
    coulaines, mulsanne = make_organisation("Coulaines"), make_organisation("Mulsanne")
    admin = make_user(is_admin=True)
    coordinator = make_user(organisation_id=mulsanne.id)
    member = make_user(organisation_id=coulaines.id)
    outsider = make_user(organisation_id=mulsanne.id)
    other_coordinator = make_user()
    network = make_network("Réseau informatique", members=[member], coordinators=[coordinator])
    other = make_network("Réseau patrimoine bâti", members=[outsider],
                         coordinators=[other_coordinator])
    plan = service.create_plan(admin, "Schéma de mutualisation des services", 2014, 2020)
    action = service.save_action(admin, plan, None, 1, "Partager les systèmes d'information",
                                 "", [network])
    other_action = service.save_action(admin, plan, None, 2, "Partager l'expertise bâti", "",
                                       [other])
    open_action = service.save_action(admin, plan, None, 3, "Culture", "", [])
    objectives = [service.save_objective(coordinator, action, None, service.ObjectiveData(
        title=title, year=2017, semester=semester, kind=kind, status=status))
        for title, semester, kind, status in (
            ("Présenter la messagerie Zimbra", "s1", "information", "done"),
            ("Étude d'opportunité messagerie", "s2", "opportunity", "under_way"),
            ("Harmoniser les parcs", "year", "feasibility", "planned"))]
    service.save_objective(other_coordinator, other_action, None, service.ObjectiveData(
        title="Cellule AMO : étude secrète", year=2017, semester="s2", kind="opportunity",
        status="planned"))
    db.session.commit()
    return PlanWorld(admin, coordinator, member, outsider, other_coordinator, network, other,
                     coulaines, mulsanne, plan, action, other_action, open_action, objectives)


@dataclass
class Activity2017:
    meeting: Meeting
    workshop: Workshop
    need: Need
    document: Document
    topic: Topic
    other_meeting: Meeting  # in the building network


@pytest.fixture
def activity_2017(plan_world, make_user):
    """In the IT network, 2017: 2 meetings held (3 + 1 present), 1 cancelled; a workshop with
    3 confirmed (2 present) and 1 waiting; 2 needs recorded, 1 answered; 3 action items
    opened, 1 closed; 2 documents (1 more deleted); 2 topics (1 more hidden), 5 posts.
    Plus rows of 2016, 2018 and of the other network, which must not be counted."""
    w = plan_world
    extra = make_user(organisation_id=w.coulaines.id)
    lonely = make_user()  # no commune
    add = db.session.add

    def meeting(network, title, when, cancelled=False, present=()):
        item = Meeting(network_id=network.id, title=title, starts_at=when, ends_at=when,
                       location="Le Mans", is_cancelled=cancelled, attendance_recorded=True)
        add(item)
        db.session.flush()
        for user in present:
            add(Rsvp(meeting_id=item.id, user_id=user.id, answer="yes", attended=True))
        return item

    first = meeting(w.network, "Réunion de lancement 2017", at(2017, 3, 8),
                    present=[w.member, extra, w.coordinator])
    meeting(w.network, "Réunion sécurité", at(2017, 10, 5), present=[lonely])
    meeting(w.network, "Réunion annulée", at(2017, 6, 1), cancelled=True, present=[w.member])
    # 31 December 2016 at 23:00 in Paris: not 2017
    meeting(w.network, "Réunion 2016", at(2016, 12, 31, 22), present=[w.member])
    other_meeting = meeting(w.other, "Réunion bâti", at(2017, 4, 4), present=[w.outsider])
    workshop = Workshop(network_id=w.network.id, theme="Messagerie", title="Atelier Zimbra",
                        starts_at=at(2017, 5, 10), ends_at=at(2017, 5, 10, 12), capacity=3,
                        registration_deadline=at(2017, 5, 9), confirmed_count=3,
                        waiting_count=1)
    add(workshop)
    db.session.flush()
    for user, status, attended in ((w.member, "confirmed", True), (extra, "confirmed", True),
                                   (w.coordinator, "confirmed", False),
                                   (lonely, "waiting", None)):
        add(Registration(workshop_id=workshop.id, user_id=user.id,
                         organisation_id=user.organisation_id, status=status,
                         attended=attended))
    need = Need(network_id=w.network.id, title="Formation GED", organisation_id=w.coulaines.id,
                created_at=at(2017, 2, 1), status="answered", answered_at=at(2017, 5, 10),
                answered_by_workshop_id=workshop.id)
    add(need)
    add(Need(network_id=w.network.id, title="Sauvegardes", created_at=at(2017, 9, 1)))
    add(Need(network_id=w.network.id, title="Ancien besoin", created_at=at(2016, 9, 1)))
    for created, closed in ((at(2017, 3, 8), at(2017, 6, 1)), (at(2017, 3, 8), None),
                            (at(2017, 11, 2), None), (at(2016, 11, 2), at(2018, 1, 5))):
        add(ActionItem(network_id=w.network.id, title="Recenser", created_at=created,
                       closed_at=closed, status="done" if closed else "open"))
    documents = []
    for title, created, deleted in (("Compte rendu", at(2017, 3, 9), None),
                                    ("Guide Zimbra", at(2017, 5, 11), None),
                                    ("Brouillon", at(2017, 5, 12), at(2017, 5, 13)),
                                    ("Vieux guide", at(2016, 5, 11), None)):
        document = Document(network_id=w.network.id, title=title, created_at=created,
                            deleted_at=deleted)
        add(document)
        documents.append(document)
    category = Category(network_id=w.network.id, name="Zimbra", slug="zimbra")
    add(category)
    db.session.flush()
    topics = []
    for title, created, hidden, posts in (
            ("Quota des boîtes", at(2017, 2, 2), False, [at(2017, 2, 2), at(2017, 2, 3),
                                                       at(2018, 1, 3)]),
            ("Sauvegarde", at(2017, 4, 2), False, [at(2017, 4, 2), at(2017, 4, 5),
                                                 at(2017, 4, 6)]),
            ("Spam", at(2017, 4, 2), True, [at(2017, 4, 2)])):
        topic = Topic(network_id=w.network.id, category=category, title=title,
                      created_at=created, is_hidden=hidden, post_count=len(posts))
        add(topic)
        db.session.flush()
        topics.append(topic)
        for number, moment in enumerate(posts, start=1):
            add(Post(topic_id=topic.id, number=number, author_id=w.member.id, body="…",
                     body_html="…", created_at=moment))
    add(Post(topic_id=topics[1].id, number=9, author_id=w.member.id, body="x", body_html="x",
             created_at=at(2017, 4, 7), is_deleted=True))
    db.session.commit()
    return Activity2017(first, workshop, need, documents[0], topics[0], other_meeting)


EXPECTED_2017 = {
    "meetings_held": 2, "meeting_attendances": 4, "workshops_held": 1,
    "workshop_registrations": 3, "workshop_attendances": 2, "needs_recorded": 2,
    "needs_answered": 1, "actions_opened": 3, "actions_closed": 1, "documents_shared": 2,
    "topics_created": 2, "posts_written": 5,
}
# commune -> [meeting attendances, workshop registrations, workshop attendances]
COMMUNES_2017 = {"Coulaines": [2, 2, 2], "Mulsanne": [1, 1, 0], "Sans commune": [1, 0, 0]}
