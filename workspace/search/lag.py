"""Entries this host's index may hold out of date: those of the changes its follower has
not applied yet (worker stopped, a step failing, the usual half second) or applied a
moment ago, read from the change log after the host's cursor (cursor.py). Totals and
facet values must not count them as the index has them: each is re-checked against the
database, and counted (or not) with what the database says now.

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

import numpy as np
from sqlalchemy import or_, select

from workspace.extensions import db
from workspace.search.changes import REBUILD, SearchChange
from workspace.search.docsets import DocSets
from workspace.search.follower import lagging_changes
from workspace.search.registry import Audience, SearchDoc, registration

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
    """kind -> ids of the objects whose index entry may be out of date: one look-up by
    primary key in the change log (the changes after the cursor, and its gaps)."""
    since, gaps = lagging_changes()
    late = SearchChange.id > since
    if gaps:
        late = or_(late, SearchChange.id.in_(sorted(gaps)[-1000:]))
    query = (select(SearchChange.kind, SearchChange.object_id).distinct()
             .where(late, SearchChange.kind != REBUILD))
    keys: dict[str, set[int]] = defaultdict(set)
    for kind, object_id in db.session.execute(query):
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
