"""whoosh_adapter.py reads whoosh3's internals: the installed version must be the pinned
one, and every function there must give what Whoosh's public API gives, so that a new
layout fails here, with a clear message, rather than deep in a query."""
from __future__ import annotations

import re
import tempfile
from datetime import datetime
from pathlib import Path

from whoosh import index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError

from tests.search.conftest import index_now, post
from workspace.extensions import db
from workspace.forums import service as forums
from workspace.search import whoosh_adapter
from workspace.search.indexer import COMPOUND, make_schema
from workspace.search.query import searcher

ROOT = Path(__file__).resolve().parents[2]


def test_installed_whoosh3_is_the_pinned_version():
    pinned = re.search(r"^whoosh3==(\S+)$", (ROOT / "requirements.txt").read_text(),
                       re.MULTILINE)
    assert pinned, "requirements.txt must pin whoosh3 exactly (whoosh3==X.Y.Z)"
    assert pinned.group(1) == whoosh_adapter.PINNED_VERSION, (
        "workspace/search/whoosh_adapter.py was written for whoosh3 "
        f"{whoosh_adapter.PINNED_VERSION} but requirements.txt pins {pinned.group(1)}: "
        "check every function of the adapter against the new version (this file's tests), "
        "then change PINNED_VERSION")
    installed = whoosh_adapter.installed_version()
    assert installed == pinned.group(1), (
        f"whoosh3 {installed} is installed, but the search reads internals of whoosh3 "
        f"{pinned.group(1)} (workspace/search/whoosh_adapter.py): install the pinned version "
        "(pip install -r requirements.txt) or port the adapter and change the pin")


def _several_segments(world):
    """Twelve posts indexed one by one (a segment each: a follower's step per post), four
    of them deleted."""
    index_now()
    created = []
    for n in range(12):
        created.append(post(world, f"Chaudière numéro {n} du gymnase, "
                            + "sauvegarde " * (n % 4 + 1) + "sauvetage" * (n % 2),
                            title=f"Sujet {n} chaudière" if n % 3 == 0 else f"Sujet {n}"))
        index_now()
    for gone in created[:4]:
        forums.delete_post(world.member, gone)
    db.session.commit()
    index_now()
    return searcher()


def test_postings_lengths_dates_and_deletions_equal_whooshs_api(world):
    the_searcher = _several_segments(world)
    segments = whoosh_adapter.segments(the_searcher)
    assert len(segments) > 1
    assert [offset for _segment, offset in segments] == [
        sum(s.doc_count_all() for s, _o in segments[:n]) for n in range(len(segments))]
    for segment, _offset in segments:
        reader = segment.reader()
        for field_name in ("title", "text"):
            for text in reader.lexicon(field_name):
                ids, weights = whoosh_adapter.segment_postings(reader, field_name, text)
                matcher = reader.postings(field_name, text)
                expected = []
                matcher = getattr(matcher, "child", matcher)  # deleted ones included
                while matcher.is_active():
                    expected.append((matcher.id(), matcher.weight()))
                    matcher.next()
                assert list(zip(ids.tolist(), weights.tolist(), strict=True)) == expected
            lengths = whoosh_adapter.field_lengths(reader, field_name)
            assert lengths.tolist() == [reader.doc_field_length(n, field_name) or 0
                                        for n in range(reader.doc_count_all())]
        column = reader.column_reader("date", translate=False)
        assert whoosh_adapter.sort_keys(reader, "date").tolist() == [
            column[n] for n in range(reader.doc_count_all())]
        assert whoosh_adapter.deleted(reader).tolist() == sorted(
            n for n in range(reader.doc_count_all()) if reader.is_deleted(n))


def test_postings_in_blocks_of_a_long_list_equal_whooshs_api():
    """A word in more entries than a block holds (whoosh3 writes blocks of 128 postings)."""
    with tempfile.TemporaryDirectory() as path:
        ix = index.create_in(path, make_schema())
        writer = ix.writer(compound=COMPOUND)
        for number in range(700):
            writer.add_document(key=f"post:{number}", kind="post", object_id=number,
                                network_id="1", title="chaudière",
                                text="gymnase " * (number % 5 + 1), date=datetime(2024, 1, 1),
                                author="a", commune="c")
        writer.commit()
        with ix.searcher() as the_searcher:
            reader = the_searcher.reader()
            ids, weights = whoosh_adapter.segment_postings(reader, "text", b"gymnas")
            matcher = reader.postings("text", b"gymnas")
            expected = []
            while matcher.is_active():
                expected.append((matcher.id(), matcher.weight()))
                matcher.next()
            assert len(expected) == 700
            assert list(zip(ids.tolist(), weights.tolist(), strict=True)) == expected


def test_write_lock_is_the_lock_whooshs_writers_take():
    with tempfile.TemporaryDirectory() as path:
        ix = index.create_in(path, make_schema())
        lock = whoosh_adapter.write_lock(FileStorage(path))
        assert lock.acquire()
        try:
            try:
                ix.writer(timeout=0.1).cancel()
            except LockError:
                pass
            else:
                raise AssertionError("whoosh_adapter.write_lock is not the writers' lock")
        finally:
            lock.release()
        ix.writer(timeout=0.1).cancel()


def test_segment_count_counts_the_segments_a_searcher_opens():
    with tempfile.TemporaryDirectory() as path:
        ix = index.create_in(path, make_schema())
        assert whoosh_adapter.segment_count(ix) == 0
        for number in range(3):
            writer = ix.writer(compound=COMPOUND)
            writer.add_document(key=f"post:{number}", kind="post", object_id=number,
                                network_id="1", title="t", text="x",
                                date=datetime(2024, 1, 1), author="a", commune="c")
            writer.commit(merge=False)
        assert whoosh_adapter.segment_count(ix) == 3
        with ix.searcher() as the_searcher:
            assert len(whoosh_adapter.segments(the_searcher)) == 3
