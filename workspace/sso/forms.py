"""The administrators' form: an organisation claim's value and the organisation it means."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError


class OrganisationClaimForm(FlaskForm):
    provider = StringField(
        _l("Fournisseur"), validators=[Length(max=60), Regexp(r"^[\w:*.-]*$", message=_l(
            "Nom de fournisseur invalide (lettres, chiffres, « : », « - », « . »)."))],
        description=_l("« ldap », « oidc:proconnect »… ; vide : tous les fournisseurs."))
    value = StringField(_l("Valeur transmise"), validators=[DataRequired(), Length(max=120)],
                        description=_l("Par exemple le SIRET de la commune transmis par "
                                       "ProConnect."))
    organisation_id = SelectField(_l("Organisation"), coerce=int)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_id.choices = [(0, _l("Choisissez…"))] + [
            (o.id, o.name) for o in organisations]

    def validate_organisation_id(self, field):
        if not field.data:
            raise ValidationError(_l("Choisissez une organisation."))
