"""French analysis: accents, plurals, case, ligatures, phrases."""
from __future__ import annotations

import pytest

from tests.search.conftest import index_now, post
from workspace.search.analysis import analyse, fold


def test_folding_handles_accents_ligatures_and_case():
    assert fold("Œuvre ÉNERGÉTIQUE Ægis") == "oeuvre energetique aegis"


@pytest.mark.parametrize(("a", "b"), [("batiment", "bâtiments"), ("Bâtiment", "batiments"),
                                  ("energetique", "énergétiques"),
                                  ("chaudiere", "Chaudières")])
def test_variants_share_one_term(a, b):
    assert analyse(a) == analyse(b) != []


def test_stop_words_are_dropped_even_without_accents():
    assert analyse("à a le la des") == []


@pytest.mark.parametrize("query", ["batiment", "Bâtiment", "BATIMENTS", "energetique",
                                   "chaudiere condensation", '"chaudières à condensation"',
                                   "chaud*"])
def test_french_queries_find_the_post(world, searcher_of, query):
    post(world, "Rénovation énergétique des bâtiments : deux chaudières à condensation.",
         title="Chauffage des écoles")
    index_now()
    page = searcher_of(world.member, query)
    assert "Chauffage des écoles" in page
    assert "1 résultat" in page


def test_a_phrase_needs_the_words_together(world, searcher_of):
    post(world, "La condensation sur les vitres, et la chaudière est neuve.", title="Vitres")
    index_now()
    assert "Vitres" in searcher_of(world.member, "chaudiere condensation")
    assert "Vitres" not in searcher_of(world.member, '"chaudière à condensation"')


@pytest.mark.parametrize("options", [
    {"positions": True, "chars": True}, {"positions": True, "chars": True, "removestops": False},
    {"mode": "query"}, {"tokenize": False}, {"tokenize": False, "removestops": False}])
def test_the_one_pass_filter_equals_the_four_whoosh_filters(options):
    from workspace.search.analysis import french_analyzer, reference_analyzer

    texts = ["Œuvre Énergétique des bâtiments à l'école : chaudières « à condensation » n°12",
             "le la les", "", "  Ærosol  ÉTÉ été ete", "Le le LE, des bâtiments; et puis"]
    for text in texts:
        fast = [(t.text, t.pos if options.get("positions") else None,
                 t.startchar if options.get("chars") else None, t.stopped)
                for t in french_analyzer()(text, **options)]
        slow = [(t.text, t.pos if options.get("positions") else None,
                 t.startchar if options.get("chars") else None, t.stopped)
                for t in reference_analyzer()(text, **options)]
        assert fast == slow
