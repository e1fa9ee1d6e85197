"""Forms of the network pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from workspace.core.inputs import BoundedIntegerField
from workspace.networks.models import ROLE_COORDINATOR, ROLE_MEMBER


def role_choices():
    return [(ROLE_MEMBER, _l("Membre")), (ROLE_COORDINATOR, _l("Coordinateur"))]


class NetworkForm(FlaskForm):
    name = StringField(_l("Nom"), validators=[DataRequired(), Length(max=120)])
    summary = StringField(_l("Résumé en une phrase"), validators=[Optional(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=20000)],
                                description=_l("Mise en forme Markdown acceptée."),
                                render_kw={"rows": 10})
    is_private = BooleanField(_l("Réseau privé : seuls les membres voient son contenu"),
                              default=True)
    storage_quota_mb = BoundedIntegerField(
        _l("Espace documentaire (Mo)"), minimum=1, maximum=10_000_000, validators=[Optional()],
        description=_l("Laisser vide pour la valeur par défaut de la plateforme."))


class JoinRequestForm(FlaskForm):
    message = TextAreaField(_l("Message aux coordinateurs (facultatif)"),
                            validators=[Optional(), Length(max=2000)], render_kw={"rows": 4})


class DecisionForm(FlaskForm):
    answer = TextAreaField(_l("Réponse (facultative, envoyée au demandeur)"),
                           validators=[Optional(), Length(max=2000)], render_kw={"rows": 2})


class AddMemberForm(FlaskForm):
    email = EmailField(_l("Adresse e-mail du membre"),
                       validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(_l("Rôle"), choices=role_choices)


class MemberRoleForm(FlaskForm):
    role = SelectField(_l("Rôle"), choices=role_choices)
