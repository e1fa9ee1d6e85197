"""What can be found: each feature registers how its objects become search documents.

The search package imports no feature; each feature's own `search.py` calls
`register(app, ...)` from the feature's `init_app` (shared pieces in `build.py`). The registry
belongs to the application (`app.extensions`), so two applications never share one.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import Flask
from sqlalchemy import inspect

from workspace.core.registry import registry
from workspace.extensions import db


@dataclass(frozen=True)
class SearchDoc:
    """One findable object, as the index and the result page see it. Text pages are
    separated by form feeds (\\f) when the object has pages (extracted documents)."""

    kind: str
    object_id: int
    network_id: int
    title: str
    text: str
    url: str
    author: str = ""
    commune: str = ""
    date: datetime | None = None

    @property
    def key(self) -> str:
        return doc_key(self.kind, self.object_id)


# A dependent row (say DocumentText) changed: which (kind, id) must be indexed again.
DependencyFn = Callable[[Any], Iterable[int]]


@dataclass(frozen=True)
class Dependency:
    """Rows of `model` whose creation, deletion or change of one of `fields` (any column
    when None) calls to index again the objects `ids_of(row)` returns."""

    model: type
    ids_of: DependencyFn
    fields: tuple[str, ...] | None = None


@dataclass
class Registration:
    kind: str
    model: type
    to_document: Callable[[Any], SearchDoc | None]
    label: str
    fields: tuple[str, ...] | None = None
    depends: tuple[Dependency, ...] = field(default_factory=tuple)
    all_ids: Callable[[], Iterable[int]] | None = None
    load_options: tuple = ()
    prefetch: Callable[[list], Any] | None = None
    members_only: bool = False  # found only by members of its network (and administrators)

    def load(self, object_id: int):
        return db.session.get(self.model, object_id)

    def document(self, object_id: int) -> SearchDoc | None:
        """The object's current search document, or None: gone or not findable."""
        obj = self.load(object_id)
        return None if obj is None else self.to_document(obj)

    def documents(self, object_ids: list[int]) -> list[SearchDoc]:
        """The search documents of many objects, loaded with one query (rebuild, check)."""
        objects = list(db.session.scalars(db.select(self.model).options(*self.load_options)
                                          .where(self.model.id.in_(object_ids))))
        # what prefetch loads stays referenced (the identity map alone holds it weakly)
        kept = self.prefetch(objects) if self.prefetch is not None else None
        documents = [doc for obj in objects if (doc := self.to_document(obj)) is not None]
        del kept
        return documents

    def ids(self) -> Iterable[int]:
        if self.all_ids is not None:
            return self.all_ids()
        return db.session.scalars(db.select(self.model.id).order_by(self.model.id))


def _registry(app: Flask | None = None) -> dict[str, Registration]:
    return registry("search", app)


def register(app: Flask, kind: str, model: type, to_document: Callable[[Any], SearchDoc | None], *,
             label: str, fields: Iterable[str] | None = None,
             depends: Iterable[Dependency] = (),
             all_ids: Callable[[], Iterable[int]] | None = None,
             load_options: Iterable = (),
             prefetch: Callable[[list], Any] | None = None,
             members_only: bool = False) -> None:
    """Declare a findable kind. `to_document(obj)` returns None when the object must not
    be found (deleted, hidden, in the trash). A changed object is indexed again when one
    of `fields` changed (any column when None); `depends` names other rows whose changes
    call for it too. For a rebuild, objects are loaded by hundreds: `load_options`
    (`selectinload(...)`) and `prefetch(objects)` load what `to_document` reads with a few
    queries per batch instead of a few per object. `members_only`: the kind is found only
    by members of its network (and administrators), even in an open network whose other
    content every signed-in user may find."""
    _registry(app)[kind] = Registration(kind, model, to_document, label,
                                   tuple(fields) if fields else None, tuple(depends), all_ids,
                                   tuple(load_options), prefetch, members_only)


def registrations(app: Flask | None = None) -> list[Registration]:
    return list(_registry(app).values())


def registration(kind: str, app: Flask | None = None) -> Registration | None:
    return _registry(app).get(kind)


def members_only_kinds(app: Flask | None = None) -> set[str]:
    return {reg.kind for reg in _registry(app).values() if reg.members_only}


@dataclass(frozen=True)
class Audience:
    """Who is searching, for the re-checks: the networks whose entries they may find, and
    those they are a member of (None: as many), where members-only kinds are found."""

    networks: frozenset[int]
    members: frozenset[int] | None = None

    def may_see(self, doc: SearchDoc) -> bool:
        if doc.network_id not in self.networks:
            return False
        if self.members is None or doc.network_id in self.members:
            return True
        reg = registration(doc.kind)
        return reg is not None and not reg.members_only


def doc_key(kind: str, object_id: int) -> str:
    return f"{kind}:{object_id}"


def _any_changed(instance, fields: tuple[str, ...] | None) -> bool:
    if fields is None:
        return True
    attrs = inspect(instance).attrs
    return any(attrs[name].history.has_changes() for name in fields)


def affected(instance, changed_only: bool = False) -> set[tuple[str, int]]:
    """(kind, id) pairs that adding or deleting this row (or, with `changed_only`, the
    changes pending on it) calls to index again."""
    found: set[tuple[str, int]] = set()
    for reg in _registry().values():
        if isinstance(instance, reg.model) and getattr(instance, "id", None) is not None:
            if not changed_only or _any_changed(instance, reg.fields):
                found.add((reg.kind, instance.id))
        for dep in reg.depends:
            if isinstance(instance, dep.model) and (
                    not changed_only or _any_changed(instance, dep.fields)):
                found.update((reg.kind, object_id) for object_id in dep.ids_of(instance)
                             if object_id is not None)
    return found


def affected_by_columns(instance, columns: set[str] | None) -> set[tuple[str, int]]:
    """Like `affected`, for a row a statement changed: `columns` are the columns it set
    (None: any, as for an insert or a delete)."""
    found: set[tuple[str, int]] = set()
    for reg in _registry().values():
        if isinstance(instance, reg.model) and (
                columns is None or reg.fields is None or columns & set(reg.fields)):
            found.add((reg.kind, instance.id))
        for dep in reg.depends:
            if isinstance(instance, dep.model) and (
                    columns is None or dep.fields is None or columns & set(dep.fields)):
                found.update((reg.kind, object_id) for object_id in dep.ids_of(instance)
                             if object_id is not None)
    return found


def watched_models() -> tuple[type, ...]:
    models: list[type] = []
    for reg in _registry().values():
        models.append(reg.model)
        models.extend(dep.model for dep in reg.depends)
    return tuple(models)
