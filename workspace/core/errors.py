"""Domain errors raised by services, and the site's error pages."""
from __future__ import annotations

from flask import Flask, g, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

# Seconds a browser or a proxy is told to wait before asking again when the database is away.
RETRY_AFTER_SECONDS = 30


class DomainError(Exception):
    """A rule of the domain refused an operation; the message is shown to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class PermissionDenied(DomainError):
    pass


class Conflict(DomainError):
    pass


class ExplainedHTTPError(HTTPException):
    """An HTTP refusal whose page gives its own French title and reason (a 413 that says
    which limit was passed, a 507 when the disk is full). Raise it inside a request."""

    def __init__(self, title: str, message: str):
        super().__init__(description=message)
        self.title, self.message = title, message


def _titles() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Requête incorrecte"), _("La requête envoyée n'a pas pu être comprise.")),
        403: (_("Accès refusé"), _("Vous n'avez pas le droit d'effectuer cette action.")),
        404: (_("Page introuvable"),
              _("Cette page n'existe pas, ou vous n'avez pas accès à son contenu.")),
        405: (_("Méthode non autorisée"), _("Cette adresse ne s'utilise pas de cette façon.")),
        413: (_("Fichier trop volumineux"),
              _("L'envoi dépasse la taille maximale autorisée. Réduisez le fichier ou "
                "découpez-le, puis réessayez.")),
        429: (_("Trop de tentatives"),
              _("Trop de tentatives en peu de temps. Patientez quelques minutes avant de "
                "réessayer.")),
        503: (_("Service momentanément indisponible"),
              _("Le service est momentanément indisponible. Rien n'a été enregistré ; "
                "réessayez dans un instant.")),
        500: (_("Erreur interne"),
              _("Une erreur inattendue s'est produite. Rien n'a été enregistré ; réessayez "
                "dans un instant. Si le problème persiste, prévenez un administrateur.")),
        507: (_("Espace disque insuffisant"),
              _("Le serveur manque d'espace disque : rien n'a été enregistré. Réessayez plus "
                "tard et prévenez un administrateur.")),
    }


def render_error(code: int, message: str | None = None, title: str | None = None):
    default_title, default = _titles().get(code, (_("Erreur"), _("Une erreur s'est produite.")))
    return render_template("errors/error.html", code=code, title=title or default_title,
                           message=message or default), code


def is_database_unavailable(error: BaseException) -> bool:
    """Is this the database being away (down, restarting, unreachable, its connection cut,
    the pool exhausted) rather than a fault of the code? PEP 249 raises OperationalError and
    InterfaceError for "the database's operation"; SQLAlchemy marks a cut connection
    `connection_invalidated` whatever the class the driver chose."""
    if isinstance(error, (OperationalError, InterfaceError, PoolTimeout)):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def _show_signed_out() -> None:
    """Draw the rest of this request for a visitor: the signed-in user's row cannot be read
    again (the rollback expired it) while the database is away. Flask-Login keeps the
    request's user in `g._login_user` and has no public way to set it: this line is the
    only use of it (tests/faults/test_database.py pins the version it was written for)."""
    from workspace.extensions import login_manager

    g._login_user = login_manager.anonymous_user()


def database_unavailable_page():
    """503 with Retry-After: the transaction is rolled back (nothing half written) and the
    pool forgets the broken connection, so the next request uses a new one."""
    from workspace.extensions import db

    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - a connection that is gone may fail even to roll back
        db.session.invalidate()
    _show_signed_out()
    response, code = render_error(503)
    return response, code, {"Retry-After": str(RETRY_AFTER_SECONDS)}


def register_error_handlers(app: Flask) -> None:
    from workspace.extensions import db

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, _(
            "Le formulaire a expiré ou n'a pas été envoyé depuis ce site (jeton de sécurité "
            "absent ou invalide). Rechargez la page et renvoyez le formulaire."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        if error.code >= 500:
            db.session.rollback()  # e.g. a 507 in the middle of an upload: no row is kept
        if isinstance(error, ExplainedHTTPError):
            return render_error(error.code, error.message, error.title)
        return render_error(error.code)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        if is_database_unavailable(error):
            app.logger.error("Database unavailable on %s %s: %s", request.method,
                             request.path, error)
            if not app.testing or app.config.get("SHOW_ERROR_PAGES"):
                return database_unavailable_page()
        db.session.rollback()
        if app.testing and not app.config.get("SHOW_ERROR_PAGES"):
            raise error  # let the test see the traceback
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return render_error(500)
