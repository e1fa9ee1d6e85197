"""The personal-data archive (RGPD, right of access): one ZIP with ``donnees.json`` (everything
the site holds about a user) and the files the user uploaded, taken from the
content-addressed store.

The ZIP is written into an anonymous temporary file, the stored files copied by chunks:
memory does not grow with the size of the documents. Only the user's own writings and
uploads go in; collaborative texts (minutes, notes) are listed by reference, since they
hold other people's words."""
from __future__ import annotations

import json
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import IO, Any
from urllib.parse import urlsplit

from flask import current_app
from slugify import slugify
from sqlalchemy import select

from workspace.auth.models import LoginSession, User
from workspace.calendar.models import FeedToken
from workspace.core.models import utcnow
from workspace.core.revisions import TextRevision
from workspace.documents.models import Document, DocumentVersion
from workspace.documents.storage import blob_path
from workspace.extensions import db
from workspace.forums.models import ForumVisit, Post, PostEdit, Report, Topic, TopicRead
from workspace.meetings.models import ActionItem, Meeting, Rsvp
from workspace.needs.models import Need, NeedSupport
from workspace.networks.models import JoinRequest, Membership, Network
from workspace.notifications.follows import follows_of
from workspace.polls.models import Poll, PollAnswer, PollResponse, PollSlot
from workspace.privacy.audit import events_about
from workspace.sso.models import ExternalIdentity
from workspace.workshops.models import Feedback, Registration, Workshop

FORMAT = "tilt-donnees-personnelles/1"
FILES_FOLDER = "fichiers"

README = """Archive de vos données personnelles – Tilt, réseaux de techniciens de Le Mans Métropole

donnees.json : tout ce que l'espace conserve sur vous (profil, réseaux, demandes d'adhésion,
sujets et messages du forum que vous avez écrits, abonnements, positions de lecture, réponses
aux réunions et aux sondages de date, actions qui vous sont confiées, inscriptions et avis
sur les ateliers, besoins saisis et soutenus, documents déposés, adresses d'agenda (décrites,
jamais leur secret), sessions de connexion, événements de sécurité vous concernant).
Les dates sont en temps universel (UTC), au format ISO 8601.

fichiers/ : les versions des documents que vous avez déposées, telles qu'enregistrées.

Les textes collectifs (comptes rendus, notes d'ateliers) ne sont que référencés : ils
contiennent les écrits d'autres personnes. Pour exercer vos autres droits, voyez la page
« Données personnelles » du site.
"""


def _iso(value: datetime | date | None) -> str | None:
    return None if value is None else value.isoformat()


class _Links:
    """Absolute links from PUBLIC_URL, in a request or in the worker."""

    def __init__(self) -> None:
        base = urlsplit(current_app.config["PUBLIC_URL"])
        self.adapter = current_app.url_map.bind(base.netloc or "localhost",
                                                script_name=base.path or "/",
                                                url_scheme=base.scheme or "https")
        self.slugs = dict(db.session.execute(select(Network.id, Network.slug)).all())

    def __call__(self, endpoint: str, network_id: int | None, **values) -> str | None:
        if network_id is not None:
            if network_id not in self.slugs:
                return None
            values["network_slug"] = self.slugs[network_id]
        return self.adapter.build(endpoint, values, force_external=True)


def _scalars(statement) -> list:
    return list(db.session.scalars(statement))


def _profile(user: User) -> dict:
    return {"id": user.id, "email": user.email, "first_name": user.first_name,
            "last_name": user.last_name, "handle": user.handle,
            "organisation": user.organisation.name if user.organisation else None,
            "job_title": user.job_title, "network_function": user.network_function,
            "phone": user.phone, "language": user.locale, "is_admin": user.is_admin,
            "is_active": user.is_active, "created_at": _iso(user.created_at),
            "invited_at": _iso(user.invited_at), "last_login_at": _iso(user.last_login_at),
            "password_changed_at": _iso(user.password_changed_at)}


def _networks(user: User, link: _Links) -> dict:
    memberships = db.session.execute(select(Membership, Network).join(Network).where(
        Membership.user_id == user.id).order_by(Network.name)).all()
    requests = db.session.execute(select(JoinRequest, Network).join(Network).where(
        JoinRequest.user_id == user.id).order_by(JoinRequest.created_at)).all()
    return {
        "memberships": [{"network": n.name, "role": m.role, "joined_at": _iso(m.joined_at),
                         "link": link("network.detail", n.id)} for m, n in memberships],
        "join_requests": [{"network": n.name, "message": r.message, "status": r.status,
                           "created_at": _iso(r.created_at), "decided_at": _iso(r.decided_at),
                           "answer": r.answer} for r, n in requests],
    }


def _forum(user: User, link: _Links) -> dict:
    topics = _scalars(select(Topic).where(Topic.author_id == user.id).order_by(Topic.id))
    posts = db.session.execute(select(Post, Topic).join(Topic).where(
        Post.author_id == user.id).order_by(Post.created_at, Post.id)).all()
    # earlier texts of the user's own posts only: an edit of someone else's post is theirs
    edits = db.session.execute(select(PostEdit).join(Post).where(
        Post.author_id == user.id).order_by(PostEdit.edited_at, PostEdit.id)).scalars()
    followed = [row for row in follows_of(user) if row.target_type in ("topic", "category")]
    reads = db.session.execute(select(TopicRead, Topic).join(Topic).where(
        TopicRead.user_id == user.id)).all()
    reports = _scalars(select(Report).where(Report.reporter_id == user.id))
    visits = db.session.execute(select(ForumVisit, Network).join(Network).where(
        ForumVisit.user_id == user.id)).all()
    return {
        "topics": [{"id": t.id, "title": t.title, "created_at": _iso(t.created_at),
                    "link": link("forums.topic_detail", t.network_id, topic_id=t.id)}
                   for t in topics],
        "posts": [{"id": p.id, "topic": t.title, "number": p.number, "body": p.body,
                   "created_at": _iso(p.created_at), "edited_at": _iso(p.edited_at),
                   "is_deleted": p.is_deleted, "is_hidden": p.is_hidden,
                   "link": link("forums.post_link", t.network_id, post_id=p.id)}
                  for p, t in posts],
        "earlier_versions_of_my_posts": [{"post_id": e.post_id, "previous_body": e.previous_body,
                                          "edited_at": _iso(e.edited_at)} for e in edits],
        "follows": [{"topic_id": f.target_id if f.target_type == "topic" else None,
                     "category_id": f.target_id if f.target_type == "category" else None,
                     "created_at": _iso(f.created_at)} for f in followed],
        "read_positions": [{"topic": t.title, "last_read_number": r.last_read_number,
                            "link": link("forums.topic_detail", t.network_id, topic_id=t.id)}
                           for r, t in reads],
        "reports": [{"post_id": r.post_id, "reason": r.reason, "created_at": _iso(r.created_at),
                     "resolved_at": _iso(r.resolved_at)} for r in reports],
        "last_visits": [{"network": n.name, "visited_at": _iso(v.visited_at),
                         "previous_visit_at": _iso(v.previous_visit_at)} for v, n in visits],
    }


def _meetings(user: User, link: _Links) -> dict:
    answers = db.session.execute(select(Rsvp, Meeting).join(Meeting).where(
        Rsvp.user_id == user.id).order_by(Meeting.starts_at)).all()
    actions = _scalars(select(ActionItem).where(ActionItem.owner_user_id == user.id)
                       .order_by(ActionItem.created_at))
    revisions = _scalars(select(TextRevision).where(TextRevision.author_id == user.id)
                         .order_by(TextRevision.created_at))
    return {
        "answers": [{"meeting": m.title, "starts_at": _iso(m.starts_at), "answer": r.answer,
                     "answered_at": _iso(r.answered_at), "attended": r.attended,
                     "link": link("meetings.meeting_detail", m.network_id, meeting_id=m.id)}
                    for r, m in answers],
        "action_items": [{"title": a.title, "status": a.status, "due_on": _iso(a.due_on),
                          "created_at": _iso(a.created_at), "closed_at": _iso(a.closed_at),
                          "meeting_id": a.meeting_id} for a in actions],
        "text_revisions_written": [{"object_type": r.object_type, "object_id": r.object_id,
                                    "number": r.number, "created_at": _iso(r.created_at)}
                                   for r in revisions],
    }


def _workshops(user: User, link: _Links) -> dict:
    registrations = db.session.execute(select(Registration, Workshop).join(Workshop).where(
        Registration.user_id == user.id).order_by(Workshop.starts_at)).all()
    feedback = db.session.execute(select(Feedback, Workshop).join(Workshop).where(
        Feedback.user_id == user.id)).all()
    return {
        "registrations": [{"workshop": w.title, "starts_at": _iso(w.starts_at),
                           "status": r.status, "created_at": _iso(r.created_at),
                           "confirmed_at": _iso(r.confirmed_at),
                           "cancelled_at": _iso(r.cancelled_at), "attended": r.attended,
                           "link": link("workshops.workshop_detail", w.network_id,
                                        workshop_id=w.id)} for r, w in registrations],
        "feedback": [{"workshop": w.title, "rating": f.rating, "useful": f.useful,
                      "improve": f.improve, "created_at": _iso(f.created_at)}
                     for f, w in feedback],
    }


def _polls(user: User, link: _Links) -> list[dict]:
    """The user's answers to date polls: comment and choice per slot."""
    responses = db.session.execute(select(PollResponse, Poll).join(Poll).where(
        PollResponse.user_id == user.id).order_by(Poll.created_at, Poll.id)).all()
    choices: dict[int, list[dict]] = {}
    for answer, slot in db.session.execute(select(PollAnswer, PollSlot).join(
            PollSlot, PollAnswer.slot_id == PollSlot.id).where(PollAnswer.user_id == user.id)
            .order_by(PollSlot.starts_at, PollSlot.id)):
        choices.setdefault(answer.poll_id, []).append({
            "slot_starts_at": _iso(slot.starts_at), "slot_ends_at": _iso(slot.ends_at),
            "choice": answer.choice})
    return [{"poll": p.title, "status": p.status, "comment": r.comment,
             "answered_at": _iso(r.answered_at), "choices": choices.get(p.id, []),
             "link": link("polls.poll_detail", p.network_id, poll_id=p.id)}
            for r, p in responses]


def _needs(user: User, link: _Links) -> dict:
    recorded = _scalars(select(Need).where(Need.author_id == user.id).order_by(Need.id))
    supported = db.session.execute(select(NeedSupport, Need).join(Need).where(
        NeedSupport.user_id == user.id).order_by(NeedSupport.created_at)).all()
    return {
        "recorded": [{"title": n.title, "description": n.description, "status": n.status,
                      "created_at": _iso(n.created_at),
                      "link": link("needs.need_detail", n.network_id, need_id=n.id)}
                     for n in recorded],
        "supported": [{"need": n.title, "comment": s.comment, "created_at": _iso(s.created_at),
                       "link": link("needs.need_detail", n.network_id, need_id=n.id)}
                      for s, n in supported],
    }


def _security(user: User) -> dict:
    feeds = _scalars(select(FeedToken).where(FeedToken.user_id == user.id)
                     .order_by(FeedToken.created_at))
    sessions = _scalars(select(LoginSession).where(LoginSession.user_id == user.id)
                        .order_by(LoginSession.created_at))
    identities = _scalars(select(ExternalIdentity).where(ExternalIdentity.user_id == user.id)
                          .order_by(ExternalIdentity.created_at))
    return {
        "sign_in_links": [{"provider": i.provider, "subject": i.subject,
                           "created_at": _iso(i.created_at),
                           "last_used_at": _iso(i.last_used_at)} for i in identities],
        "calendar_feeds": [{"description": "adresse privée d'abonnement à l'agenda (secret "
                                           "non conservé en clair, non exporté)",
                            "created_at": _iso(f.created_at), "revoked_at": _iso(f.revoked_at),
                            "active": f.is_active} for f in feeds],
        "login_sessions": [{"created_at": _iso(s.created_at), "expires_at": _iso(s.expires_at),
                            "remembered": s.is_remembered, "user_agent": s.user_agent,
                            "through": s.provider or "mot de passe",
                            "ip_address": s.ip_address} for s in sessions],
        "audit_events": [{"at": _iso(e.created_at), "kind": e.kind,
                          "by_me": e.actor_id == user.id, "about_me": e.subject_id == user.id,
                          "ip_address": e.ip_address, "details": e.details}
                         for e in events_about(user)],
    }


def safe_name(filename: str) -> str:
    """A file name that is harmless on every system: no folders, no control characters."""
    name = PurePosixPath(unicodedata.normalize("NFC", filename.replace("\\", "/"))).name
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = slugify(stem, max_length=80, lowercase=False) or "fichier"
    ext = slugify(ext, max_length=10)
    return f"{stem}.{ext}" if ext else stem


def _uploaded_versions(user: User) -> list[tuple[DocumentVersion, Document]]:
    return list(db.session.execute(select(DocumentVersion, Document).join(
        Document, DocumentVersion.document_id == Document.id).where(
        DocumentVersion.uploaded_by_id == user.id).order_by(Document.id,
                                                            DocumentVersion.number)).all())


def _documents(user: User, link: _Links) -> tuple[list[dict], list[tuple[str, str]]]:
    """The documents' metadata and the (store path, name in the zip) of each file."""
    documents: dict[int, dict] = {}
    files: list[tuple[str, str]] = []
    used: set[str] = set()
    for version, document in _uploaded_versions(user):
        entry = documents.setdefault(document.id, {
            "title": document.title, "description": document.description,
            "created_at": _iso(document.created_at), "deleted_at": _iso(document.deleted_at),
            "link": link("documents.document_detail", document.network_id,
                         document_id=document.id), "versions": []})
        arcname = f"{FILES_FOLDER}/{document.id}-v{version.number}-{safe_name(version.filename)}"
        n = 1
        while arcname in used:
            n += 1
            arcname = (f"{FILES_FOLDER}/{document.id}-v{version.number}-{n}-"
                       f"{safe_name(version.filename)}")
        path = blob_path(version.blob_sha256)
        present = path.is_file()
        if present:
            used.add(arcname)
            files.append((str(path), arcname))
        entry["versions"].append({
            "number": version.number, "filename": version.filename, "mime": version.mime,
            "size": version.size, "sha256": version.blob_sha256, "comment": version.comment,
            "uploaded_at": _iso(version.uploaded_at),
            "file_in_archive": arcname if present else None})
    return list(documents.values()), files


def collect(user: User) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Everything about the user (JSON-ready) and the files to add."""
    link = _Links()
    documents, files = _documents(user, link)
    data = {"format": FORMAT, "generated_at": _iso(utcnow()),
            "site": current_app.config["PUBLIC_URL"], "profile": _profile(user),
            **_networks(user, link), "forum": _forum(user, link),
            "meetings": _meetings(user, link), "workshops": _workshops(user, link),
            "polls": _polls(user, link), "needs": _needs(user, link), "documents": documents,
            **_security(user)}
    return data, files


def write_archive(user: User, out: IO[bytes],
                  on_file: Callable[[str], None] | None = None) -> int:
    """Write the ZIP into `out`; return the number of files copied from the store."""
    data, files = collect(user)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.writestr("LISEZ-MOI.txt", README)
        zf.writestr("donnees.json", json.dumps(data, ensure_ascii=False, indent=2))
        for path, arcname in files:
            zf.write(path, arcname)  # copied by chunks, never whole in memory
            if on_file:
                on_file(arcname)
    return len(files)


def archive_file(user: User) -> IO[bytes]:
    """The archive in an anonymous temporary file (gone once closed), rewound."""
    spool = tempfile.TemporaryFile(prefix="tilt-archive-")
    try:
        write_archive(user, spool)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool


def archive_filename(user: User) -> str:
    return f"tilt-mes-donnees-{utcnow():%Y-%m-%d}.zip"
