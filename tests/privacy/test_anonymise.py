"""Anonymising a departed member: contributions stay as "Ancien membre", the name is gone
from pages, search, mentions, calendars and exports, and the account is closed for good."""
from __future__ import annotations

import io
import zipfile

import pytest
from flask import url_for
from pypdf import PdfReader
from sqlalchemy import func, select

from tests.conftest import PASSWORD, text_of
from tests.privacy.conftest import meeting, run_jobs, topic, upload, workshop
from workspace.auth.models import LoginSession, User, UserToken
from workspace.auth.service import issue_token
from workspace.calendar.feeds import issue_feed_token
from workspace.calendar.models import FeedToken
from workspace.core.jobs import PENDING, Job
from workspace.core.revisions import TextRevision
from workspace.extensions import db
from workspace.forums import service as forums
from workspace.forums.models import Post, PostEdit
from workspace.meetings import service as meetings
from workspace.networks.models import Membership
from workspace.privacy import anonymise
from workspace.privacy.models import AuditEvent
from workspace.search.query import search
from workspace.workshops import service as workshops

NAMES = ("Hélène", "Helene", "Durand", "helene.durand")


def _url(app, endpoint: str, **values) -> str:
    with app.test_request_context():
        return url_for(endpoint, **values)


def _assert_nameless(text: str, where: str) -> None:
    for name in NAMES:
        assert name.lower() not in text.lower(), f"{name!r} still on {where}"


@pytest.fixture
def history(world):
    """The leaver's traces everywhere: posts, a mention by a colleague, an edit, minutes,
    a meeting answer and attendance, a workshop registration, a document, tokens."""
    own = topic(world, world.leaver, "Quota des boîtes Zimbra", "Quota à 2 Go : ventilation "
                "des comptes par service.")
    mention = forums.reply(world.colleague, own.topic,
                           "Merci @helene.durand ! Hélène Durand avait raison, et "
                           "@marc.petit aussi.")
    forums.edit_post(world.colleague, mention, mention.body + " (complété)", mention.revision)
    created = meeting(world)
    meetings.answer(world.leaver, created, "yes")
    meetings.record_attendance(world.coordinator, created, {world.leaver.id})
    meetings.save_minutes(world.coordinator, created, "Présents : @helene.durand, Marc Petit.")
    atelier = workshop(world)
    workshops.register(world.leaver, atelier.id)
    db.session.commit()
    document = upload(world, world.leaver, "inventaire.txt", b"inventaire des postes")
    issue_feed_token(world.leaver)
    issue_token(world.leaver, "reset", __import__("datetime").timedelta(hours=2))
    db.session.commit()
    run_jobs()
    return {"topic": own.topic, "post": own, "mention": mention, "meeting": created,
            "workshop": atelier, "document": document}


def _anonymise(client, user) -> None:
    response = client.post(f"/admin/users/{user.id}/anonymise",
                           data={"confirmation": "anonymiser"})
    assert response.status_code == 302, text_of(response)[:400]


def test_after_anonymising_the_name_is_found_nowhere(app, world, history, signed_in):
    leaver_id, coordinator = world.leaver.id, world.coordinator
    assert search(coordinator, "Durand").total >= 1  # found before
    _anonymise(signed_in(world.admin), world.leaver)
    run_jobs()  # the worker re-indexes the member's objects
    for query in ("Durand", "Hélène", "Hélène Durand", "helene.durand"):
        assert search(coordinator, query).total == 0, query
        assert search(world.admin, query).total == 0, query
    assert search(coordinator, "ventilation").total == 1  # the content stays findable

    client = signed_in(coordinator)
    slug = world.network.slug
    pages = {
        "topic": _url(app, "forums.topic_detail", network_slug=slug,
                      topic_id=history["topic"].id),
        "post history": _url(app, "forums.post_history", network_slug=slug,
                             post_id=history["mention"].id),
        "directory": _url(app, "directory.person_list"),
        "meeting": _url(app, "meetings.meeting_detail", network_slug=slug,
                        meeting_id=history["meeting"].id),
        "attendance": _url(app, "meetings.meeting_attendance", network_slug=slug,
                           meeting_id=history["meeting"].id),
        "minutes history": _url(app, "meetings.minutes_history", network_slug=slug,
                                meeting_id=history["meeting"].id),
        "workshop": _url(app, "workshops.workshop_detail", network_slug=slug,
                         workshop_id=history["workshop"].id),
        "document": _url(app, "documents.document_detail", network_slug=slug,
                         document_id=history["document"].id),
        "meeting ics": _url(app, "calendar.meeting_ics", network_slug=slug,
                            meeting_id=history["meeting"].id),
        "workshop ics": _url(app, "calendar.workshop_ics", network_slug=slug,
                             workshop_id=history["workshop"].id),
        "minutes odt": _url(app, "exports.meeting_document", network_slug=slug,
                            meeting_id=history["meeting"].id, kind="minutes", fmt="odt"),
        "sheet ods": _url(app, "exports.workshop_sheet", network_slug=slug,
                          workshop_id=history["workshop"].id, fmt="ods"),
    }
    for where, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (where, response.status_code)
        body = response.data
        if url.endswith((".odt", ".ods")):
            body = zipfile.ZipFile(io.BytesIO(body)).read("content.xml")
        _assert_nameless(body.decode("utf-8"), where)
    topic_page = text_of(client.get(pages["topic"]))
    assert "Ancien membre" in topic_page and "@ancien.membre." in topic_page
    assert "Ancien membre" in client.get(pages["meeting ics"]).get_data(as_text=True)
    for where, endpoint, values in (
            ("minutes pdf", "exports.meeting_document",
             {"meeting_id": history["meeting"].id, "kind": "minutes", "fmt": "pdf"}),
            ("sheet pdf", "exports.workshop_sheet",
             {"workshop_id": history["workshop"].id, "fmt": "pdf"})):
        pdf = client.get(_url(app, endpoint, network_slug=slug, **values)).data
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        _assert_nameless(text, where)
    assert "Ancien membre" in text
    assert client.get(f"/people/{leaver_id}").status_code == 404  # disabled: not listed


def test_mentions_are_rewritten_in_bodies_html_edits_and_revisions(world, history, signed_in):
    _anonymise(signed_in(world.admin), world.leaver)
    handle = f"ancien.membre.{world.leaver.id}"
    mention = db.session.get(Post, history["mention"].id)
    assert mention.body == (f"Merci @{handle} ! Ancien membre avait raison, et "
                            "@marc.petit aussi. (complété)")
    assert f"@{handle}" in mention.body_html and "Durand" not in mention.body_html
    [edit] = db.session.scalars(select(PostEdit).where(PostEdit.post_id == mention.id))
    assert f"@{handle}" in edit.previous_body and "Durand" not in edit.previous_body
    revisions = db.session.scalars(select(TextRevision.body)).all()
    assert revisions and not any("durand" in body.lower() for body in revisions)
    assert history["meeting"].minutes == f"Présents : @{handle}, Marc Petit."
    assert db.session.get(User, world.leaver.id).handle == handle
    quote = forums.quote_text(db.session.get(Post, history["post"].id))
    assert quote.startswith(f"@{handle} :")


def test_the_account_is_closed_and_emptied(world, history, signed_in, client, login):
    leaver = world.leaver
    email = leaver.email
    _anonymise(signed_in(world.admin), leaver)
    user = db.session.get(User, leaver.id)
    assert user.full_name == "Ancien membre"
    assert user.email.endswith("@anonyme.invalid") and email not in user.email
    assert (user.phone, user.job_title, user.organisation_id) == ("", "", None)
    assert not user.is_active and user.password_hash is None and not user.is_admin
    for model in (LoginSession, UserToken, FeedToken, Membership):
        assert db.session.scalar(select(func.count()).select_from(model).where(
            model.user_id == leaver.id)) == 0, model
    pending = db.session.scalars(select(Job).where(Job.status == PENDING,
                                                   Job.kind == "mail.send")).all()
    assert not [job for job in pending if job.payload.get("to") == email]
    # cannot sign in again, whatever the address or password tried
    client.post("/logout")
    for address in (email, user.email):
        response = client.post("/login", data={"email": address, "password": PASSWORD})
        assert response.status_code == 401
    # the contents stay
    assert db.session.get(Post, history["post"].id).author_id == leaver.id


def test_anonymising_is_idempotent_recorded_and_irreversible(world, history, signed_in):
    admin = signed_in(world.admin)
    _anonymise(admin, world.leaver)
    assert anonymise.anonymise_user(db.session.get(User, world.leaver.id), world.admin) is False
    again = admin.get(f"/admin/users/{world.leaver.id}/anonymise")
    assert "déjà anonymisé" in text_of(again)
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.kind == "account_anonymised")).all()
    assert [(e.subject_id, e.actor_id) for e in events] == [(world.leaver.id, world.admin.id)]
    # no way back through the administration pages
    admin.post(f"/admin/users/{world.leaver.id}/active", data={"active": "1"})
    assert not db.session.get(User, world.leaver.id).is_active
    edit = admin.post(f"/admin/users/{world.leaver.id}", data={
        "email": "helene@example.org", "first_name": "Hélène", "last_name": "Durand",
        "organisation_id": 0, "network_function": "other", "locale": "fr"})
    assert "anonymisé" in text_of(edit)
    assert db.session.get(User, world.leaver.id).last_name == "membre"
    page = text_of(admin.get(f"/admin/users/{world.leaver.id}"))
    assert "Compte anonymisé" in page and "Réactiver le compte" not in page


def test_the_confirmation_word_is_required(world, signed_in):
    admin = signed_in(world.admin)
    page = admin.get(f"/admin/users/{world.leaver.id}/anonymise")
    assert page.status_code == 200 and "ANONYMISER" in text_of(page)
    for word in ("", "oui", "x" * 500):
        response = admin.post(f"/admin/users/{world.leaver.id}/anonymise",
                              data={"confirmation": word})
        assert response.status_code == 200
        assert "Tapez" in text_of(response)
    assert db.session.get(User, world.leaver.id).last_name == "Durand"
    assert admin.get("/admin/users/999999/anonymise").status_code == 404
    assert admin.get("/admin/users/abc/anonymise").status_code == 404


def test_an_administrator_cannot_anonymise_themselves_and_others_cannot_at_all(world,
                                                                             signed_in):
    admin = signed_in(world.admin)
    response = admin.post(f"/admin/users/{world.admin.id}/anonymise",
                          data={"confirmation": "ANONYMISER"})
    assert response.status_code == 200 and "propre compte" in text_of(response)
    assert db.session.get(User, world.admin.id).last_name == "Admin"
    coordinator = signed_in(world.coordinator)
    assert coordinator.post(f"/admin/users/{world.leaver.id}/anonymise",
                            data={"confirmation": "ANONYMISER"}).status_code == 403
    assert db.session.get(User, world.leaver.id).last_name == "Durand"


def test_the_rewriter_spares_homonyms_and_other_handles(world):
    rewriter = anonymise._Rewriter(world.leaver, "ancien.membre.7")
    text = ("@helene.durand et @Helene.Durand, pas @helene.durand.2 ni @marc.petit ; "
            "DURAND Hélène, hélène  durand, Hélène Durandeau, mail helene.durand@x.fr")
    assert rewriter.rewrite(text) == (
        "@ancien.membre.7 et @ancien.membre.7, pas @helene.durand.2 ni @marc.petit ; "
        "Ancien membre, Ancien membre, Hélène Durandeau, mail helene.durand@x.fr")
    assert rewriter.rewrite(f"Écrire à {world.leaver.email.upper()} !") == (
        "Écrire à [adresse supprimée] !")


def test_the_page_warns_about_networks_left_without_coordinator(world, signed_in):
    admin = signed_in(world.admin)
    page = text_of(admin.get(f"/admin/users/{world.coordinator.id}/anonymise"))
    assert "seul coordinateur" in page and "Informatique" in page
    assert "seul coordinateur" not in text_of(
        admin.get(f"/admin/users/{world.leaver.id}/anonymise"))
