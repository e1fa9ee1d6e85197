"""Entries the index may hold out of date: those with a `search.index` job not yet applied
(pending, running, failed: worker stopped, jobs failing, the usual half second) or applied
a moment ago. Totals and facet values must not count them as the index has them: each is
re-checked against the database, and counted (or not) with what the database says now.

The cost stays bounded when the index is far behind (a worker stopped for hours, a bulk
import): the lagging entries among the matches are found as array operations over the
index's `object_id` column (one pass per kind), and at most MAX_RECHECKED (50) of them are read
again from the database, by kind, in one query each. Beyond that, the others are counted
nowhere (never as the index has them) and the page says that recent changes are not all
counted yet.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
from sqlalchemy import select

from workspace.core.jobs import DONE, FAILED, PENDING, RUNNING, Job
from workspace.core.models import utcnow
from workspace.extensions import db
from workspace.search.docsets import DocSets
from workspace.search.registry import Audience, SearchDoc, registration

# A job finished this recently may have been applied after the searcher was opened.
RECENT = timedelta(seconds=10)
NOT_APPLIED = (PENDING, RUNNING, FAILED)
# Lagging matches read again from the database per search (about a millisecond each: the
# registry builds the whole search document); the rest are left uncounted. The usual lag
# (the half second before the worker applies a change) is a few objects.
MAX_RECHECKED = 50


@dataclass
class Lagging:
    """`entries`: the lagging entries among the matches (not to be counted from the index);
    `current`: entry -> its document now, for those the user may still find;
    `uncounted`: how many lagging matches were not re-checked (counted nowhere)."""

    entries: int = 0
    current: dict[int, SearchDoc] = field(default_factory=dict)
    uncounted: int = 0


def lagging_keys() -> dict[str, set[int]]:
    """kind -> ids of the objects whose index entry may be out of date."""
    recent = utcnow() - RECENT
    # two indexed look-ups (not a scan of the finished jobs kept for days): jobs not yet
    # applied, and jobs applied a moment ago
    # (the payload's values read by the database: thousands of rows are not decoded in Python)
    columns = (Job.payload["kind"].as_string(), Job.payload["id"].as_integer())
    waiting = select(*columns).where(Job.status.in_(NOT_APPLIED), Job.kind == "search.index")
    applied = select(*columns).where(Job.kind == "search.index", Job.finished_at >= recent,
                                     Job.status == DONE)
    keys: dict[str, set[int]] = defaultdict(set)
    for kind, object_id in db.session.execute(waiting.union_all(applied)):
        if kind is not None and object_id is not None:
            keys[kind].add(object_id)
    return keys


def lagging(sets: DocSets, matches: int, audience: Audience) -> Lagging:
    """The matches whose entry may be out of date, and what the database says of each."""
    found = Lagging()
    if not matches:
        return found
    keys = lagging_keys()
    if not keys:
        return found
    object_ids = sets.column("keys", "object_id")
    late: list[tuple[str, np.ndarray]] = []  # (kind, lagging entries among the matches)
    for kind, ids in sorted(keys.items()):
        among = sets.values("kind").get(kind, 0) & matches
        if not among:
            continue
        candidates = np.flatnonzero(sets.mask(among))
        wanted = np.fromiter(ids, dtype=np.uint64, count=len(ids))
        entries = candidates[np.isin(object_ids[candidates], wanted)]
        if len(entries):
            found.entries |= sets.bits(entries)
            late.append((kind, entries))
    budget = MAX_RECHECKED
    for kind, entries in late:
        checked, rest = entries[:budget], entries[budget:]
        budget -= len(checked)
        found.uncounted += len(rest)
        reg = registration(kind)
        if not len(checked) or reg is None:
            continue
        now = {doc.object_id: doc for doc in reg.documents(
            [int(object_id) for object_id in object_ids[checked]])}
        for docnum in checked.tolist():
            doc = now.get(int(object_ids[docnum]))
            if doc is not None and audience.may_see(doc):
                found.current[docnum] = doc
    return found
