"""Tutorial operations: writing, concurrent edits, revisions, table of contents, deletion.
Services flush; the caller commits.

Who may do what (see docs/tutorials.md): members of the network (and administrators) create
and edit pages and restore an old revision; coordinators (and administrators) also reorder
the table of contents, move a page under another one, delete and restore pages."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from flask_babel import gettext as _
from slugify import slugify
from sqlalchemy import func, select, update

from workspace.auth.models import User
from workspace.core.errors import Conflict, DomainError, PermissionDenied
from workspace.core.markdown import render_markdown
from workspace.core.models import utcnow
from workspace.core.revisions import TextRevision, record_revision, revisions
from workspace.extensions import db
from workspace.networks.models import Network
from workspace.tutorials import access as tutorial_access
from workspace.tutorials.models import REVISION_TYPE, TITLE_REVISION_TYPE, Tutorial

MAX_TITLE = 200
MAX_BODY = 100_000  # characters: a long procedure with many steps is about 20 000


# --- reading -----------------------------------------------------------------------------

@dataclass
class TocEntry:
    tutorial: Tutorial
    children: list[Tutorial] = field(default_factory=list)


def live_tutorials(network: Network) -> list[Tutorial]:
    return list(db.session.scalars(select(Tutorial).where(
        Tutorial.network_id == network.id, Tutorial.deleted_at.is_(None))
        .order_by(Tutorial.position, Tutorial.id)))


def table_of_contents(network: Network) -> list[TocEntry]:
    """Top-level pages in order, each with its sub-pages in order."""
    pages = live_tutorials(network)
    entries = {page.id: TocEntry(page) for page in pages if page.parent_id is None}
    for page in pages:
        if page.parent_id is not None:
            parent = entries.get(page.parent_id)
            if parent is None:  # parent deleted meanwhile: shown at the top level
                entries[page.id] = TocEntry(page)
            else:
                parent.children.append(page)
    return sorted(entries.values(), key=lambda e: (e.tutorial.position, e.tutorial.id))


def deleted_tutorials(network: Network) -> list[Tutorial]:
    return list(db.session.scalars(select(Tutorial).where(
        Tutorial.network_id == network.id, Tutorial.deleted_at.is_not(None))
        .order_by(Tutorial.deleted_at.desc())))


def parent_choices(network: Network, tutorial: Tutorial | None = None) -> list[Tutorial]:
    """Pages that may hold `tutorial`: live top-level pages other than itself (one level of
    nesting only)."""
    return [page for page in live_tutorials(network)
            if page.parent_id is None and (tutorial is None or page.id != tutorial.id)]


def neighbours(tutorial: Tutorial) -> tuple[Tutorial | None, Tutorial | None]:
    """The previous and next pages in reading order (the table of contents, flattened)."""
    order = [page for entry in table_of_contents(db.session.get(Network, tutorial.network_id))
             for page in [entry.tutorial, *entry.children]]
    if tutorial not in order:
        return None, None
    index = order.index(tutorial)
    return (order[index - 1] if index > 0 else None,
            order[index + 1] if index + 1 < len(order) else None)


def children_of(tutorial: Tutorial) -> list[Tutorial]:
    return list(db.session.scalars(select(Tutorial).where(
        Tutorial.parent_id == tutorial.id, Tutorial.deleted_at.is_(None))
        .order_by(Tutorial.position, Tutorial.id)))


# --- writing -----------------------------------------------------------------------------

def _clean_title(title: str | None) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise DomainError(_("Le tutoriel a besoin d'un titre."))
    if len(title) > MAX_TITLE:
        raise DomainError(_("Le titre est trop long (%(n)d caractères au plus).", n=MAX_TITLE))
    return title


def _clean_body(body: str | None) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise DomainError(_("Le tutoriel est vide : écrivez au moins une phrase."))
    if len(body) > MAX_BODY:
        raise DomainError(_("Le texte est trop long (%(n)d caractères au plus). Découpez-le "
                            "en plusieurs pages.", n=MAX_BODY))
    return body


def slug_of(title: str) -> str:
    return slugify(title, max_length=80, word_boundary=True) or "tutoriel"


def _check_parent(network: Network, tutorial: Tutorial | None,
                  parent: Tutorial | None) -> None:
    if parent is None:
        return
    if parent.network_id != network.id or parent.is_deleted:
        raise DomainError(_("La page parente n'existe pas."))
    if tutorial is not None and parent.id == tutorial.id:
        raise DomainError(_("Une page ne peut pas être rangée sous elle-même."))
    if parent.parent_id is not None:
        raise DomainError(_("Une sous-page ne peut pas contenir d'autres pages : choisissez "
                            "une page du premier niveau."))
    if tutorial is not None and children_of(tutorial):
        raise DomainError(_("Cette page contient des sous-pages : elle reste au premier "
                            "niveau."))


def _next_position(network: Network, parent: Tutorial | None) -> int:
    query = select(func.coalesce(func.max(Tutorial.position), 0)).where(
        Tutorial.network_id == network.id, Tutorial.deleted_at.is_(None))
    query = query.where(Tutorial.parent_id == parent.id) if parent else \
        query.where(Tutorial.parent_id.is_(None))
    return (db.session.scalar(query) or 0) + 1


def create_tutorial(author: User, network: Network, title: str, body: str,
                    parent: Tutorial | None = None) -> Tutorial:
    if not tutorial_access.can_write_tutorials(author, network):
        raise PermissionDenied(_("Seuls les membres du réseau écrivent des tutoriels."))
    title, body = _clean_title(title), _clean_body(body)
    _check_parent(network, None, parent)
    now = utcnow()
    tutorial = Tutorial(network_id=network.id, parent_id=parent.id if parent else None,
                        position=_next_position(network, parent), title=title,
                        slug=slug_of(title), body=body, body_html=str(render_markdown(body)),
                        version=1, author_id=author.id, updated_by_id=author.id,
                        created_at=now, updated_at=now)
    db.session.add(tutorial)
    db.session.flush()
    record_revision(REVISION_TYPE, tutorial.id, body, author)
    record_revision(TITLE_REVISION_TYPE, tutorial.id, title, author)
    return tutorial


def edit_tutorial(editor: User, tutorial: Tutorial, title: str, body: str,
                  expected_version: int) -> bool:
    """Save an edit unless someone saved another one since the editor opened the page
    (`Conflict`: the caller shows the saved version and keeps the editor's text). Returns
    False when nothing changed."""
    if not tutorial_access.can_edit_tutorial(editor, tutorial):
        raise PermissionDenied(_("Vous ne pouvez pas modifier ce tutoriel."))
    title, body = _clean_title(title), _clean_body(body)
    if expected_version != tutorial.version:
        _conflict(tutorial)
    if title == tutorial.title and body == tutorial.body:
        return False
    tutorial_body_before = tutorial.body
    # Claim the version first (a row lock on PostgreSQL until the commit, the writer lock
    # on SQLite): of two editors who started from the same version, one only gets past.
    result = db.session.execute(
        update(Tutorial).where(Tutorial.id == tutorial.id,
                               Tutorial.version == expected_version)
        .values(version=expected_version + 1).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        _conflict(tutorial)
    # then change the row through the ORM, so that the search outbox sees the change
    if title != tutorial.title:
        record_revision(TITLE_REVISION_TYPE, tutorial.id, title, editor)
    tutorial.version = expected_version + 1
    tutorial.title, tutorial.slug, tutorial.body = title, slug_of(title), body
    tutorial.body_html = str(render_markdown(body))
    tutorial.updated_at, tutorial.updated_by_id = utcnow(), editor.id
    db.session.flush()
    if body != tutorial_body_before:
        record_revision(REVISION_TYPE, tutorial.id, body, editor)
    return True


def _conflict(tutorial: Tutorial) -> None:
    db.session.refresh(tutorial)
    raise Conflict(_("Ce tutoriel a été modifié par quelqu'un d'autre pendant que vous "
                     "l'éditiez. Voici la version enregistrée ; votre texte est conservé dans "
                     "le formulaire pour que vous puissiez reporter vos changements."))


# --- revisions ---------------------------------------------------------------------------

def history(tutorial: Tutorial) -> list[TextRevision]:
    return revisions(REVISION_TYPE, tutorial.id)


@dataclass
class HistoryEntry:
    """One change of the page, newest first: a new text (with its line differences from
    the text before) or a new title (with the title before)."""

    revision: TextRevision
    diff: list[DiffLine] = field(default_factory=list)
    previous_title: str | None = None

    @property
    def is_rename(self) -> bool:
        return self.previous_title is not None


def timeline(tutorial: Tutorial) -> list[HistoryEntry]:
    texts = history(tutorial)
    entries = [HistoryEntry(revision, diff_lines(older.body if older else "", revision.body))
               for revision, older in zip(texts, [*texts[1:], None], strict=False)]
    titles = revisions(TITLE_REVISION_TYPE, tutorial.id)
    entries += [HistoryEntry(revision, previous_title=older.body)
                # the first title is no change
                for revision, older in zip(titles, titles[1:], strict=False)]
    return sorted(entries, key=lambda e: (e.revision.created_at, e.revision.id), reverse=True)


def revision_of(tutorial: Tutorial, number: int) -> TextRevision | None:
    if not 0 < number < 2**31:
        return None
    return db.session.scalar(select(TextRevision).where(
        TextRevision.object_type == REVISION_TYPE, TextRevision.object_id == tutorial.id,
        TextRevision.number == number))


def previous_revision(revision: TextRevision) -> TextRevision | None:
    return db.session.scalar(select(TextRevision).where(
        TextRevision.object_type == revision.object_type,
        TextRevision.object_id == revision.object_id,
        TextRevision.number < revision.number).order_by(TextRevision.number.desc()).limit(1))


@dataclass
class DiffLine:
    kind: str  # "added", "removed", "context", "gap"
    text: str


def diff_lines(before: str, after: str, context: int = 2) -> list[DiffLine]:
    """Line differences between two texts, with a little context around each change."""
    lines = []
    for line in difflib.unified_diff(before.split("\n"), after.split("\n"), lineterm="",
                                     n=context):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            if lines:  # between two hunks; the first one needs no mark
                lines.append(DiffLine("gap", "…"))
        elif line.startswith("+"):
            lines.append(DiffLine("added", line[1:]))
        elif line.startswith("-"):
            lines.append(DiffLine("removed", line[1:]))
        else:
            lines.append(DiffLine("context", line[1:]))
    return lines


def restore_revision(editor: User, tutorial: Tutorial, revision: TextRevision,
                     expected_version: int) -> bool:
    """Make an old text current again, as a new revision (nothing is rewritten)."""
    if revision.object_type != REVISION_TYPE or revision.object_id != tutorial.id:
        raise DomainError(_("Cette version n'appartient pas à ce tutoriel."))
    return edit_tutorial(editor, tutorial, tutorial.title, revision.body, expected_version)


# --- organisation (coordinators) ---------------------------------------------------------

def _require_organiser(actor: User, tutorial: Tutorial) -> Network:
    network = db.session.get(Network, tutorial.network_id)
    if not tutorial_access.can_organise_tutorials(actor, network):
        raise PermissionDenied(_("Seuls les coordinateurs organisent les tutoriels."))
    return network


def _siblings(tutorial: Tutorial) -> list[Tutorial]:
    query = select(Tutorial).where(Tutorial.network_id == tutorial.network_id,
                                   Tutorial.deleted_at.is_(None))
    query = query.where(Tutorial.parent_id == tutorial.parent_id) if tutorial.parent_id \
        else query.where(Tutorial.parent_id.is_(None))
    return list(db.session.scalars(query.order_by(Tutorial.position, Tutorial.id)))


def move_tutorial(actor: User, tutorial: Tutorial, offset: int) -> None:
    """Move a page up (-1) or down (+1) among the pages of its level."""
    _require_organiser(actor, tutorial)
    if tutorial.is_deleted:
        raise DomainError(_("Ce tutoriel est supprimé."))
    ordered = _siblings(tutorial)
    index = ordered.index(tutorial)
    target = min(max(index + offset, 0), len(ordered) - 1)
    ordered.insert(target, ordered.pop(index))
    for position, page in enumerate(ordered, start=1):
        page.position = position
    db.session.flush()


def set_parent(actor: User, tutorial: Tutorial, parent: Tutorial | None) -> None:
    """Put a page under another one (or back at the top level), at the end of that level."""
    network = _require_organiser(actor, tutorial)
    if (parent.id if parent else None) == tutorial.parent_id:
        return
    _check_parent(network, tutorial, parent)
    tutorial.parent_id = parent.id if parent else None
    tutorial.position = _next_position(network, parent)
    db.session.flush()


def delete_tutorial(actor: User, tutorial: Tutorial) -> None:
    """Hide a page (kept, restorable by coordinators); its sub-pages move to the top level."""
    network = _require_organiser(actor, tutorial)
    if tutorial.is_deleted:
        return
    for child in children_of(tutorial):
        child.parent_id = None
        child.position = _next_position(network, None)
        db.session.flush()
    tutorial.deleted_at, tutorial.deleted_by_id = utcnow(), actor.id
    db.session.flush()


def restore_tutorial(actor: User, tutorial: Tutorial) -> None:
    network = _require_organiser(actor, tutorial)
    if not tutorial.is_deleted:
        return
    parent = db.session.get(Tutorial, tutorial.parent_id) if tutorial.parent_id else None
    if parent is None or parent.is_deleted or parent.parent_id is not None:
        parent = None
    tutorial.deleted_at, tutorial.deleted_by_id = None, None
    tutorial.parent_id = parent.id if parent else None
    tutorial.position = _next_position(network, parent)
    db.session.flush()
