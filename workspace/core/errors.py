"""Domain errors raised by services, and the site's error pages."""
from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


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
        db.session.rollback()
        if app.testing and not app.config.get("SHOW_ERROR_PAGES"):
            raise error  # let the test see the traceback
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return render_error(500)
