"""The Whoosh index in DATA_DIR/search and its single writer: the `search.index` jobs.

Only the job worker writes. A job whose writer lock is taken (another worker, a rebuild)
fails with `IndexBusy` and is retried by the job queue with back-off: a user never waits
on the lock and no update is lost. Small commits do not merge segments (`merge=False`);
a nightly job optimises the index, and a commit merges when segments pile up.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from flask import current_app
from whoosh import index
from whoosh.fields import DATETIME, ID, NUMERIC, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError
from whoosh.multiproc import MpWriter
from whoosh.util.filelock import try_for
from whoosh.writing import CLEAR

from workspace.core.jobs import DONE, FAILED, PENDING, Job, enqueue
from workspace.core.models import utcnow
from workspace.extensions import db
from workspace.search import whoosh_adapter
from workspace.search.analysis import french_analyzer
from workspace.search.registry import SearchDoc, doc_key, registration, registrations

log = logging.getLogger(__name__)

# The index lives in DATA_DIR/search/v<SCHEMA_VERSION>: a new schema starts an empty index
# beside the old one, filled by `flask search rebuild` (docs/operations.md).
SCHEMA_VERSION = 3
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
        # a column too: the entries of lagging objects are found as one array operation
        object_id=NUMERIC(numtype=int, bits=64, signed=False, stored=True, sortable=True),
        network_id=ID(stored=True, sortable=True),
        title=TEXT(analyzer=analyzer, phrase=True, field_boost=2.0),
        text=TEXT(analyzer=analyzer, phrase=True),
        date=DATETIME(stored=True, sortable=True),
        author=ID(sortable=True),  # facets: exact values
        commune=ID(sortable=True),
    )


def index_dir() -> Path:
    return Path(current_app.config["DATA_DIR"]) / "search" / f"v{SCHEMA_VERSION}"


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
    lock = whoosh_adapter.write_lock(FileStorage(str(path)))
    if not try_for(lock.acquire, timeout=WRITER_TIMEOUT_SECONDS, delay=0.05):
        raise IndexBusy("the search index is being created elsewhere")
    try:
        if not index.exists_in(str(path)):
            index.create_in(str(path), make_schema())
    finally:
        lock.release()


def _fields(doc: SearchDoc) -> dict:
    text = doc.text.replace("\f", "\n")
    return {"key": doc.key, "kind": doc.kind, "object_id": doc.object_id,
            "network_id": str(doc.network_id), "title": doc.title, "text": text,
            "date": doc.date, "author": doc.author, "commune": doc.commune}


# Segments are written as separate files, not as one compound file: whoosh3 opens a file
# inside a compound segment as a BytesIO over the mapped file, which copies it, so opening a
# searcher or a writer copied the whole index (160 ms at 100,000 entries, paid after each
# change). Separate files are read in place.
COMPOUND = False


def open_searcher(ix: index.Index):
    """A searcher whose files are all open now. Whoosh opens a segment's columns (stored
    fields, field lengths, sortable values) on first use; with separate files, a writer
    merging segments meanwhile deletes the old segments' files, and a column opened after
    that is missing. Files opened before are kept readable by the system until closed."""
    the_searcher = ix.searcher()
    try:
        for segment, _offset in whoosh_adapter.segments(the_searcher):
            reader = segment.reader()
            if not reader.doc_count_all():
                continue
            reader.stored_fields(0)
            for name, field in ix.schema.items():
                if field.scorable:
                    reader.doc_field_length(0, name)
                if field.column_type is not None and reader.has_column(name):
                    reader.column_reader(name, translate=False)
    except BaseException:
        the_searcher.close()
        raise
    return the_searcher


def _writer(ix: index.Index, timeout: float = WRITER_TIMEOUT_SECONDS):
    try:
        return ix.writer(timeout=timeout, compound=COMPOUND)
    except LockError as error:
        raise IndexBusy("the search index is being written elsewhere") from error


def _commit(ix: index.Index, writer) -> None:
    merge = whoosh_adapter.segment_count(ix) >= MAX_SEGMENTS_WITHOUT_MERGE
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


def indexed_kinds_without_registration(app) -> list[str]:
    """Start-up check: every kind found in the index is registered by a feature."""
    path = index_dir()
    if not index.exists_in(str(path)):
        return []
    with index.open_dir(str(path)).searcher() as searcher:
        kinds = {term.decode() if isinstance(term, bytes) else term
                 for term in searcher.lexicon("kind")}
    missing = sorted(kinds - {reg.kind for reg in registrations(app)})
    return [f"the search index holds entries of kind {kind!r} that no feature registers "
            "(a feature is missing, or run `flask search rebuild`)" for kind in missing]


def older_indexes() -> list[Path]:
    """Folders of earlier schema versions beside the current index (`search/v<N>`)."""
    parent = index_dir().parent
    if not parent.is_dir():
        return []
    return sorted(path for path in parent.iterdir() if path.is_dir()
                  and path.name.startswith("v") and path.name[1:].isdigit()
                  and int(path.name[1:]) < SCHEMA_VERSION)


def rebuild_after_upgrade() -> None:
    """At a worker's start: an index of an earlier schema and none of this one means the
    release changed the schema; enqueue one rebuild (once per version, whatever the number
    of workers), so that search comes back by itself (docs/operations.md). The new index
    may exist already, empty: a search opened it before the worker started."""
    if not older_indexes():
        return
    if index.exists_in(str(index_dir())) and open_index().doc_count_all():
        return
    key = f"search.rebuild:v{SCHEMA_VERSION}"
    if db.session.scalar(db.select(Job.id).where(Job.dedup_key == key)) is None:
        log.warning("search index schema v%s is new: rebuilding it from the database",
                    SCHEMA_VERSION)
        enqueue("search.rebuild", {}, dedup_key=key, max_attempts=3)


def rebuild_job(payload: dict) -> None:
    rebuild()


def index_object(payload: dict) -> None:
    apply_change(open_index(), payload["kind"], int(payload["id"]))


def optimize_index(payload: dict | None = None) -> None:
    """Merge every segment into one (nightly): fast queries, no merge during the day."""
    ix = open_index()
    writer = _writer(ix)
    writer.commit(optimize=True)


REBUILD_CHUNK = 500


def _chunks(ids: list[int], size: int = REBUILD_CHUNK):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def all_documents(progress: Callable[[str, int, int], None] | None = None,
                  release: bool = False):
    """Every findable object's search document, read by chunks of REBUILD_CHUNK objects
    (one query each). With `release` (the command line, where nothing else holds the
    session's objects) the session is emptied after each chunk so memory stays flat."""
    for reg in registrations():
        ids = list(reg.ids())
        done = 0
        for chunk in _chunks(ids):
            yield from reg.documents(chunk)
            done += len(chunk)
            if release:
                db.session.expunge_all()
            if progress is not None:
                progress(reg.kind, done, len(ids))


def count_objects() -> int:
    return sum(len(list(reg.ids())) for reg in registrations())


def rebuild(progress: Callable[[str, int, int], None] | None = None,
            processes: int = 1, release: bool = False,
            wait: float = REBUILD_TIMEOUT_SECONDS) -> int:
    """Replace the whole index by what the database holds; returns the number of entries.

    With `processes` > 1, analysis and segment writing run in that many child processes
    (Whoosh's MpWriter) while this process reads the database; their segments are added
    as they are, and the nightly optimisation merges them.

    The writer lock is taken (waiting up to `wait` seconds for the jobs in progress) and
    held throughout: `search.index` jobs that arrive meanwhile are retried afterwards, so
    a change made during the rebuild is not lost. Readers keep the old contents until the
    final commit swaps them in at once.

    The `search.index` jobs waiting when the lock is taken (pending, or failed: a stopped
    or failing worker) are made useless by the rebuild, which reads the database after
    them: they are marked done once it is committed, so that neither the worker nor the
    lag re-check of each search (lag.py) goes through them again."""
    ix = open_index()
    # Busy workers hand the lock over to one another every tenth of a second or so and
    # whoever polls first wins: with the jobs' 2 s the command could fail (IndexBusy)
    # while jobs are being applied; an administrator's command can wait a minute.
    if processes > 1:
        try:
            writer = MpWriter(ix, procs=processes, batchsize=REBUILD_CHUNK,
                              multisegment=True, start_method="spawn", timeout=wait,
                              limitmb=256, compound=COMPOUND)
        except LockError as error:
            raise IndexBusy("the search index is being written elsewhere") from error
    else:
        writer = _writer(ix, wait)
    obsolete = waiting_index_jobs()
    total = 0
    try:
        for doc in all_documents(progress, release):
            writer.add_document(**_fields(doc))
            total += 1
    except BaseException:
        writer.cancel()
        raise
    writer.commit(mergetype=CLEAR, optimize=processes <= 1)
    settle(obsolete)
    return total


def waiting_index_jobs() -> list[int]:
    """The ids of the `search.index` jobs committed and not applied (pending or failed)."""
    ids = list(db.session.scalars(db.select(Job.id).where(
        Job.kind == "search.index", Job.status.in_((PENDING, FAILED)))))
    db.session.commit()  # the rebuild's reads start after these jobs' changes
    return ids


def settle(job_ids: list[int]) -> None:
    """Mark these jobs done (by chunks: a statement's parameters are limited), unless a
    worker claimed one meanwhile (it then applies it again, harmlessly)."""
    for chunk in _chunks(job_ids):
        db.session.execute(db.update(Job).where(Job.id.in_(chunk),
                                                Job.status.in_((PENDING, FAILED)))
                           .values(status=DONE, finished_at=utcnow(), last_error=None))
        db.session.commit()


def indexed_entries(ix: index.Index) -> dict[str, str]:
    """key -> network id of every entry in the index."""
    with open_searcher(ix) as searcher:
        return {fields["key"]: fields["network_id"] for fields in searcher.all_stored_fields()}


def check(release: bool = False) -> tuple[list[str], list[str]]:
    """(keys missing from the index, index keys whose object is gone, no longer findable
    or in another network)."""
    expected = {doc.key: str(doc.network_id) for doc in all_documents(release=release)}
    indexed = indexed_entries(open_index())
    missing = sorted(set(expected) - set(indexed))
    stale = sorted(key for key, network in indexed.items() if expected.get(key) != network)
    return missing, stale
