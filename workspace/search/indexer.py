"""The Whoosh index in DATA_DIR/search and its single writer: the `search.index` jobs.

Only the job worker writes. A job whose writer lock is taken (another worker, a rebuild)
fails with `IndexBusy` and is retried by the job queue with back-off: a user never waits
on the lock and no update is lost. Small commits do not merge segments (`merge=False`);
a nightly job optimises the index, and a commit merges when segments pile up.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable

from flask import current_app
from whoosh import index
from whoosh.fields import DATETIME, ID, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError
from whoosh.util.filelock import try_for
from whoosh.writing import CLEAR

from workspace.core.jobs import job_handler, periodic
from workspace.search.analysis import french_analyzer
from workspace.search.registry import SearchDoc, doc_key, registration, registrations

log = logging.getLogger(__name__)

MAX_SEGMENTS_WITHOUT_MERGE = 20
WRITER_TIMEOUT_SECONDS = 2.0
REBUILD_TIMEOUT_SECONDS = 60.0  # an administrator's rebuild waits for the jobs in progress


class IndexBusy(RuntimeError):
    """The index's write lock is held elsewhere; the job will be retried."""


def make_schema() -> Schema:
    analyzer = french_analyzer()
    return Schema(
        key=ID(stored=True, unique=True),  # "kind:id"
        kind=ID(stored=True, sortable=True),
        object_id=ID(stored=True),
        network_id=ID(stored=True, sortable=True),
        title=TEXT(analyzer=analyzer, phrase=True, field_boost=2.0),
        text=TEXT(analyzer=analyzer, phrase=True),
        date=DATETIME(stored=True, sortable=True),
    )


def index_dir() -> Path:
    return Path(current_app.config["DATA_DIR"]) / "search"


def open_index() -> index.Index:
    """The index, created empty the first time."""
    path = index_dir()
    path.mkdir(parents=True, exist_ok=True)
    if not index.exists_in(str(path)):
        _create_index(path)
    return index.open_dir(str(path))


def _create_index(path: Path) -> None:
    """Create the empty index unless another process just did.

    `create_in` takes no lock and deletes the table of contents it finds: a process that
    looked a moment before another one created the index and indexed a first object would
    erase that object. So it is created under the writers' lock, after looking again."""
    lock = FileStorage(str(path)).lock(f"{index._DEF_INDEX_NAME}_WRITELOCK")  # noqa: SLF001
    if not try_for(lock.acquire, timeout=WRITER_TIMEOUT_SECONDS, delay=0.05):
        raise IndexBusy("the search index is being created elsewhere")
    try:
        if not index.exists_in(str(path)):
            index.create_in(str(path), make_schema())
    finally:
        lock.release()


def _fields(doc: SearchDoc) -> dict:
    return {"key": doc.key, "kind": doc.kind, "object_id": str(doc.object_id),
            "network_id": str(doc.network_id), "title": doc.title,
            "text": doc.text.replace("\f", "\n"), "date": doc.date}


def _writer(ix: index.Index, timeout: float = WRITER_TIMEOUT_SECONDS):
    try:
        return ix.writer(timeout=timeout)
    except LockError as error:
        raise IndexBusy("the search index is being written elsewhere") from error


def _commit(ix: index.Index, writer) -> None:
    merge = len(ix._segments()) >= MAX_SEGMENTS_WITHOUT_MERGE  # noqa: SLF001
    writer.commit(merge=merge)


def apply_change(ix: index.Index, kind: str, object_id: int) -> bool:
    """Bring one object's entry up to date: (re)write it, or delete it when it is gone or
    must no longer be found. Returns True when the object is now in the index."""
    reg = registration(kind)
    doc = reg.document(object_id) if reg is not None else None
    writer = _writer(ix)
    try:
        if doc is None:
            writer.delete_by_term("key", doc_key(kind, object_id))
        else:
            writer.update_document(**_fields(doc))
    except Exception:
        writer.cancel()
        raise
    _commit(ix, writer)
    return doc is not None


@job_handler("search.index")
def index_object(payload: dict) -> None:
    apply_change(open_index(), payload["kind"], int(payload["id"]))


@job_handler("search.optimize")
def optimize_index(payload: dict | None = None) -> None:
    """Merge every segment into one (nightly): fast queries, no merge during the day."""
    ix = open_index()
    writer = _writer(ix)
    writer.commit(optimize=True)


periodic("search.optimize", "search.optimize", daily_at="02:45")


def rebuild(progress: Callable[[str, int, int], None] | None = None) -> int:
    """Replace the whole index by what the database holds; returns the number of entries.

    The writer lock is taken (waiting for the jobs in progress) and held throughout:
    `search.index` jobs that arrive meanwhile are retried afterwards, so a change made
    during the rebuild is not lost. Readers keep the old contents until the final commit
    swaps them in at once."""
    ix = open_index()
    # Busy workers hand the lock over to one another every tenth of a second or so and
    # whoever polls first wins: with the jobs' 2 s the command could fail (IndexBusy)
    # while jobs are being applied; an administrator's command can wait a minute.
    writer = _writer(ix, REBUILD_TIMEOUT_SECONDS)
    total = 0
    try:
        for reg in registrations():
            ids = list(reg.ids())
            for done, object_id in enumerate(ids, 1):
                doc = reg.document(object_id)
                if doc is not None:
                    writer.add_document(**_fields(doc))
                    total += 1
                if progress is not None and (done % 200 == 0 or done == len(ids)):
                    progress(reg.kind, done, len(ids))
    except BaseException:
        writer.cancel()
        raise
    writer.commit(mergetype=CLEAR, optimize=True)
    return total


def indexed_entries(ix: index.Index) -> dict[str, str]:
    """key -> network id of every entry in the index."""
    with ix.searcher() as searcher:
        return {fields["key"]: fields["network_id"] for fields in searcher.all_stored_fields()}


def check() -> tuple[list[str], list[str]]:
    """(keys missing from the index, index keys whose object is gone, no longer findable
    or in another network)."""
    expected: dict[str, str] = {}
    for reg in registrations():
        for object_id in reg.ids():
            doc = reg.document(object_id)
            if doc is not None:
                expected[doc.key] = str(doc.network_id)
    indexed = indexed_entries(open_index())
    missing = sorted(set(expected) - set(indexed))
    stale = sorted(key for key, network in indexed.items() if expected.get(key) != network)
    return missing, stale
