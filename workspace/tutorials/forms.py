"""Forms of the tutorial pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from workspace.tutorials.service import MAX_BODY, MAX_TITLE

BODY_HELP = _l("Mise en forme Markdown : ## intertitre, **gras**, _italique_, listes avec "
               "« - » ou « 1. », [lien](https://…), `code`. Les images jointes s'affichent "
               "sous le texte ; copiez leur code pour les placer dans le texte.")


def _parent_choices(parents) -> list[tuple[int, str]]:
    from flask_babel import gettext as _

    return [(0, _("— aucune (premier niveau) —"))] + [(page.id, page.title) for page in parents]


class TutorialForm(FlaskForm):
    title = StringField(_l("Titre"), validators=[DataRequired(), Length(max=MAX_TITLE)])
    body = TextAreaField(_l("Texte"), validators=[DataRequired(), Length(max=MAX_BODY)],
                         description=BODY_HELP, render_kw={"rows": 18})
    files = MultipleFileField(_l("Images et documents joints (facultatif)"),
                              render_kw={"multiple": True})
    version = HiddenField()


class CreateForm(TutorialForm):
    parent = SelectField(_l("Page parente"), coerce=int, default=0,
                         description=_l("Rangez la page sous une page du premier niveau, "
                                        "ou laissez-la au premier niveau."))

    def __init__(self, *args, parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.parent.choices = _parent_choices(parents)


class AttachForm(FlaskForm):
    files = MultipleFileField(_l("Images et documents"), render_kw={"multiple": True})


class ParentForm(FlaskForm):
    parent = SelectField(_l("Ranger sous"), coerce=int, default=0)

    def __init__(self, *args, parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.parent.choices = _parent_choices(parents)


class VersionForm(FlaskForm):
    """Restore a revision: names the version of the page it was shown."""
    version = HiddenField()
