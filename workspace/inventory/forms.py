"""Forms of the inventory: a contract, an equipment or software line, an import."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from workspace.core.errors import DomainError
from workspace.inventory.importing import CONTRACTS, ITEMS
from workspace.inventory.labels import CONTRACT_KIND_LABELS, ITEM_KIND_LABELS
from workspace.inventory.service import MAX_NOTICE_MONTHS
from workspace.inventory.values import parse_amount, parse_count, parse_date


class _ParsedField(StringField):
    """A text input read by a parser of values.py; its message becomes the field's error."""

    parser = staticmethod(lambda text: text)

    def process_formdata(self, valuelist):
        self.raw = valuelist[0] if valuelist else ""
        try:
            self.data = self.parser(self.raw)
        except DomainError as error:
            self.data = None
            raise ValueError(error.message) from None

    def _value(self):
        if getattr(self, "raw", None) is not None:
            return self.raw
        return self.format(self.data) if self.data is not None else ""

    format = staticmethod(str)


class AmountField(_ParsedField):
    parser = staticmethod(parse_amount)

    @staticmethod
    def format(cents):
        from workspace.inventory.values import format_amount
        return format_amount(cents, thousands=" ")


class CountField(_ParsedField):
    """A whole number >= 0, with French messages ("1 200" accepted)."""

    def __init__(self, label=None, validators=None, maximum=1_000_000, empty=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.maximum, self.empty = maximum, empty

    def parser(self, text):
        return parse_count(text, str(self.label.text), self.maximum, self.empty)


class FrenchDateField(_ParsedField):
    parser = staticmethod(parse_date)

    @staticmethod
    def format(value):
        return value.strftime("%d/%m/%Y")


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(code, label) for code, label in labels.items()]


def _commune_choices(form, communes) -> None:
    form.organisation_id.choices = [SelectChoice(0, _l("Choisissez…"))] + [
        SelectChoice(o.id, o.name) for o in communes]


class _CommuneForm(FlaskForm):
    organisation_id = SelectField(_l("Commune"), coerce=int)

    def __init__(self, *args, communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        _commune_choices(self, communes)

    def validate_organisation_id(self, field):
        if not field.data:
            raise ValidationError(_l("Choisissez la commune concernée."))


class ContractForm(_CommuneForm):
    kind = SelectField(_l("Type de contrat"), choices=_choices(CONTRACT_KIND_LABELS),
                       validators=[DataRequired()])
    supplier = StringField(_l("Fournisseur"), validators=[DataRequired(), Length(max=120)],
                           description=_l("Par exemple : Orange, SFR, Bouygues Telecom"))
    subject = StringField(_l("Objet"), validators=[DataRequired(), Length(max=200)],
                          description=_l("Ce que couvre le contrat"))
    starts_on = FrenchDateField(_l("Date de début"), description=_l("jj/mm/aaaa"))
    ends_on = FrenchDateField(_l("Date de fin"), description=_l("jj/mm/aaaa"))
    notice_months = CountField(_l("Préavis (mois)"), default=0, maximum=MAX_NOTICE_MONTHS,
                               empty=0,
                               description=_l("Délai pour dénoncer le contrat avant sa fin"))
    yearly_amount = AmountField(_l("Montant annuel (€)"),
                                description=_l("Par exemple : 1 234,56"))
    licence_count = CountField(_l("Nombre de licences"))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)],
                          render_kw={"rows": 3})

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("La date de fin précède la date de début."))


class ItemForm(_CommuneForm):
    kind = SelectField(_l("Type"), choices=_choices(ITEM_KIND_LABELS),
                       validators=[DataRequired()])
    product = StringField(_l("Produit"), validators=[DataRequired(), Length(max=120)],
                          description=_l("Par exemple : Zimbra, Alfresco, copieur Canon"))
    version = StringField(_l("Version ou modèle"), validators=[Optional(), Length(max=60)])
    quantity = CountField(_l("Quantité"), default=1, empty=1)
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)],
                          render_kw={"rows": 3})


class ImportForm(FlaskForm):
    table = RadioField(_l("Lignes à importer"), default=CONTRACTS,
                       choices=[SelectChoice(CONTRACTS, _l("Contrats")),
                                SelectChoice(ITEMS, _l("Équipements et logiciels"))])
    organisation_id = SelectField(_l("Commune des lignes sans commune"), coerce=int,
                                  description=_l("Utilisée quand la colonne « commune » est "
                                                 "vide ou absente."))
    mode = RadioField(_l("Mode"), default="add", choices=[
        SelectChoice("add", _l("Ajouter les lignes du fichier")),
        SelectChoice("replace", _l("Remplacer les lignes des communes présentes dans le "
                                   "fichier"))])
    file = FileField(_l("Fichier CSV ou ODS"),
                     validators=[FileRequired(_l("Choisissez un fichier."))])

    def __init__(self, *args, communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_id.choices = [SelectChoice(0, _l("Aucune"))] + [
            SelectChoice(o.id, o.name) for o in communes]
