"""A tutorial as a PDF or OpenDocument text, through the shared export writers: the title,
who wrote it and when, the text, and the list of attached files."""
from __future__ import annotations

from flask_babel import gettext as _
from slugify import slugify

from workspace.core.i18n import datetime_filter
from workspace.exports.blocks import (
    Document,
    Heading,
    ItemList,
    ListItem,
    Paragraph,
    markdown_blocks,
)
from workspace.exports.odf import render_odt
from workspace.exports.pdf import render_pdf
from workspace.networks.models import Network
from workspace.tutorials.models import Tutorial

FORMATS = {
    "pdf": (render_pdf, "application/pdf"),
    "odt": (render_odt, "application/vnd.oasis.opendocument.text"),
}


def tutorial_document(tutorial: Tutorial, network: Network, attachments) -> Document:
    editor = tutorial.updated_by or tutorial.author
    meta = _("%(network)s · mis à jour le %(date)s par %(name)s", network=network.name,
             date=datetime_filter(tutorial.updated_at, "long"),
             name=editor.full_name if editor else _("ancien membre"))
    blocks = [Heading(tutorial.title, 1), Paragraph(meta, "meta")]
    blocks += markdown_blocks(tutorial.body, top_level=2)
    if attachments:
        blocks.append(Heading(_("Pièces jointes"), 2))
        blocks.append(ItemList([ListItem(item.filename) for item in attachments]))
    name = slugify(tutorial.title, max_length=60) or str(tutorial.id)
    return Document(title=tutorial.title, subject=_("Tutoriel"), blocks=blocks,
                    filename=f"{_('tutoriel')}-{name}")
