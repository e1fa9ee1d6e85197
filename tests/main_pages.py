"""The main pages of the product, read on the demo data (workspace/demo/), for a member and a
coordinator of the IT network: what the browser checks (tests/browser/test_everyday.py) and
the HTML checker (tests/html/test_validity.py) walk."""
from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from workspace.demo import DOMAIN, load_demo_data
from workspace.documents.models import Document, Folder
from workspace.extensions import db
from workspace.forums.models import Category, Topic
from workspace.meetings.models import Meeting
from workspace.needs.models import Need
from workspace.networks.models import Network
from workspace.polls.models import Poll
from workspace.tutorials.models import Tutorial
from workspace.workshops.models import Workshop

MEMBER = f"informatique.coulaines@{DOMAIN}"
COORDINATOR = f"coordination.informatique@{DOMAIN}"
SLUG = "reseau-informatique"


def load_demo() -> None:
    load_demo_data()
    db.session.commit()


def _first(model, *where, order=None):
    query = select(model).where(*where).order_by(order if order is not None else model.id)
    return db.session.scalars(query.limit(1)).first()


def main_pages(app, coordinator: bool) -> list[str]:
    """Addresses of the main pages (lists, details, forms) for a member, or a coordinator."""
    with app.test_request_context():
        network = db.session.scalar(select(Network).where(Network.slug == SLUG))
        n = {"network_slug": SLUG}
        topic = _first(Topic, Topic.network_id == network.id)
        category = _first(Category, Category.network_id == network.id)
        past = _first(Meeting, Meeting.network_id == network.id, order=Meeting.starts_at)
        upcoming = _first(Meeting, Meeting.network_id == network.id,
                          order=Meeting.starts_at.desc())
        workshop = _first(Workshop, Workshop.network_id == network.id,
                          order=Workshop.starts_at)
        need = _first(Need, Need.network_id == network.id)
        document = _first(Document, Document.network_id == network.id)
        folder = _first(Folder, Folder.network_id == network.id)
        tutorial = _first(Tutorial, Tutorial.network_id == network.id)
        poll = _first(Poll, Poll.network_id == network.id)
        pages = [
            url_for("home.index"), url_for("networks.network_list"),
            url_for("directory.person_list"), url_for("notifications.notification_list"),
            url_for("search.search", q="sauvegarde"), url_for("auth.account"),
            url_for("plans.plan_list"),
            url_for("network.detail", **n), url_for("forums.forum_index", **n),
            url_for("forums.category_detail", category_id=category.id, **n),
            url_for("forums.topic_detail", topic_id=topic.id, **n),
            url_for("forums.topic_create", category_id=category.id, **n),
            url_for("meetings.meeting_list", **n), url_for("meetings.action_list", **n),
            url_for("meetings.meeting_detail", meeting_id=past.id, **n),
            url_for("meetings.meeting_detail", meeting_id=upcoming.id, **n),
            url_for("workshops.workshop_list", **n),
            url_for("workshops.workshop_detail", workshop_id=workshop.id, **n),
            url_for("needs.need_list", **n), url_for("needs.need_detail", need_id=need.id, **n),
            url_for("documents.library", **n),
            url_for("documents.folder_detail", folder_id=folder.id, **n),
            url_for("documents.document_detail", document_id=document.id, **n),
            url_for("documents.upload", **n),
            url_for("tutorials.tutorial_index", **n),
            url_for("inventory.inventory_index", **n),
            url_for("plan.network_plan", **n), url_for("plan.network_report", **n),
            url_for("activity.network_activity", **n),
            url_for("calendar.calendar_page", **n), url_for("my_calendar.calendar_page"),
            url_for("calendar.calendar_page", week="2027-W10", **n),
            url_for("polls.poll_list", **n),
        ]
        if poll is not None:
            pages.append(url_for("polls.poll_detail", poll_id=poll.id, **n))
        if tutorial is not None:
            pages.append(url_for("tutorials.tutorial_detail", tutorial_id=tutorial.id,
                                 tutorial_slug=tutorial.slug, **n))
        if coordinator:
            pages += [
                url_for("network.member_list", **n), url_for("network.request_list", **n),
                url_for("network.edit", **n), url_for("backup.network_export", **n),
                url_for("forums.report_list", **n),
                url_for("meetings.meeting_create", **n),
                url_for("meetings.meeting_edit", meeting_id=upcoming.id, **n),
                url_for("meetings.minutes_edit", meeting_id=past.id, **n),
                url_for("meetings.meeting_attendance", meeting_id=past.id, **n),
                url_for("workshops.workshop_create", **n),
                url_for("documents.trash", **n),
                url_for("polls.poll_create", **n),
            ]
        return pages
