"""Operations on organisations."""
from __future__ import annotations

from flask_babel import gettext as _
from slugify import slugify
from sqlalchemy import select

from workspace.communes.models import KIND_COMMUNE, Organisation
from workspace.core.errors import DomainError
from workspace.extensions import db


def list_organisations(include_archived: bool = False) -> list[Organisation]:
    """Communes first, in alphabetical order (accents ignored), then the other bodies."""
    query = select(Organisation)
    if not include_archived:
        query = query.where(Organisation.is_archived.is_(False))
    organisations = db.session.scalars(query).all()
    return sorted(organisations, key=lambda o: (o.kind != KIND_COMMUNE, slugify(o.name)))


def save_organisation(organisation: Organisation | None, name: str, kind: str,
                      joined_year: int | None) -> Organisation:
    name = " ".join(name.split())
    slug = slugify(name)
    clash = db.session.scalar(select(Organisation).where(
        (Organisation.slug == slug) | (Organisation.name == name)))
    if clash is not None and clash is not organisation:
        raise DomainError(_("Une organisation porte déjà ce nom."))
    if organisation is None:
        organisation = Organisation()
        db.session.add(organisation)
    organisation.name, organisation.slug = name, slug
    organisation.kind, organisation.joined_year = kind, joined_year
    db.session.flush()
    return organisation
