"""Did you mean (from what the user may see only), facets and filters by commune, author and
date, excerpts without Markdown marks, re-indexing when an author or a tag is renamed."""
from __future__ import annotations

from datetime import UTC, datetime

from tests.search.conftest import document, index_now, post, results_of
from workspace.documents import service as documents
from workspace.documents.models import Tag
from workspace.extensions import db
from workspace.search.query import Filters, search


def test_did_you_mean_offers_a_visible_word(world, searcher_of):
    post(world, "La chaudière à condensation du gymnase est neuve.")
    index_now()
    results = search(world.member, "condensasion")
    assert results.total == 0
    assert results.suggestion == "condensation"
    page = searcher_of(world.member, "chaudiere condensasion")
    assert "Vouliez-vous dire" in page and ">chaudiere condensation</a>" in page
    # a correctly spelled word found in visible content gets no correction
    assert search(world.member, "condensation").suggestion is None


def test_did_you_mean_never_offers_a_word_of_a_private_network(world, make_network,
                                                               searcher_of):
    open_network = make_network("Voirie", is_private=False, members=[world.outsider])
    post(world, "Le dossier xylophonistique est confidentiel.", title="Privé")
    post(world, "Un xylophone pour la fête.", title="Ouvert", network=open_network,
         author=world.outsider)
    index_now()
    assert search(world.member, "xylophonistik").suggestion == "xylophonistique"
    # the private word is the only close one: the outsider is offered nothing
    assert search(world.outsider, "xylophonistik").suggestion is None
    # a word of the open network is offered, as written there
    assert search(world.outsider, "xylophoniqe").suggestion == "xylophone"
    page = searcher_of(world.outsider, "xylophoniqe")
    assert "xylophonistique" not in page and ">xylophone</a>" in page


def test_suggestions_keep_the_accents_of_the_text(world):
    post(world, "Les bâtiments communaux.")
    index_now()
    assert search(world.member, "batimant").suggestion == "bâtiments"


def test_excerpts_show_words_not_markdown(world):
    post(world, "Voir **le tableau** de [l'inventaire](https://example.org/inv) des "
                "`serveurs` :\n\n- sauvegarde quotidienne\n- rotation hebdomadaire")
    index_now()
    [hit] = search(world.member, "rotation").hits
    excerpt = str(hit.excerpt)
    assert "<mark>rotation</mark>" in excerpt
    for mark in ("**", "](", "https://example.org", "`"):
        assert mark not in excerpt
    # the link's address is no word of the post
    assert search(world.member, "example").total == 0


def test_facets_and_filters_by_commune_author_and_date(world, make_user, make_organisation,
                                                       searcher_of):
    from workspace.networks.models import Membership

    other_commune = make_organisation("Mulsanne")
    colleague = make_user(organisation_id=other_commune.id, first_name="Bruno",
                          last_name="Lemoine")
    db.session.add(Membership(network_id=world.network.id, user_id=colleague.id))
    db.session.commit()
    first = post(world, "Sauvegarde des serveurs : rotation hebdomadaire.", title="Un")
    post(world, "Sauvegarde des postes.", title="Deux", author=colleague)
    first.created_at = datetime(2025, 1, 15, 10, tzinfo=UTC)
    db.session.commit()
    index_now()
    results = search(world.member, "sauvegarde")
    assert results.communes == {"Coulaines": 1, "Mulsanne": 1}
    assert results.authors == {"Aline Martin": 1, "Bruno Lemoine": 1}
    assert [h.doc.author for h in search(world.member, "sauvegarde",
                                         Filters(commune="Mulsanne")).hits] == ["Bruno Lemoine"]
    assert [h.doc.commune for h in search(world.member, "sauvegarde",
                                          Filters(author="Aline Martin")).hits] == ["Coulaines"]
    january = Filters(date_from=datetime(2025, 1, 1, tzinfo=UTC),
                      date_to=datetime(2025, 2, 1, tzinfo=UTC))
    assert [h.doc.author for h in search(world.member, "sauvegarde", january).hits] == [
        "Aline Martin"]
    page = searcher_of(world.member, "sauvegarde", **{"from": "2025-01-15", "to": "2025-01-15"})
    assert "1 résultat" in results_of(page)
    page = searcher_of(world.member, "sauvegarde", commune="Mulsanne")
    assert "Bruno Lemoine" in results_of(page) and "Aline Martin" not in results_of(page)


def test_bad_dates_are_explained_not_fatal(world, searcher_of):
    post(world, "Sauvegarde des serveurs.")
    index_now()
    page = searcher_of(world.member, "sauvegarde", **{"from": "2025-13-45"})
    assert "n'est pas valide" in page and "1 résultat" in page
    page = searcher_of(world.member, "sauvegarde", **{"from": "2026-02-01", "to": "2026-01-01"})
    assert "après la date de fin" in page and "1 résultat" in page
    page = searcher_of(world.member, "sauvegarde", **{"from": "99999-01-01"})
    assert "n'est pas valide" in page or "hors des années" in page


def test_renaming_an_author_reindexes_their_content(world):
    post(world, "Sauvegarde des serveurs.")
    index_now()
    assert search(world.member, "sauvegarde", Filters(author="Aline Martin")).total == 1
    world.member.last_name = "Durand"
    db.session.commit()
    index_now()
    assert search(world.member, "sauvegarde", Filters(author="Aline Martin")).total == 0
    assert search(world.member, "sauvegarde", Filters(author="Aline Durand")).total == 1


def test_renaming_a_tag_reindexes_its_documents(world):
    created = document(world, "note.txt", "Une note sans mot particulier.")
    documents.update_document(world.member, created, title=created.title,
                              description="", tags="chauffage", folder=None)
    db.session.commit()
    index_now()
    assert search(world.member, "chauffage").total == 1
    tag = db.session.scalar(db.select(Tag).where(Tag.name == "chauffage"))
    tag.name = "ventilation"
    db.session.commit()
    index_now()
    assert search(world.member, "chauffage").total == 0
    assert search(world.member, "ventilation").total == 1
