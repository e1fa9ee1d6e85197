"""Legal pages (legal notice, personal data, accessibility): Markdown texts edited by the
administrators with their revisions, and French defaults while never saved."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from workspace.auth.models import User
from workspace.core.errors import DomainError
from workspace.core.markdown import render_markdown
from workspace.core.models import utcnow
from workspace.core.revisions import TextRevision, record_revision, revisions
from workspace.extensions import db
from workspace.privacy import legal_texts
from workspace.privacy.models import LegalPage

REVISION_TYPE = "legal_page"
MAX_BODY = 100_000

PAGES = {
    "mentions-legales": (_l("Mentions légales"), legal_texts.LEGAL_NOTICE),
    "donnees-personnelles": (_l("Données personnelles"), legal_texts.PERSONAL_DATA),
    "accessibilite": (_l("Déclaration d'accessibilité"), legal_texts.ACCESSIBILITY),
}


@dataclass
class LegalText:
    slug: str
    title: str
    body: str
    html: str
    updated_at: datetime | None = None
    updated_by: User | None = None
    row: LegalPage | None = None

    @property
    def is_default(self) -> bool:
        return self.row is None


def is_known(slug: str) -> bool:
    return slug in PAGES


def _row(slug: str) -> LegalPage | None:
    return db.session.scalar(select(LegalPage).where(LegalPage.slug == slug))


def get_page(slug: str) -> LegalText:
    """The page's current text: the saved one, else the default. `slug` must be known."""
    title, default = PAGES[slug]
    row = _row(slug)
    if row is None:
        return LegalText(slug, str(title), default, str(render_markdown(default)))
    return LegalText(slug, str(title), row.body, row.body_html, row.updated_at,
                     row.updated_by, row)


def save_page(slug: str, body: str, actor: User | None) -> bool:
    """Store a new text (and its revision); False when nothing changed."""
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise DomainError(_("Le texte de la page ne peut pas être vide."))
    if len(body) > MAX_BODY:
        raise DomainError(_("Le texte est trop long (%(n)d caractères au plus).", n=MAX_BODY))
    row = _row(slug)
    if row is not None and row.body == body:
        return False
    if row is None:
        row = LegalPage(slug=slug)
        db.session.add(row)
    row.body, row.body_html = body, str(render_markdown(body))
    row.updated_at, row.updated_by_id = utcnow(), actor.id if actor else None
    db.session.flush()
    record_revision(REVISION_TYPE, row.id, body, actor)
    return True


def history(slug: str) -> list[TextRevision]:
    row = _row(slug)
    return [] if row is None else revisions(REVISION_TYPE, row.id)


def ensure_default_pages() -> bool:
    """Store the default texts of the pages never saved (demo data, fresh installs)."""
    created = False
    for slug, (_title, default) in PAGES.items():
        if _row(slug) is None:
            save_page(slug, default, None)
            created = True
    return created
