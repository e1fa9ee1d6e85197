"""Can view == can be found: private content never reaches another network's members, not
in hits, counts, facets or excerpts; deleted or trashed content disappears."""
from __future__ import annotations

import pytest

from tests.search.conftest import document, index_now, meeting, need, post, results_of, workshop
from workspace.documents import service as documents
from workspace.documents.models import DocumentText
from workspace.extensions import db
from workspace.forums import service as forums
from workspace.meetings import service as meetings
from workspace.search.query import Filters, QueryRefused, search

SECRET = "zygomorphe"


def _content_with_secret(world, where: str):
    if where == "post":
        post(world, f"Le dossier {SECRET} avance.", title="Sujet privé")
    elif where == "document":
        document(world, "note.txt", f"Page un.\n\nLe mot {SECRET} est ici.")
    elif where == "minutes":
        created = meeting(world, title="Réunion privée")
        meetings.save_minutes(world.member, created, f"Compte rendu : {SECRET}.")
        db.session.commit()
    elif where == "notes":
        workshop(world, title="Atelier privé", notes=f"Notes : {SECRET}.")
    elif where == "need":
        need(world, "Besoin privé", f"Il faut un {SECRET}.")
    index_now()


@pytest.mark.parametrize("where", ["post", "document", "minutes", "notes", "need"])
def test_private_words_are_found_by_members_only(world, searcher_of, where):
    _content_with_secret(world, where)
    assert SECRET in results_of(searcher_of(world.member, SECRET))
    assert SECRET in results_of(searcher_of(world.admin, SECRET))
    page = searcher_of(world.outsider, SECRET)
    assert SECRET not in results_of(page)  # only in the search box
    assert "Bâtiments" not in page  # not even the network's name in the facets
    assert "0 résultat" in page
    results = search(world.outsider, SECRET)
    assert (results.total, results.hits, results.kinds, results.networks) == (0, [], {}, {})


def test_can_view_equals_can_be_found(world, searcher_of, make_network, make_user):
    open_network = make_network("Voirie", is_private=False, members=[world.outsider])
    post(world, f"Privé {SECRET}.", title="Dans le réseau privé")
    post(world, f"Ouvert {SECRET}.", title="Dans le réseau ouvert", network=open_network,
         author=world.outsider)
    index_now()
    stranger = make_user()
    assert search(world.member, SECRET).total == 2
    assert search(world.admin, SECRET).total == 2
    assert search(world.outsider, SECRET).total == 1
    assert search(stranger, SECRET).total == 1  # open networks: every signed-in user
    assert [hit.doc.title for hit in search(stranger, SECRET).hits] == ["Dans le réseau ouvert"]


def test_field_syntax_cannot_widen_the_search(world, searcher_of):
    post(world, f"Privé {SECRET}.", title="Secret")
    index_now()
    network_id = world.network.id
    for query in (f"network_id:{network_id}", f"network_id:{network_id} OR {SECRET}",
                  f"kind:post {SECRET}", f"{SECRET} OR network_id:[0 TO 99]"):
        assert search(world.outsider, query).total == 0
        assert "Secret" not in results_of(searcher_of(world.outsider, query))
    with pytest.raises(QueryRefused):
        search(world.outsider, "*:*")


def test_a_deleted_post_is_no_longer_found(world, searcher_of):
    first = post(world, "Premier message.", title="Sujet")
    reply = forums.reply(world.member, first.topic, f"Réponse {SECRET}.")
    db.session.commit()
    index_now()
    assert search(world.member, SECRET).total == 1
    forums.delete_post(world.member, reply)
    db.session.commit()
    # Before the worker runs, the re-check against the database already hides it.
    assert search(world.member, SECRET).hits == []
    index_now()
    assert search(world.member, SECRET).total == 0


def test_a_hidden_topic_hides_its_posts(world):
    created = post(world, f"Texte {SECRET}.", title="Sujet caché")
    index_now()
    forums.set_topic_flag(world.coordinator, created.topic, "is_hidden", True)
    db.session.commit()
    index_now()
    assert search(world.member, SECRET).total == 0


def test_a_trashed_document_is_no_longer_found_and_comes_back(world, searcher_of):
    created = document(world, "rapport.txt", f"Le {SECRET} du rapport.")
    index_now()
    assert "rapport" in searcher_of(world.member, SECRET)
    documents.trash_document(world.member, created)
    db.session.commit()
    index_now()
    assert search(world.member, SECRET).total == 0
    documents.restore_document(world.coordinator, created)
    db.session.commit()
    index_now()
    assert search(world.member, SECRET).total == 1


def test_document_hit_names_the_page(world):
    doc = document(world, "pages.txt", "Introduction.")
    index_now()  # extraction, then indexing
    text = db.session.get(DocumentText, doc.current_version_id)
    text.text = f"Première page.\fDeuxième page avec {SECRET}."
    db.session.commit()
    index_now()
    [hit] = search(world.member, SECRET).hits
    assert hit.page == 2
    assert f"<mark>{SECRET}</mark>" in hit.excerpt


def test_excerpts_are_escaped(world):
    post(world, f"<script>alert(1)</script> {SECRET}", title="<b>titre</b>")
    index_now()
    [hit] = search(world.member, SECRET).hits
    excerpt = str(hit.excerpt)
    assert "<script" not in excerpt and "&lt;/script&gt;" in excerpt


def test_facets_filters_sort_and_pages(world, searcher_of):
    for number in range(12):
        post(world, f"Message {number} sur la toiture.", title=f"Toiture {number}")
    need(world, "Toiture de l'école")
    index_now()
    results = search(world.member, "toiture")
    assert results.total == 13 and results.kinds == {"post": 12, "need": 1}
    assert results.networks == {world.network.id: 13}
    assert len(results.hits) == 10 and results.pages == 2
    assert len(search(world.member, "toiture", page=2).hits) == 3
    assert search(world.member, "toiture", Filters(kind="need")).total == 1
    assert search(world.member, "toiture", Filters(network_id=world.other.id)).total == 0
    newest = search(world.member, "toiture", sort="date").hits[0]
    assert newest.doc.kind == "need"
    page = searcher_of(world.member, "toiture", kind="post", page=2)
    assert "Page 2 sur 2" in page


def test_totals_and_facets_reveal_nothing_while_the_index_lags(world):
    """An item deleted, another moved to a network the member may not see: until the worker
    runs, the index still has both, yet the count and the facets (authors, communes,
    networks, kinds) no longer show them."""
    from workspace.search.query import search as run_search

    gone = post(world, "Chaudière alpha du gymnase.", title="Sujet alpha")
    moved = post(world, "Chaudière beta du gymnase.", title="Sujet beta",
                 author=world.coordinator)
    kept = post(world, "Chaudière gamma de l'école.", title="Sujet gamma")
    index_now()
    before = run_search(world.member, "chaudiere")
    assert before.total == 3 and sum(before.authors.values()) == 3
    forums.delete_post(world.member, gone)
    moved.topic.network_id = world.other.id
    db.session.commit()  # the worker does not run: the index lags
    lagging = run_search(world.member, "chaudiere")
    assert lagging.total == 1
    assert [hit.doc.object_id for hit in lagging.hits] == [kept.id]
    assert lagging.networks == {world.network.id: 1}
    assert sum(lagging.authors.values()) == 1 and sum(lagging.kinds.values()) == 1
    assert sum(lagging.communes.values()) <= 1
    assert run_search(world.member, "gymnase").total == 0
    assert run_search(world.member, "gymnase").authors == {}
