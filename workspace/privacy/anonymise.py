"""Anonymising a departed member: their contributions stay, signed "Ancien membre", and
their identity disappears from every page, the search index, mentions, calendars and exports.

Irreversible and idempotent: the second call finds the `AnonymisedAccount` row and does
nothing. The name is replaced on the `User` row itself (first and last name, handle, e-mail,
commune), so that every place that shows `full_name` or `handle` shows the neutral identity,
and the search registry re-indexes the member's objects (see `search.build.authored_by`)."""
from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select

from workspace.auth.models import FUNCTION_OTHER, LoginSession, User, UserToken
from workspace.calendar.models import FeedToken
from workspace.core.errors import DomainError
from workspace.core.jobs import PENDING, Job
from workspace.core.markdown import render_markdown
from workspace.core.revisions import TextRevision
from workspace.core.security_events import announce
from workspace.extensions import db
from workspace.forums.models import ForumVisit, Post, PostEdit, Topic, TopicRead
from workspace.forums.service import MENTION
from workspace.meetings.models import ActionItem, AgendaItem, Decision, Meeting
from workspace.needs.models import Need, NeedSupport
from workspace.networks import access
from workspace.networks.models import ROLE_COORDINATOR, JoinRequest, Membership, Network
from workspace.notifications.models import Follow
from workspace.polls.models import Poll, PollResponse
from workspace.privacy.models import AnonymisedAccount, AuditEvent
from workspace.sso.models import ExternalIdentity
from workspace.workshops.models import Workshop

FIRST_NAME, LAST_NAME = "Ancien", "membre"  # full_name: "Ancien membre"
NEUTRAL_NAME = f"{FIRST_NAME} {LAST_NAME}"
REMOVED_EMAIL = "[adresse supprimée]"

# Stored texts where a member can be named (free text or @mention), with the column that
# holds their rendered HTML when there is one.
TEXT_COLUMNS = (
    (Post, "body", "body_html"), (PostEdit, "previous_body", None), (Topic, "title", None),
    (TextRevision, "body", None), (Meeting, "minutes", "minutes_html"),
    (Meeting, "description", None), (AgendaItem, "title", None),
    (AgendaItem, "presenter", None), (Decision, "text", None), (ActionItem, "title", None),
    (Workshop, "notes", "notes_html"), (Workshop, "description", None),
    (Need, "title", None), (Need, "description", None), (NeedSupport, "comment", None),
    (Poll, "description", None), (PollResponse, "comment", None),
)


def neutral_handle(user: User) -> str:
    return f"ancien.membre.{user.id}"


def neutral_email(user: User) -> str:
    return f"ancien-membre-{user.id}@anonyme.invalid"  # .invalid: never deliverable


def is_anonymised(user: User) -> bool:
    return db.session.get(AnonymisedAccount, user.id) is not None


def networks_left_without_coordinator(user: User) -> list[Network]:
    """The networks the member coordinates alone: the confirmation page warns about them
    (anonymising is not refused, a departed member cannot be kept; an administrator names
    a new coordinator)."""
    coordinated = db.session.scalars(select(Network).join(Membership).where(
        Membership.user_id == user.id, Membership.role == ROLE_COORDINATOR)
        .order_by(Network.name)).all()
    alone = []
    for network in coordinated:
        others = db.session.scalar(select(func.count()).select_from(Membership).where(
            Membership.network_id == network.id, Membership.role == ROLE_COORDINATOR,
            Membership.user_id != user.id))
        if not others:
            alone.append(network)
    return alone


class _Rewriter:
    """Replaces the member's e-mail address, @handle mentions and full name (both orders)
    in a text; homonyms' handles (@name.2) and other names stay."""

    def __init__(self, user: User, new_handle: str):
        self.old_handle = (user.handle or "").lower()
        self.new_handle = new_handle
        first, last = " ".join(user.first_name.split()), " ".join(user.last_name.split())
        self.email = (user.email or "").lower()
        self.needles = {n for n in (self.old_handle, last, last.lower(), last.upper(),
                                    last.capitalize(), self.email) if n and len(n) >= 2}
        names = [f"{first} {last}", f"{last} {first}"] if first and last else []
        pattern = "|".join(r"\s+".join(re.escape(p) for p in name.split()) for name in names)
        self.name_re = re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE) \
            if pattern else None

    def _mention(self, match: re.Match) -> str:
        if match.group(1).lower() == self.old_handle:
            return f"@{self.new_handle}"
        return match.group(0)

    def rewrite(self, text: str) -> str:
        if not text:
            return text
        if self.email:
            text = re.sub(re.escape(self.email), REMOVED_EMAIL, text, flags=re.IGNORECASE)
        if self.old_handle:
            text = MENTION.sub(self._mention, text)
        if self.name_re is not None:
            text = self.name_re.sub(NEUTRAL_NAME, text)
        return text

    def candidates(self, column):
        """A cheap SQL filter before the exact rewrite in Python."""
        return or_(*(column.contains(needle, autoescape=True) for needle in self.needles))


def _rewrite_texts(rewriter: _Rewriter) -> int:
    changed = 0
    if not rewriter.needles:
        return 0
    for model, column_name, html_name in TEXT_COLUMNS:
        column = getattr(model, column_name)
        for row in db.session.scalars(select(model).where(rewriter.candidates(column))):
            old = getattr(row, column_name) or ""
            new = rewriter.rewrite(old)
            if new != old:
                setattr(row, column_name, new)
                if html_name:
                    setattr(row, html_name, str(render_markdown(new)))
                changed += 1
    return changed


def _forget_links(user: User, old_email: str) -> None:
    """Sessions, tokens, memberships, requests, follows, read positions and the links to a
    directory entry or an identity provider go; so do the e-mails still waiting for this
    address."""
    for model in (LoginSession, UserToken, FeedToken, Membership, JoinRequest, Follow,
                  TopicRead, ForumVisit, ExternalIdentity):
        db.session.execute(delete(model).where(model.user_id == user.id))
    for job in db.session.scalars(select(Job).where(Job.kind == "mail.send",
                                                    Job.status == PENDING)):
        if (job.payload or {}).get("to") == old_email:
            db.session.delete(job)
    for event in db.session.scalars(select(AuditEvent).where(AuditEvent.subject_id == user.id)):
        if "email" in (event.details or {}):
            event.details = {k: v for k, v in event.details.items() if k != "email"}
    access.forget_cached_roles()


def anonymise_user(user: User, actor: User) -> bool:
    """Erase the member's identity for good; False when it was already done."""
    if is_anonymised(user):
        return False
    if user.id == actor.id:
        raise DomainError(_("Vous ne pouvez pas anonymiser votre propre compte."))
    new_handle = neutral_handle(user)
    changed = _rewrite_texts(_Rewriter(user, new_handle))
    old_email = user.email
    _forget_links(user, old_email)
    user.first_name, user.last_name, user.handle = FIRST_NAME, LAST_NAME, new_handle
    user.email, user.phone, user.job_title = neutral_email(user), "", ""
    user.organisation_id, user.network_function = None, FUNCTION_OTHER
    user.password_hash, user.is_active, user.is_admin = None, False, False
    user.invited_at = user.last_login_at = user.password_changed_at = None
    db.session.add(AnonymisedAccount(user_id=user.id, anonymised_by_id=actor.id))
    announce("account_anonymised", subject=user, actor=actor, texts_rewritten=changed)
    db.session.flush()
    return True
