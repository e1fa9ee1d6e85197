"""Forms of the privacy pages: audit-log filters, anonymisation confirmation, legal texts."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from workspace.core.inputs import IdField, ProductDateField
from workspace.privacy.audit import KIND_LABELS
from workspace.privacy.legal import MAX_BODY

CONFIRMATION_WORD = "ANONYMISER"


class AuditFilterForm(FlaskForm):
    """Filters of the audit log (GET, no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    kind = SelectField(_l("Événement"), default="", validators=[Optional()])
    user = IdField(_l("N° du compte (auteur ou concerné)"), validators=[Optional()])
    since = ProductDateField(_l("Du"), validators=[Optional()])
    until = ProductDateField(_l("Au"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [("", str(_l("Tous")))] + sorted(
            ((kind, str(label)) for kind, label in KIND_LABELS.items()), key=lambda c: c[1])

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("La date de fin précède la date de début."))


class AnonymiseForm(FlaskForm):
    confirmation = StringField(
        _l("Pour confirmer, tapez %(word)s", word=CONFIRMATION_WORD),
        validators=[DataRequired(_l("Tapez le mot demandé pour confirmer.")), Length(max=40)])

    def validate_confirmation(self, field):
        if (field.data or "").strip().upper() != CONFIRMATION_WORD:
            raise ValidationError(_l("Tapez exactement %(word)s pour confirmer.",
                                     word=CONFIRMATION_WORD))


class LegalPageForm(FlaskForm):
    body = TextAreaField(_l("Texte (Markdown)"), validators=[
        DataRequired(_l("Le texte de la page ne peut pas être vide.")),
        Length(max=MAX_BODY, message=_l("Le texte est trop long (%(max)d caractères au "
                                        "plus)."))], render_kw={"rows": 24})
