"""Forms of the account pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from workspace.auth.labels import LANGUAGE_LABELS, function_choices


class LoginForm(FlaskForm):
    email = EmailField(_l("Adresse e-mail"), validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Mot de passe"), validators=[DataRequired(), Length(max=1024)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Rester connecté sur cet appareil (30 jours)"))
    next = HiddenField()


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Adresse e-mail"), validators=[DataRequired(), Email(), Length(max=254)],
                       render_kw={"autocomplete": "email"})


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("Nouveau mot de passe"),
                             validators=[DataRequired(), Length(max=1024)],
                             description=_l("Au moins 12 caractères. Une phrase de passe est "
                                            "plus facile à retenir."),
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Confirmez le mot de passe"),
                            validators=[DataRequired(), EqualTo(
                                "password", message=_l("Les deux mots de passe diffèrent."))],
                            render_kw={"autocomplete": "new-password"})


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(_l("Mot de passe actuel"), validators=[DataRequired()],
                            render_kw={"autocomplete": "current-password"})


class ProfileForm(FlaskForm):
    first_name = StringField(_l("Prénom"), validators=[DataRequired(), Length(max=80)],
                             render_kw={"autocomplete": "given-name"})
    last_name = StringField(_l("Nom"), validators=[DataRequired(), Length(max=80)],
                            render_kw={"autocomplete": "family-name"})
    organisation_id = SelectField(_l("Organisation"), coerce=int, validators=[Optional()])
    job_title = StringField(_l("Intitulé du poste"), validators=[Length(max=160)],
                            render_kw={"autocomplete": "organization-title"})
    network_function = SelectField(_l("Fonction dans les réseaux"))
    phone = StringField(_l("Téléphone"), validators=[Length(max=40)],
                        render_kw={"autocomplete": "tel"})
    locale = SelectField(_l("Langue de l'interface"))

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_id.choices = [(0, _l("— Aucune —"))] + [
            (o.id, o.name) for o in organisations]
        self.network_function.choices = function_choices()
        self.locale.choices = list(LANGUAGE_LABELS.items())
