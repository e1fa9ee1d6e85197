"""Account operations: sign-in and sessions, passwords, reset and invitation tokens."""
from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app
from flask_babel import gettext as _
from limits import parse
from limits.errors import StorageError
from limits.storage import MemoryStorage
from limits.strategies import STRATEGIES, RateLimiter
from sqlalchemy import bindparam, delete, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from workspace.auth.models import (
    PURPOSE_INVITATION,
    PURPOSE_RESET,
    LoginSession,
    User,
    UserToken,
    hash_token,
)
from workspace.core.errors import DomainError
from workspace.core.mail import queue_template_mail
from workspace.core.models import utcnow
from workspace.core.registry import registry
from workspace.core.security_events import announce
from workspace.core.urls import public_url
from workspace.extensions import db, limiter

# A hash to check against when the account does not exist, so that the answer takes as long.
_DUMMY_HASH: dict[str, str] = {}


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


# --- passwords ---------------------------------------------------------------------------

def password_problems(password: str, user: User | None = None) -> list[str]:
    """What is wrong with a new password (empty list: acceptable)."""
    problems = []
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        problems.append(_("Le mot de passe doit compter au moins %(n)d caractères.", n=minimum))
    if user is not None and password.strip().lower() in {user.email.lower(),
                                                         user.email.split("@")[0].lower()}:
        problems.append(_("Le mot de passe ne doit pas reprendre votre adresse e-mail."))
    if len(set(password)) < 4:
        problems.append(_("Le mot de passe est trop répétitif."))
    return problems


def set_password(user: User, password: str) -> None:
    problems = password_problems(password, user)
    if problems:
        raise DomainError(" ".join(problems))
    user.password_hash = generate_password_hash(
        password, method=current_app.config["PASSWORD_HASH_METHOD"])
    user.password_changed_at = utcnow()


def _dummy_hash() -> str:
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY_HASH:
        _DUMMY_HASH[method] = generate_password_hash(secrets.token_hex(16), method=method)
    return _DUMMY_HASH[method]


class SignInRefused(DomainError):
    """A sign-in refused for a reason the person must read (in French), recorded in the
    audit log as `reason` (never a secret)."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None (same work either way).
    SignInRefused, after a right password only, when the administrator turned password
    sign-in off for the account (its directory or identity provider must be used)."""
    user = find_user_by_email(email)
    if user is None or user.password_hash is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_active:
        return None
    if not user.password_sign_in:
        raise SignInRefused(_("La connexion par mot de passe est désactivée pour ce compte : "
                              "connectez-vous avec l'annuaire ou votre fournisseur "
                              "d'identité."), "password_sign_in_disabled")
    return user


# --- other ways in: a directory, identity providers (registered by their package) --------

# check(login, password) -> (user, provider) when the directory knows this login and
# password, None when it does not (the local password is tried next); SignInRefused when
# it knows the person but refuses them. DirectoryUnavailable: the local password is tried.
PasswordCheck = Callable[[str, str], "tuple[User, str] | None"]


class DirectoryUnavailable(RuntimeError):
    """The directory could not be asked (down, TLS refused, timeout)."""


def register_password_check(app: Flask, name: str, check: PasswordCheck) -> None:
    registry("password_checks", app)[name] = check


def password_checks() -> dict[str, PasswordCheck]:
    return registry("password_checks")


# still_there(user, provider) -> bool: whether the account still exists at the provider
# (asked at most every `every()` seconds per session); False ends the session.
def register_session_check(app: Flask, prefix: str, still_there: Callable[[User, str], bool],
                           every: Callable[[], float]) -> None:
    registry("session_checks", app)[prefix] = (still_there, every)


def _session_check(provider: str):
    for prefix, check in registry("session_checks").items():
        if provider == prefix or provider.startswith(prefix + ":"):
            return check
    return None


# where(login_session) -> the provider's sign-out address to send the browser to, or None
def register_logout(app: Flask, prefix: str, where: Callable[[LoginSession], str | None]) -> None:
    registry("logout_redirects", app)[prefix] = where


def logout_redirect(token: str | None) -> str | None:
    """The identity provider's sign-out address for this session, if it came from one."""
    if not token:
        return None
    row = db.session.scalar(select(LoginSession).where(
        LoginSession.token_hash == hash_token(token)))
    if row is None or not row.provider:
        return None
    for prefix, where in registry("logout_redirects").items():
        if row.provider == prefix or row.provider.startswith(prefix + ":"):
            return where(row)
    return None


def add_sign_in_button(app: Flask, name: str, label: str, endpoint: str, **values) -> None:
    """A button on the sign-in page ("Se connecter avec ProConnect")."""
    registry("sign_in_buttons", app)[name] = (label, endpoint, values)


def sign_in_buttons() -> list[tuple[str, str, dict]]:
    return list(registry("sign_in_buttons").values())


# --- throttling (Flask-Limiter's storage: memory, or Redis shared by all workers) ---------
#
# When the storage cannot be reached (Redis down or restarting), sign-in keeps working and
# keeps being throttled, by counters kept in this process: each worker process counts on
# its own meanwhile (a weaker limit than the shared one, never none). The shared storage is
# asked again LOGIN_LIMIT_FALLBACK_SECONDS after its last failure.

def _throttle_items(email: str, address: str):
    config = current_app.config
    prefix = config["RATELIMIT_KEY_PREFIX"]
    return [(parse(config["LOGIN_LIMIT_ACCOUNT"]), f"{prefix}:login-account",
             normalise_email(email)),
            (parse(config["LOGIN_LIMIT_ADDRESS"]), f"{prefix}:login-address",
             address or "unknown")]


def _local_limiter(state: dict) -> RateLimiter:
    if "local" not in state:
        strategy = current_app.config.get("RATELIMIT_STRATEGY") or "fixed-window"
        state.setdefault("local", STRATEGIES[strategy](MemoryStorage()))
    return state["local"]


def _throttle(operation: str, *args) -> Any:
    """`operation` ("test", "hit", "clear") of the shared limiter, or of this process's own
    while the shared storage is unreachable. Never raises for a storage that is away."""
    state = registry("login_throttle_fallback")
    if time.monotonic() >= state.get("shared_again_at", 0.0):
        try:
            return getattr(limiter.limiter, operation)(*args)
        except StorageError as error:  # RATELIMIT_STORAGE_OPTIONS: wrap_exceptions
            wait = current_app.config["LOGIN_LIMIT_FALLBACK_SECONDS"]
            state["shared_again_at"] = time.monotonic() + wait
            current_app.logger.warning(
                "sign-in throttling storage unreachable (%s): counting in this process, "
                "asking it again in %s s", error, wait)
    return getattr(_local_limiter(state), operation)(*args)


def login_allowed(email: str, address: str) -> bool:
    return all(_throttle("test", item, scope, key)
               for item, scope, key in _throttle_items(email, address))


def record_login_failure(email: str, address: str) -> None:
    for item, scope, key in _throttle_items(email, address):
        _throttle("hit", item, scope, key)


def address_allowed(address: str) -> bool:
    """The per-address limit alone: sign-ins through a provider, where the account is not
    known before the provider answers."""
    item, scope, key = _throttle_items("", address)[1]
    return _throttle("test", item, scope, key)


def record_address_failure(address: str) -> None:
    item, scope, key = _throttle_items("", address)[1]
    _throttle("hit", item, scope, key)


def clear_login_failures(email: str, address: str) -> None:
    item, scope, key = _throttle_items(email, address)[0]
    _throttle("clear", item, scope, key)


# --- sign-in sessions --------------------------------------------------------------------

def start_session(user: User, remember: bool, user_agent: str = "", address: str = "", *,
                  provider: str = "", id_token: str | None = None) -> str:
    """Record a new signed-in browser for the user; return the token for its cookies.
    `provider`: the directory or identity provider it came through ("" for a password)."""
    token = secrets.token_urlsafe(32)
    if remember:
        lifetime = current_app.config["REMEMBER_COOKIE_DURATION"]
    else:
        lifetime = timedelta(hours=current_app.config["SESSION_LIFETIME_HOURS"])
    db.session.add(LoginSession(user=user, token_hash=hash_token(token), is_remembered=remember,
                                expires_at=utcnow() + lifetime, user_agent=user_agent[:255],
                                ip_address=(address or "")[:64], provider=provider,
                                checked_at=utcnow() if provider else None,
                                id_token=id_token))
    user.last_login_at = utcnow()
    user.current_session_token = token
    return token


# Values other features need on every page of a signed-in user (their roles in the networks,
# the bell's count), read by the statement that loads the user instead of one statement each.
# Both the extras and the statement built from them belong to the application.

def add_to_sign_in(app: Flask, name: str, column: Callable, receive: Callable) -> None:
    """Read one more value with the signed-in user, on every request.

    `column(users)` returns a scalar SQL expression correlated to the `users` table (the
    user's row); `receive(user, value)` keeps the value for this request. Being read in the
    same statement as the session and the user, the value is as fresh as they are."""
    registry("sign_in_columns", app)[name] = (column, receive)
    registry("sign_in_statement", app).clear()


def _statement() -> tuple[tuple[str, ...], Any, list[Callable]]:
    """The sign-in statement, built once per application: a statement with a bound
    parameter, so that SQLAlchemy finds it compiled in its cache without building it again
    per request."""
    built = registry("sign_in_statement")
    if not built:
        extras = registry("sign_in_columns")
        names = tuple(extras)
        users = User.__table__
        columns = [extras[name][0](users).label(f"extra_{name}") for name in names]
        statement = (select(LoginSession.expires_at, LoginSession.provider,
                            LoginSession.checked_at, User, *columns)
                     .join(User, LoginSession.user_id == User.id)
                     .where(LoginSession.token_hash == bindparam("token_hash")))
        built["value"] = (names, statement, [extras[name][1] for name in names])
    return built["value"]


def load_user_for_token(token: str) -> User | None:
    """The user behind a session cookie, if that session still exists and the user may enter."""
    names, statement, receivers = _statement()
    row = db.session.execute(statement, {"token_hash": hash_token(token)}).first()
    if row is None:
        return None
    expires_at, provider, checked_at, user, *values = row
    if expires_at < utcnow() or not user.is_active:
        return None
    if provider and not _still_there(user, provider, checked_at, token):
        return None
    user.current_session_token = token
    for receive, value in zip(receivers, values, strict=False):
        receive(user, value)
    return user


def _still_there(user: User, provider: str, checked_at: datetime | None, token: str) -> bool:
    """A session opened through a directory ends at the first request after the account
    left it (asked again every few minutes, not at each request)."""
    check = _session_check(provider)
    if check is None:
        return True
    still_there, every = check
    if checked_at is not None and utcnow() - checked_at < timedelta(seconds=every()):
        return True
    statement = update(LoginSession).where(LoginSession.token_hash == hash_token(token))
    try:
        there = still_there(user, provider)
    except DirectoryUnavailable:
        return True  # a directory that does not answer ends nobody's session; asked again
    if not there:
        db.session.execute(delete(LoginSession).where(
            LoginSession.user_id == user.id, LoginSession.provider == provider))
        announce("session_ended_by_provider", subject=user, provider=provider)
        db.session.commit()
        return False
    db.session.execute(statement.values(checked_at=utcnow()))
    db.session.commit()
    return True


def end_session(token: str | None) -> None:
    if token:
        db.session.execute(delete(LoginSession).where(LoginSession.token_hash == hash_token(token)))


def end_all_sessions(user: User) -> None:
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))


def list_sessions(user: User) -> list[LoginSession]:
    return list(db.session.scalars(select(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.expires_at > utcnow())
        .order_by(LoginSession.created_at.desc())))


def change_password(user: User, current: str, new: str) -> None:
    """Check the current password, store the new one and sign out every browser."""
    if user.password_hash is None or not check_password_hash(user.password_hash, current):
        raise DomainError(_("Le mot de passe actuel est incorrect."))
    set_password(user, new)
    end_all_sessions(user)
    announce("password_changed", subject=user, actor=user)


# --- single-use tokens: password reset and invitation ----------------------------------

def issue_token(user: User, purpose: str, lifetime: timedelta) -> str:
    """A new token; earlier unused tokens of the same purpose stop working."""
    db.session.execute(delete(UserToken).where(UserToken.user_id == user.id,
                                               UserToken.purpose == purpose,
                                               UserToken.used_at.is_(None)))
    token = secrets.token_urlsafe(32)
    db.session.add(UserToken(user=user, purpose=purpose, token_hash=hash_token(token),
                             expires_at=utcnow() + lifetime))
    return token


def find_valid_token(token: str, purpose: str) -> UserToken | None:
    row = db.session.scalar(select(UserToken).where(UserToken.token_hash == hash_token(token),
                                                    UserToken.purpose == purpose))
    if row is None or row.used_at is not None or row.expires_at < utcnow():
        return None
    if not row.user.is_active:
        return None
    return row


def request_password_reset(email: str) -> None:
    """Send a reset link if the account exists and is active; say nothing either way."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    hours = current_app.config["RESET_TOKEN_HOURS"]
    token = issue_token(user, PURPOSE_RESET, timedelta(hours=hours))
    announce("reset_requested", subject=user)
    queue_template_mail(user, _("Réinitialisation de votre mot de passe"), "password_reset",
                        link=public_url("auth.reset_password", token=token), hours=hours)


def use_token(token: str, purpose: str, password: str) -> User:
    """Set the password through a reset or invitation link; the link then stops working."""
    row = find_valid_token(token, purpose)
    if row is None:
        raise DomainError(_("Ce lien n'est plus valable. Demandez-en un nouveau."))
    set_password(row.user, password)
    row.used_at = utcnow()
    end_all_sessions(row.user)
    announce("password_reset" if purpose == PURPOSE_RESET else "invitation_accepted",
             subject=row.user, actor=row.user)
    return row.user


def send_invitation(user: User, inviter: User) -> None:
    days = current_app.config["INVITATION_TOKEN_DAYS"]
    token = issue_token(user, PURPOSE_INVITATION, timedelta(days=days))
    user.invited_at = utcnow()
    queue_template_mail(user, _("Invitation à l'espace des réseaux de techniciens"),
                        "invitation", link=public_url("auth.accept_invitation", token=token),
                        inviter=inviter, days=days)


def set_active(user: User, active: bool) -> None:
    user.is_active = active
    if not active:
        end_all_sessions(user)


def purge_expired(payload: dict) -> None:
    now: datetime = utcnow()
    db.session.execute(delete(LoginSession).where(LoginSession.expires_at < now))
    db.session.execute(delete(UserToken).where(UserToken.expires_at < now - timedelta(days=30)))
