"""The fast paths of the query side give exactly what Whoosh's own matchers give: the
postings read block by block (whoosh3 internals, hence this test when upgrading), with
deletions and several segments, and the set operations on parsed queries."""
from __future__ import annotations

from tests.search.conftest import index_now, post
from workspace.extensions import db
from workspace.forums import service as forums
from workspace.search.query import DocSets, parse, searcher


def _slow(the_searcher, query) -> set[int]:
    return set(the_searcher.docs_for_query(query))


def _set(bits: int) -> set[int]:
    return {n for n in range(bits.bit_length()) if bits >> n & 1}


def test_set_operations_equal_whooshs_matchers(world):
    created = [post(world, f"Chaudière numéro {n} du gymnase, sauvegarde {n % 3}.",
                    title=f"Sujet {n}") for n in range(12)]
    index_now()  # one segment per post: several segments
    for gone in created[:4]:
        forums.delete_post(world.member, gone)
    db.session.commit()
    index_now()  # deletions in older segments
    the_searcher = searcher()
    sets = DocSets.of(the_searcher)
    for text in ("chaudiere", "chaudiere gymnase", "sauvegarde OR numero", "gymn*",
                 '"numéro 5"', "chaudiere -sauvegarde", "introuvable", "sauvegarde 2"):
        query = parse(text, the_searcher.schema)
        assert _set(sets.matching(query)) == _slow(the_searcher, query), text
    assert len(_set(sets.matching(parse("chaudiere", the_searcher.schema)))) == 8
