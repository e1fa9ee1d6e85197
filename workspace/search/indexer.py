"""This host's Whoosh index in DATA_DIR/search, written only by its follower (follower.py)
and by rebuilds.

A user's request never writes it, so never waits on its lock. Small commits do not merge
segments (`merge=False`); the follower optimises the index at night, and a commit merges
when segments pile up.
"""
from __future__ import annotations

import logging
import time
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

from workspace.extensions import db
from workspace.search import whoosh_adapter
from workspace.search.analysis import french_analyzer
from workspace.search.cursor import position_now, save_cursor
from workspace.search.registry import SearchDoc, registrations

log = logging.getLogger(__name__)

# The index lives in DATA_DIR/search/v<SCHEMA_VERSION>: a new schema starts an empty index
# beside the old one, filled by `flask search rebuild` (docs/operations.md).
SCHEMA_VERSION = 3
MAX_SEGMENTS_WITHOUT_MERGE = 20
WRITER_TIMEOUT_SECONDS = 2.0
REBUILD_TIMEOUT_SECONDS = 60.0  # an administrator's rebuild waits for the jobs in progress


class IndexBusy(RuntimeError):
    """The index's write lock is held elsewhere (another worker of this host, a rebuild)."""


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


def open_index(attempts: int = 12) -> index.Index:
    """The index, created empty the first time. A writer committing at that moment
    replaces the table of contents being read (FileNotFoundError): read the new one (up to
    about 1.5 s in all: on a loaded machine several writers may commit one after the
    other)."""
    path = index_dir()
    path.mkdir(parents=True, exist_ok=True)
    for attempt in range(attempts):
        try:
            if not index.exists_in(str(path)):
                _create_index(path)
            return index.open_dir(str(path))
        except FileNotFoundError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.02 * (attempt + 1))
    raise AssertionError("unreachable")


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


def fields(doc: SearchDoc) -> dict:
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


def writer(ix: index.Index, timeout: float = WRITER_TIMEOUT_SECONDS):
    try:
        return ix.writer(timeout=timeout, compound=COMPOUND)
    except LockError as error:
        raise IndexBusy("the search index is being written elsewhere") from error


def commit(ix: index.Index, the_writer) -> None:
    merge = whoosh_adapter.segment_count(ix) >= MAX_SEGMENTS_WITHOUT_MERGE
    the_writer.commit(merge=merge)


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


def optimize_index(payload: dict | None = None) -> None:
    """Merge every segment into one (nightly): fast queries, no merge during the day."""
    ix = open_index()
    writer(ix).commit(optimize=True)


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

    The writer lock is taken (waiting up to `wait` seconds for a follower's step in
    progress) and held throughout; readers keep the old contents until the final commit
    swaps them in at once. The host's cursor is then set where the change log stood
    before the database was read (cursor.position_now): the changes made during the
    rebuild are applied again after it, so none is lost."""
    ix = open_index()
    # Busy workers hand the lock over to one another every tenth of a second or so and
    # whoever polls first wins: an administrator's command can wait a minute.
    if processes > 1:
        try:
            the_writer = MpWriter(ix, procs=processes, batchsize=REBUILD_CHUNK,
                              multisegment=True, start_method="spawn", timeout=wait,
                              limitmb=256, compound=COMPOUND)
        except LockError as error:
            raise IndexBusy("the search index is being written elsewhere") from error
    else:
        the_writer = writer(ix, wait)
    start = position_now(float(current_app.config["SEARCH_GAP_WAIT_SECONDS"]))
    db.session.commit()  # the rebuild's reads start after the changes up to `start`
    total = 0
    try:
        for doc in all_documents(progress, release):
            the_writer.add_document(**fields(doc))
            total += 1
    except BaseException:
        the_writer.cancel()
        raise
    the_writer.commit(mergetype=CLEAR, optimize=processes <= 1)
    save_cursor(index_dir(), start)
    return total


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
