"""Sign-in, sign-out, password reset, invitations and the user's own account pages."""
from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from workspace.auth import service
from workspace.auth.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    NewPasswordForm,
    ProfileForm,
)
from workspace.auth.models import PURPOSE_INVITATION, PURPOSE_RESET, hash_token
from workspace.communes.service import list_organisations
from workspace.core.errors import DomainError
from workspace.core.security_events import announce
from workspace.core.urls import is_safe_next
from workspace.extensions import db

bp = Blueprint("auth", __name__)


def _after_login_target(form_next: str | None) -> str:
    return form_next if is_safe_next(form_next) else url_for("home.index")


def _clear_session_keeping_language() -> None:
    lang = session.get("lang")
    if current_user.is_authenticated:
        lang = current_user.locale
    session.clear()
    if lang:
        session["lang"] = lang


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm(next=request.args.get("next", ""))
    status = 200
    if form.validate_on_submit():
        email, address = form.email.data, request.remote_addr or ""
        if not service.login_allowed(email, address):
            form.form_errors.append(_("Trop de tentatives de connexion. Patientez quelques "
                                      "minutes avant de réessayer."))
            status = 429
            announce("login_failed", subject=service.find_user_by_email(email),
                     email=service.normalise_email(email)[:254], throttled=True)
            db.session.commit()
        else:
            try:
                user, provider = _check_password(email, form.password.data)
            except service.SignInRefused as refused:
                form.form_errors.append(refused.message)
                status = 403
                announce("login_failed", subject=service.find_user_by_email(email),
                         email=service.normalise_email(email)[:254], reason=refused.reason)
                db.session.commit()
            else:
                if user is None:
                    service.record_login_failure(email, address)
                    form.form_errors.append(_("Adresse e-mail ou mot de passe incorrect."))
                    status = 401
                    announce("login_failed", subject=service.find_user_by_email(email),
                             email=service.normalise_email(email)[:254])
                    db.session.commit()
                else:
                    service.clear_login_failures(email, address)
                    return sign_in(user, form.remember.data, provider, form.next.data)
    return render_template("auth/login.html", form=form,
                           buttons=service.sign_in_buttons()), status


def _check_password(login: str, password: str):
    """(user, provider) for a login and password: the directory first, when one is
    configured, then the local password. A directory that does not answer leaves the local
    password; when that fails too, the person is told the directory is away."""
    away = False
    for check in service.password_checks().values():
        try:
            found = check(login, password)
        except service.DirectoryUnavailable:
            away = True
            continue
        if found is not None:
            return found
    user = service.authenticate(login, password)
    if user is None and away:
        raise service.SignInRefused(_("L'annuaire ne répond pas : réessayez dans un moment."),
                                    "directory_unavailable")
    return user, ""


def sign_in(user, remember: bool, provider: str, target: str | None, id_token=None):
    """Open a session for the user (a password, a directory or an identity provider)."""
    _clear_session_keeping_language()  # nothing else carried over
    service.start_session(user, remember, request.user_agent.string or "",
                          request.remote_addr or "", provider=provider, id_token=id_token)
    login_user(user, remember=remember)
    announce("login", subject=user, actor=user, remember=bool(remember),
             **({"provider": provider} if provider else {}))
    db.session.commit()
    return redirect(_after_login_target(target))




@bp.post("/logout")
def logout():
    elsewhere = None
    if current_user.is_authenticated:
        elsewhere = service.logout_redirect(current_user.get_id())
        service.end_session(current_user.get_id())
        announce("logout", subject=current_user.id, actor=current_user.id)
        db.session.commit()
    _clear_session_keeping_language()
    logout_user()
    flash(_("Déconnexion effectuée."), "info")
    # signed in through an identity provider: signed out there too, then back here
    return redirect(elsewhere or url_for("auth.login"))


@bp.post("/account/sessions/end-all")
@login_required
def logout_everywhere():
    service.end_all_sessions(current_user)
    announce("logout_everywhere", subject=current_user.id, actor=current_user.id)
    db.session.commit()
    _clear_session_keeping_language()
    logout_user()
    flash(_("Déconnexion effectuée sur tous vos appareils."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        service.request_password_reset(form.email.data)
        db.session.commit()
        flash(_("Si un compte existe pour cette adresse, un e-mail vient de lui être envoyé avec "
                "un lien valable %(hours)d heures.",
                hours=current_app.config["RESET_TOKEN_HOURS"]), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


def _set_password_with_token(token: str, purpose: str, template: str, done_message: str):
    if service.find_valid_token(token, purpose) is None:
        return render_template("auth/token_invalid.html", purpose=purpose), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            service.use_token(token, purpose, form.password.data)
        except DomainError as error:
            form.password.errors.append(error.message)
        else:
            db.session.commit()
            flash(done_message, "success")
            return redirect(url_for("auth.login"))
    return render_template(template, form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    return _set_password_with_token(token, PURPOSE_RESET, "auth/reset_password.html",
                                    _("Votre mot de passe a été changé. Connectez-vous."))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    return _set_password_with_token(token, PURPOSE_INVITATION, "auth/accept_invitation.html",
                                    _("Votre compte est prêt. Connectez-vous."))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = ProfileForm(obj=current_user, organisations=list_organisations())
    if request.method == "GET":
        form.organisation_id.data = current_user.organisation_id or 0
    if form.validate_on_submit():
        form.populate_obj(current_user)
        current_user.organisation_id = form.organisation_id.data or None
        db.session.commit()
        flash(_("Votre profil est enregistré."), "success")
        return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            service.change_password(current_user, form.current.data, form.password.data)
        except DomainError as error:
            form.password.errors.append(error.message)
        else:
            # every other browser is now signed out; this one gets a fresh session
            user = current_user._get_current_object()
            service.start_session(user, False, request.user_agent.string or "",
                                  request.remote_addr or "")
            db.session.commit()
            _clear_session_keeping_language()
            login_user(user, remember=False)
            flash(_("Mot de passe changé. Vos autres appareils ont été déconnectés."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/change_password.html", form=form)


@bp.get("/account/sessions")
@login_required
def sessions():
    return render_template("auth/sessions.html", sessions=service.list_sessions(current_user),
                           current_hash=hash_token(current_user.get_id()))


@bp.post("/language")
def set_language():
    lang = request.form.get("lang", "")
    if lang not in current_app.config["LANGUAGES"]:
        abort(400)
    session["lang"] = lang
    if current_user.is_authenticated:
        current_user.locale = lang
        db.session.commit()
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("home.index"))
