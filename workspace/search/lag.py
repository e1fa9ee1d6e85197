"""Entries the index may hold out of date: those with a `search.index` job not yet applied
(pending, running, failed: worker stopped, jobs failing, the usual half second) or applied
a moment ago. Totals and facet values must not count them as the index has them: each is
re-checked against the database, and counted (or not) with what the database says now.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from workspace.core.jobs import DONE, FAILED, PENDING, RUNNING, Job
from workspace.core.models import utcnow
from workspace.extensions import db
from workspace.search.docsets import DocSets
from workspace.search.registry import SearchDoc, doc_key, registration

# A job finished this recently may have been applied after the searcher was opened.
RECENT = timedelta(seconds=10)
NOT_APPLIED = (PENDING, RUNNING, FAILED)


@dataclass
class Lagging:
    """`entries`: the lagging entries among the matches (not to be counted from the index);
    `current`: entry -> its document now, for those the user may still find."""

    entries: int = 0
    current: dict[int, SearchDoc] = field(default_factory=dict)


def lagging_keys() -> set[tuple[str, int]]:
    """(kind, id) of every object whose index entry may be out of date."""
    recent = utcnow() - RECENT
    # two indexed look-ups (not a scan of the finished jobs kept for days): jobs not yet
    # applied, and jobs applied a moment ago
    waiting = select(Job.payload).where(Job.status.in_(NOT_APPLIED), Job.kind == "search.index")
    applied = select(Job.payload).where(Job.kind == "search.index", Job.finished_at >= recent,
                                        Job.status == DONE)
    payloads = db.session.scalars(waiting.union_all(applied))
    keys = set()
    for payload in payloads:
        try:
            keys.add((str(payload["kind"]), int(payload["id"])))
        except (KeyError, TypeError, ValueError):
            continue
    return keys


def lagging(sets: DocSets, matches: int, visible: set[int]) -> Lagging:
    """The matches whose entry may be out of date, and what the database says of each."""
    found = Lagging()
    if not matches:
        return found
    for kind, object_id in lagging_keys():
        entries = sets.term("key", doc_key(kind, object_id)) & matches
        if not entries:
            continue
        found.entries |= entries
        reg = registration(kind)
        doc = reg.document(object_id) if reg is not None else None
        if doc is not None and doc.network_id in visible:
            docnum = entries.bit_length() - 1  # one entry per key
            found.current[docnum] = doc
    return found
