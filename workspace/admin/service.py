"""Administration operations: accounts and invitations, organisations, background jobs.

Services flush but never commit; the view commits once. The CSV import of invitations lives in
``workspace.admin.user_import`` and is re-exported here.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from slugify import slugify
from sqlalchemy import Select, delete, func, select

from workspace.admin.user_import import (
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    ImportResult,
    ImportRow,
    RowError,
    import_template,
    read_user_import,
)
from workspace.auth.models import FUNCTION_OTHER, NETWORK_FUNCTIONS, LoginSession, User
from workspace.auth.service import normalise_email, send_invitation, set_active
from workspace.communes.models import KIND_CCAS, KIND_COMMUNE, KIND_EPCI, KIND_OTHER, Organisation
from workspace.communes.service import save_organisation
from workspace.core.errors import DomainError
from workspace.core.jobs import FAILED, PENDING, Job, retry_job
from workspace.core.security_events import announce
from workspace.core.text import matches_all, query_words
from workspace.extensions import db
from workspace.networks.models import Membership, Network

__all__ = ["MAX_IMPORT_BYTES", "MAX_IMPORT_ROWS", "ImportResult", "ImportRow", "RowError",
           "import_template", "read_user_import", "import_users"]

# --- accounts --------------------------------------------------------------------------

STATUS_ACTIVE, STATUS_DISABLED, STATUS_PENDING = "active", "disabled", "pending"
STATUS_LABELS = {
    STATUS_ACTIVE: _l("Actif"),
    STATUS_DISABLED: _l("Désactivé"),
    STATUS_PENDING: _l("Invitation en attente"),
}


def user_status(user: User) -> str:
    """A disabled account is disabled whatever else; an active one without password waits."""
    if not user.is_active:
        return STATUS_DISABLED
    return STATUS_ACTIVE if user.has_password else STATUS_PENDING


@dataclass
class UserFilters:
    text: str = ""
    organisation_id: int | None = None
    status: str | None = None


def users_statement(filters: UserFilters) -> Select:
    """Users matching every filter, by name; the text matches names and e-mail, accents and
    case ignored (done in Python, as the directory does, so that SQLite and PostgreSQL agree)."""
    statement = select(User)
    if filters.organisation_id:
        statement = statement.where(User.organisation_id == filters.organisation_id)
    if filters.status == STATUS_DISABLED:
        statement = statement.where(User.is_active.is_(False))
    elif filters.status == STATUS_ACTIVE:
        statement = statement.where(User.is_active.is_(True), User.password_hash.is_not(None))
    elif filters.status == STATUS_PENDING:
        statement = statement.where(User.is_active.is_(True), User.password_hash.is_(None))
    words = query_words(filters.text)
    if words:
        rows = db.session.execute(select(User.id, User.first_name, User.last_name, User.email))
        ids = [user_id for user_id, first, last, email in rows
               if matches_all(words, first, last, email)]
        statement = statement.where(User.id.in_(ids))
    return statement.order_by(User.last_name, User.first_name, User.id)


def _check_email_free(email: str, user: User | None = None) -> str:
    email = normalise_email(email)
    clash = db.session.scalar(select(User).where(User.email == email))
    if clash is not None and clash is not user:
        raise DomainError(_("Un compte existe déjà avec cette adresse e-mail."))
    return email


@dataclass
class Profile:
    """What an administrator sets on an account."""
    email: str
    first_name: str
    last_name: str
    organisation_id: int | None = None
    network_function: str = "other"
    job_title: str = ""
    phone: str = ""
    locale: str = "fr"
    is_admin: bool = False


def _apply_profile(user: User, profile: Profile) -> None:
    user.first_name, user.last_name = profile.first_name.strip(), profile.last_name.strip()
    user.organisation_id = profile.organisation_id or None
    user.network_function = (profile.network_function if profile.network_function
                             in NETWORK_FUNCTIONS else FUNCTION_OTHER)
    user.job_title, user.phone = profile.job_title.strip(), profile.phone.strip()
    user.locale = profile.locale


def _new_user(profile: Profile) -> User:
    user = User(email=normalise_email(profile.email), is_admin=profile.is_admin)
    _apply_profile(user, profile)
    db.session.add(user)
    return user


def invite_user(profile: Profile, inviter: User) -> User:
    """Create an account without password and queue its invitation e-mail."""
    _check_email_free(profile.email)
    user = _new_user(profile)
    db.session.flush()
    send_invitation(user, inviter)
    announce("account_invited", subject=user, actor=inviter, admin=user.is_admin)
    db.session.flush()
    return user


def _refuse_anonymised(user: User) -> None:
    """An anonymised account never comes back: no new name, address, invitation or access."""
    from workspace.privacy.anonymise import is_anonymised

    if is_anonymised(user):
        raise DomainError(_("Ce compte est anonymisé : il ne peut plus être modifié ni "
                            "réactivé."))


def update_user(user: User, profile: Profile, actor: User) -> None:
    _refuse_anonymised(user)
    if user.id == actor.id and user.is_admin and not profile.is_admin:
        raise DomainError(_("Vous ne pouvez pas retirer vos propres droits d'administration."))
    email = _check_email_free(profile.email, user)
    if user.is_admin != profile.is_admin:
        announce("admin_granted" if profile.is_admin else "admin_revoked", subject=user,
                 actor=actor)
    if email != user.email:
        announce("account_updated", subject=user, actor=actor, changed="email")
    user.email = email
    user.is_admin = profile.is_admin
    _apply_profile(user, profile)
    db.session.flush()


def set_user_active(user: User, active: bool, actor: User) -> None:
    """Enable or disable an account; disabling signs it out of every browser."""
    if user.id == actor.id and not active:
        raise DomainError(_("Vous ne pouvez pas désactiver votre propre compte."))
    if active:
        _refuse_anonymised(user)
    if user.is_active != active:
        announce("account_enabled" if active else "account_disabled", subject=user,
                 actor=actor)
    set_active(user, active)
    db.session.flush()


def set_password_sign_in(user: User, allowed: bool, actor: User) -> None:
    """Password sign-in on or off for one account; off ends the sessions opened with a
    password (those opened through the directory or a provider stay)."""
    if user.id == actor.id and not allowed:
        raise DomainError(_("Vous ne pouvez pas désactiver votre propre connexion par mot "
                            "de passe."))
    if user.password_sign_in != allowed:
        announce("account_updated", subject=user, actor=actor,
                 changed="password_sign_in", allowed=allowed)
    user.password_sign_in = allowed
    if not allowed:
        db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id,
                                                      LoginSession.provider == ""))
    db.session.flush()


def resend_invitation(user: User, actor: User) -> None:
    """A new invitation link; the previous one stops working."""
    _refuse_anonymised(user)
    if user.has_password:
        raise DomainError(_("Ce compte est déjà activé : son titulaire peut utiliser « Mot de "
                            "passe oublié » s'il l'a perdu."))
    if not user.is_active:
        raise DomainError(_("Ce compte est désactivé : réactivez-le avant de renvoyer "
                            "l'invitation."))
    send_invitation(user, actor)
    announce("account_invited", subject=user, actor=actor, resent=True)
    db.session.flush()


def import_users(rows: list[ImportRow], inviter: User) -> list[User]:
    """Create the accounts of a checked import (see `read_user_import`), then queue every
    invitation."""
    users = [_new_user(Profile(email=row.email, first_name=row.first_name,
                               last_name=row.last_name, organisation_id=row.organisation_id,
                               network_function=row.network_function, job_title=row.job_title,
                               phone=row.phone)) for row in rows]
    db.session.flush()
    for user in users:
        send_invitation(user, inviter)
        announce("account_invited", subject=user, actor=inviter, imported=True)
    db.session.flush()
    return users


def memberships_of(user: User) -> list[tuple[Network, str]]:
    rows = db.session.execute(select(Network, Membership.role).join(
        Membership, Membership.network_id == Network.id).where(
        Membership.user_id == user.id).order_by(Network.name))
    return [(network, role) for network, role in rows]


# --- organisations ---------------------------------------------------------------------

KIND_LABELS = {
    KIND_COMMUNE: _l("Commune"),
    KIND_EPCI: _l("EPCI (intercommunalité)"),
    KIND_CCAS: _l("CCAS"),
    KIND_OTHER: _l("Autre"),
}


def organisations_with_counts() -> list[tuple[Organisation, int]]:
    """Every organisation (archived too) with its number of accounts: communes first."""
    rows = db.session.execute(
        select(Organisation, func.count(User.id)).outerjoin(
            User, User.organisation_id == Organisation.id).group_by(Organisation.id))
    return sorted(((organisation, count) for organisation, count in rows),
                  key=lambda row: (row[0].kind != KIND_COMMUNE, slugify(row[0].name)))


def save_organisation_admin(organisation: Organisation | None, *, name: str, kind: str,
                            joined_year: int | None, is_archived: bool = False) -> Organisation:
    slug = slugify(" ".join(name.split()))
    if not slug:
        raise DomainError(_("Le nom doit contenir au moins une lettre ou un chiffre."))
    if len(slug) > 120:
        raise DomainError(_("Ce nom est trop long."))
    organisation = save_organisation(organisation, name, kind, joined_year)
    organisation.is_archived = is_archived
    db.session.flush()
    return organisation


# --- background jobs -------------------------------------------------------------------

RETRYABLE = (FAILED, PENDING)


def job_counts() -> dict[str, int]:
    return dict(db.session.execute(select(Job.status, func.count()).group_by(Job.status)).all())


def jobs_with_status(status: str, limit: int = 100) -> list[Job]:
    order = Job.finished_at.desc() if status == FAILED else Job.run_at
    return list(db.session.scalars(select(Job).where(Job.status == status)
                                   .order_by(order, Job.id).limit(limit)))


def retry(job: Job) -> None:
    """Run a failed job again, or a waiting one now, with its attempts counted afresh."""
    if job.status not in RETRYABLE:
        raise DomainError(_("Seule une tâche en échec ou en attente peut être relancée."))
    retry_job(job)
    db.session.flush()
