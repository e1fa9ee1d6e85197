"""Forms of the administration pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, EmailField, SearchField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from workspace.admin.service import KIND_LABELS, STATUS_LABELS, Profile
from workspace.auth.labels import LANGUAGE_LABELS, function_choices
from workspace.core.inputs import BoundedIntegerField


def _strip(value: str | None) -> str | None:
    """Addresses pasted from a spreadsheet or an e-mail often carry spaces around them."""
    return value.strip() if isinstance(value, str) else value


def _organisation_choices(organisations) -> list[tuple[int, str]]:
    return [(0, str(_l("— Aucune —")))] + [(o.id, o.name) for o in organisations]


class UserFilterForm(FlaskForm):
    """The filters of the user list (GET, no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Nom ou adresse e-mail"), validators=[Optional(), Length(max=100)])
    organisation = SelectField(_l("Organisation"), coerce=int, default=0,
                               validators=[Optional()])
    status = SelectField(_l("État du compte"), default="", validators=[Optional()])

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation.choices = [(0, str(_l("Toutes")))] + [
            (o.id, o.name) for o in organisations]
        self.status.choices = [("", str(_l("Tous")))] + [
            (code, str(label)) for code, label in STATUS_LABELS.items()]


class UserForm(FlaskForm):
    """An account as an administrator sees it: invitation and edition."""

    email = EmailField(_l("Adresse e-mail"), validators=[DataRequired(), Email(), Length(max=254)],
                       filters=[_strip])
    first_name = StringField(_l("Prénom"), validators=[DataRequired(), Length(max=80)])
    last_name = StringField(_l("Nom"), validators=[DataRequired(), Length(max=80)])
    organisation_id = SelectField(_l("Organisation"), coerce=int, default=0,
                                  validators=[Optional()])
    network_function = SelectField(_l("Fonction dans les réseaux"), default="other")
    job_title = StringField(_l("Intitulé du poste"), validators=[Optional(), Length(max=160)])
    phone = StringField(_l("Téléphone"), validators=[Optional(), Length(max=40)])
    locale = SelectField(_l("Langue des e-mails et de l'interface"), default="fr")
    is_admin = BooleanField(_l("Administrateur : gère les comptes, les organisations et les "
                               "réseaux"))

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_id.choices = _organisation_choices(organisations)
        self.network_function.choices = function_choices()
        self.locale.choices = list(LANGUAGE_LABELS.items())

    def profile(self) -> Profile:
        return Profile(email=self.email.data, first_name=self.first_name.data,
                       last_name=self.last_name.data,
                       organisation_id=self.organisation_id.data or None,
                       network_function=self.network_function.data,
                       job_title=self.job_title.data or "", phone=self.phone.data or "",
                       locale=self.locale.data, is_admin=self.is_admin.data)


class ImportForm(FlaskForm):
    file = FileField(_l("Fichier CSV"), validators=[
        FileRequired(_l("Choisissez un fichier.")),
        FileAllowed(["csv", "txt"], _l("Le fichier doit être au format CSV (.csv ou .txt)."))],
        description=_l("Colonnes : email, prenom, nom, organisation, fonction, poste, telephone "
                       "(première ligne). Séparateur point-virgule ou virgule. 1 Mo et 2 000 "
                       "personnes au plus."),
        render_kw={"accept": ".csv,.txt,text/csv"})


class OrganisationForm(FlaskForm):
    name = StringField(_l("Nom"), validators=[DataRequired(), Length(max=120)])
    kind = SelectField(_l("Type"), default="commune")
    # a year, not a date: a commune may have joined before the product's first year
    joined_year = BoundedIntegerField(_l("Année d'adhésion à la mutualisation"),
                                      minimum=1900, maximum=2100, validators=[Optional()])
    is_archived = BooleanField(_l("Archivée : n'apparaît plus dans les choix d'organisation"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(code, str(label)) for code, label in KIND_LABELS.items()]
