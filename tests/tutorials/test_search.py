"""Tutorials are findable by those who may read them: members of the network find a page
(title and text), members of another network do not; edits, renames and deletion reach the
index through the outbox jobs."""
from __future__ import annotations

from tests.search.conftest import index_now, results_of
from tests.tutorials.conftest import write
from workspace.extensions import db
from workspace.search.query import search
from workspace.tutorials import service


def test_a_member_finds_a_tutorial_an_outsider_does_not(world, searcher_of):
    tutorial = write(world, title="Filtres dans Zimbra",
                     body="Ranger automatiquement les factures du fournisseur Bureautix.")
    index_now()
    results = search(world.bruno, "Bureautix")
    assert [(hit.doc.kind, hit.doc.object_id) for hit in results.hits] == [
        ("tutorial", tutorial.id)]
    assert results.hits[0].doc.url.endswith(f"/tutoriels/{tutorial.id}-filtres-dans-zimbra")
    assert search(world.bruno, "filtres zimbra").total == 1  # the title is searched too
    assert search(world.admin, "Bureautix").total == 1
    assert search(world.outsider, "Bureautix").total == 0
    page = searcher_of(world.bruno, "Bureautix")
    assert "Filtres dans Zimbra" in results_of(page) and "Tutoriel" in results_of(page)
    outsider_page = searcher_of(world.outsider, "Bureautix")
    assert "Filtres dans Zimbra" not in results_of(outsider_page)
    assert "Informatique" not in outsider_page  # not even the network in the facets


def test_edits_and_renames_reach_the_index(world):
    tutorial = write(world, body="Première rédaction.")
    index_now()
    service.edit_tutorial(world.bruno, tutorial, "Partager un agenda Zimbra",
                          "Déléguer la gestion de l'agenda au secrétariat.", tutorial.version)
    db.session.commit()
    index_now()
    assert search(world.alice, "secrétariat").total == 1
    assert search(world.alice, "Première rédaction").total == 0
    [hit] = search(world.alice, "agenda").hits
    assert hit.doc.title == "Partager un agenda Zimbra"
    assert hit.doc.url.endswith(f"/{tutorial.id}-partager-un-agenda-zimbra")


def test_deleted_tutorials_are_not_findable_and_come_back_when_restored(world):
    tutorial = write(world, body="Procédure Quadrilatère confidentielle.")
    index_now()
    assert search(world.alice, "Quadrilatère").total == 1
    service.delete_tutorial(world.coordinator, tutorial)
    db.session.commit()
    index_now()
    assert search(world.alice, "Quadrilatère").total == 0
    assert search(world.coordinator, "Quadrilatère").total == 0
    service.restore_tutorial(world.coordinator, tutorial)
    db.session.commit()
    index_now()
    assert search(world.alice, "Quadrilatère").total == 1


def test_the_author_name_follows_a_rename(world):
    write(world, body="Sauvegarder la boîte Zimbra.")
    index_now()
    assert search(world.bruno, "Sauvegarder").hits[0].doc.author == "Alice Martin"
    world.alice.last_name = "Lemoine"
    db.session.commit()
    index_now()
    assert search(world.bruno, "Sauvegarder").hits[0].doc.author == "Alice Lemoine"
