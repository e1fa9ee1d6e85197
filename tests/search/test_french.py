"""French analysis: accents, plurals, case, ligatures, phrases."""
from __future__ import annotations

import pytest

from tests.search.conftest import index_now, post
from workspace.search.analysis import analyse, fold


def test_folding_handles_accents_ligatures_and_case():
    assert fold("Œuvre ÉNERGÉTIQUE Ægis") == "oeuvre energetique aegis"


@pytest.mark.parametrize("a, b", [("batiment", "bâtiments"), ("Bâtiment", "batiments"),
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
