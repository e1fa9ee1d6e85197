"""The audit log of security events: recording (from the `security_event` signal, in the
transaction of the change), the administrators' listing and the retention purge."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app, has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, delete, select

from workspace.auth.models import User
from workspace.core.models import utcnow
from workspace.core.timezones import PARIS
from workspace.extensions import db
from workspace.privacy.models import AuditEvent

KIND_LABELS = {
    "login": _l("Connexion"),
    "login_failed": _l("Échec de connexion"),
    "logout": _l("Déconnexion"),
    "session_ended_by_provider": _l("Session terminée : compte retiré de l'annuaire"),
    "account_created_by_provider": _l("Compte créé à la connexion par un fournisseur"),
    "logout_everywhere": _l("Déconnexion de tous les appareils"),
    "password_changed": _l("Mot de passe changé"),
    "password_reset": _l("Mot de passe réinitialisé"),
    "reset_requested": _l("Lien de réinitialisation demandé"),
    "invitation_accepted": _l("Invitation acceptée"),
    "account_invited": _l("Compte invité"),
    "account_updated": _l("Compte modifié"),
    "account_disabled": _l("Compte désactivé"),
    "account_enabled": _l("Compte réactivé"),
    "admin_granted": _l("Droits d'administration donnés"),
    "admin_revoked": _l("Droits d'administration retirés"),
    "account_anonymised": _l("Compte anonymisé"),
    "data_archive_downloaded": _l("Archive des données personnelles téléchargée"),
    "member_joined": _l("Adhésion à un réseau ouvert"),
    "join_approved": _l("Demande d'adhésion acceptée"),
    "join_refused": _l("Demande d'adhésion refusée"),
    "member_added": _l("Membre ajouté"),
    "role_changed": _l("Rôle changé"),
    "member_removed": _l("Membre retiré"),
    "member_left": _l("Départ d'un réseau"),
}

# Never stored, whatever a caller passes: the log must not become a leak.
_SECRET_WORDS = ("password", "token", "hash", "secret", "cookie")
MAX_DETAIL_LENGTH = 300


def _user_id(user) -> int | None:
    if user is None or isinstance(user, int):
        return user
    return getattr(user, "id", None)


def _clean_details(details: dict) -> dict:
    clean = {}
    for key, value in (details or {}).items():
        if any(word in key.lower() for word in _SECRET_WORDS):
            continue
        if value is None or isinstance(value, (bool, int, float)):
            clean[key] = value
        else:
            clean[key] = str(value)[:MAX_DETAIL_LENGTH]
    return clean


def record(kind: str, *, subject=None, actor=None, details: dict | None = None) -> AuditEvent:
    """Add an event to the current transaction (the caller commits)."""
    address = (request.remote_addr or "") if has_request_context() else ""
    event = AuditEvent(kind=kind[:40], subject_id=_user_id(subject), actor_id=_user_id(actor),
                       ip_address=address[:64], details=_clean_details(details or {}),
                       created_at=utcnow())
    db.session.add(event)
    return event


def on_security_event(kind: str, *, subject=None, actor=None, details=None, **_extra) -> None:
    """Receiver of `core.security_events.security_event`."""
    record(kind, subject=subject, actor=actor, details=details)


# --- listing ---------------------------------------------------------------------------

@dataclass
class AuditFilters:
    kind: str | None = None
    user_id: int | None = None  # as actor or as subject
    since: date | None = None  # Paris dates, both included
    until: date | None = None


def _paris_midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=PARIS).astimezone(UTC)


def events_statement(filters: AuditFilters) -> Select:
    """Events matching every filter, newest first."""
    statement = select(AuditEvent)
    if filters.kind:
        statement = statement.where(AuditEvent.kind == filters.kind)
    if filters.user_id:
        statement = statement.where((AuditEvent.subject_id == filters.user_id)
                                    | (AuditEvent.actor_id == filters.user_id))
    if filters.since:
        statement = statement.where(AuditEvent.created_at >= _paris_midnight_utc(filters.since))
    if filters.until:
        statement = statement.where(
            AuditEvent.created_at < _paris_midnight_utc(filters.until + timedelta(days=1)))
    return statement.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())


def users_by_id(events: list[AuditEvent]) -> dict[int, User]:
    """The accounts the listed events name, in one query."""
    ids = {e.actor_id for e in events} | {e.subject_id for e in events}
    ids.discard(None)
    if not ids:
        return {}
    return {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(ids)))}


def events_about(user: User) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(
        (AuditEvent.subject_id == user.id) | (AuditEvent.actor_id == user.id))
        .order_by(AuditEvent.created_at, AuditEvent.id)))


# --- retention -------------------------------------------------------------------------

def purge_old_events(now: datetime | None = None) -> int:
    """Delete the events older than AUDIT_RETENTION_DAYS; return how many."""
    days = int(current_app.config["AUDIT_RETENTION_DAYS"])
    limit = (now or utcnow()) - timedelta(days=days)
    result = db.session.execute(delete(AuditEvent).where(AuditEvent.created_at < limit))
    return result.rowcount or 0


def purge_job(payload: dict) -> None:
    purge_old_events()
