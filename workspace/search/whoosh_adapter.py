"""Every use of whoosh3's internals, in one place: reading a term's postings a block at a
time, the field lengths and sortable columns as fixed-width bytes, a segment's deleted
entries, the writers' lock name and the segment count.

Whoosh answers one posting or one document at a time through Python objects: at 100,000
entries a common word has tens of thousands of postings, and visiting them one by one was
most of a query's time. The data on disk is already in blocks (a pickled tuple of delta-
encoded ids and a tuple of weights per block of postings; a fixed-width byte string per
column): these functions take it as it is and let numpy do the per-posting work.

None of this is Whoosh's documented API: the version is pinned (`PINNED_VERSION`, the same
as requirements.txt) and tests/search/test_whoosh_adapter.py checks the installed version
and every function here against Whoosh's public API, so that a change of layout fails
there, with a clear message, not deep in a query. Nothing else in the project may read a
private attribute of Whoosh.
"""
from __future__ import annotations

from importlib.metadata import version

import numpy as np
from whoosh import index
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.matching.wrappers import FilterMatcher
from whoosh.util.numeric import byte_to_length

PINNED_VERSION = "3.54.0"  # whoosh3, as pinned in requirements.txt

# byte stored per document and field -> the field's length (Whoosh's lossy encoding)
_LENGTHS = np.array([byte_to_length(code) for code in range(256)], dtype=np.float64)


def installed_version() -> str:
    return version("whoosh3")


# --- index and writers -------------------------------------------------------------------

def write_lock(storage):
    """The lock Whoosh's writers take on an index of default name (`ix.writer()`)."""
    return storage.lock(f"{index._DEF_INDEX_NAME}_WRITELOCK")


def segment_count(ix: index.Index) -> int:
    """The number of segments of the index's current generation (without opening a reader)."""
    return len(ix._segments())


def segments(searcher) -> list[tuple[object, int]]:
    """(sub-searcher, offset of its first document) of each segment, in order."""
    return searcher.subsearchers or [(searcher, 0)]


# --- postings ----------------------------------------------------------------------------

def segment_postings(reader, field_name: str, text: bytes) -> tuple[np.ndarray, np.ndarray]:
    """A term's postings in one segment: document numbers (ascending, int64) and weights
    (float64, the term's frequency times the field's boost). Deleted entries are included:
    the caller leaves them out with `deleted()`."""
    if (field_name, text) not in reader:
        return np.empty(0, np.int64), np.empty(0, np.float64)
    matcher = reader.postings(field_name, text)
    if isinstance(matcher, FilterMatcher):  # the segment has deletions: read under them
        matcher = matcher.child
    if not hasattr(matcher, "_read_data") or matcher._byteids:
        return _postings_one_by_one(matcher)
    deltas: list[int] = []
    weights: list[float] = []
    last = 0
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        block_ids, block_weights = matcher._data[0], matcher._data[1]
        start = len(deltas)
        deltas.extend(block_ids)
        deltas[start] -= last  # a block's first id is absolute: make it a delta too
        last = matcher._maxid
        if block_weights is None:
            weights.extend([1.0] * len(block_ids))
        elif isinstance(block_weights, float):
            weights.extend([block_weights] * len(block_ids))
        else:
            weights.extend(block_weights)
        matcher._next_block()
    return np.cumsum(np.array(deltas, dtype=np.int64)), np.array(weights, dtype=np.float64)


def _postings_one_by_one(matcher) -> tuple[np.ndarray, np.ndarray]:
    """Postings kept inline in the term's entry (a few documents) or another format."""
    ids: list[int] = []
    weights: list[float] = []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)


def deleted(reader) -> np.ndarray:
    """The segment's deleted document numbers, sorted."""
    if not reader.has_deletions():
        return np.empty(0, np.int64)
    return np.array(sorted(reader.deleted_docs_set), dtype=np.int64)


# --- columns -----------------------------------------------------------------------------

def field_lengths(reader, field_name: str) -> np.ndarray:
    """Each document's length in this field (float64, one per document of the segment)."""
    count = reader.doc_count_all()
    column = reader._perdoc._cached_reader(_lenfield(field_name), LENGTHS_COLUMN)
    if column is None:
        return np.zeros(count, np.float64)
    return _LENGTHS[_fixed_column(column, count, np.uint8)]


def sort_keys(reader, field_name: str) -> np.ndarray:
    """A sortable numeric column (dates...) as uint64, one value per document: Whoosh
    stores numbers in a sortable unsigned form (a signed value is shifted by 2**63), whose
    order is the numbers' order."""
    column = reader.column_reader(field_name, translate=False)
    count = reader.doc_count_all()
    typecode = getattr(column, "_typecode", None)
    if typecode and hasattr(column, "_dbfile"):
        return _fixed_column(column, count, np.dtype(">" + typecode)).astype(np.uint64)
    return np.array([column[docnum] for docnum in range(count)], dtype=np.uint64)


def _fixed_column(column, count: int, dtype) -> np.ndarray:
    """The values of a fixed-width column, padded with its default past the last written
    document (Whoosh writes none for trailing documents without a value)."""
    dtype = np.dtype(dtype)
    stored = min(column._count, count)
    raw = column._dbfile.get(column._basepos, stored * dtype.itemsize)
    values = np.frombuffer(raw, dtype=dtype)
    if stored < count:
        default = np.frombuffer(column._defaultbytes, dtype=dtype)[0]
        values = np.concatenate([values, np.full(count - stored, default, dtype=dtype)])
    return values
