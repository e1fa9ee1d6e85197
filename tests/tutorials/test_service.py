"""Tutorial operations without HTTP: writing, revisions, concurrent edits, the table of
contents, deletion and who may do what."""
from __future__ import annotations

import pytest
from sqlalchemy import select, update

from tests.tutorials.conftest import BODY, write
from workspace.core.errors import Conflict, DomainError, PermissionDenied
from workspace.core.revisions import TextRevision
from workspace.extensions import db
from workspace.tutorials import service
from workspace.tutorials.models import Tutorial


def test_a_member_writes_a_tutorial_with_a_first_revision(world):
    tutorial = write(world, title="  Filtres   dans Zimbra ")
    assert tutorial.title == "Filtres dans Zimbra"
    assert tutorial.slug == "filtres-dans-zimbra"
    assert "<h2>Créer un filtre</h2>" in tutorial.body_html
    assert "<strong>Préférences</strong>" in tutorial.body_html
    [revision] = service.history(tutorial)
    assert (revision.number, revision.body, revision.author_id) == (1, BODY.strip(),
                                                                    world.alice.id)


def test_an_edit_records_who_changed_what(world):
    tutorial = write(world)
    assert service.edit_tutorial(world.bruno, tutorial, tutorial.title,
                                 BODY.strip() + "\n3. Enregistrez.", tutorial.version)
    db.session.commit()
    assert tutorial.version == 2 and tutorial.updated_by_id == world.bruno.id
    newest, oldest = service.history(tutorial)
    assert (newest.number, newest.author_id) == (2, world.bruno.id)
    assert (oldest.number, oldest.author_id) == (1, world.alice.id)
    diff = service.diff_lines(oldest.body, newest.body)
    assert [(line.kind, line.text) for line in diff if line.kind == "added"] == [
        ("added", "3. Enregistrez.")]


def test_saving_the_same_text_records_nothing(world):
    tutorial = write(world)
    assert not service.edit_tutorial(world.bruno, tutorial, tutorial.title, tutorial.body + "\n",
                                     tutorial.version)
    assert tutorial.version == 1 and len(service.history(tutorial)) == 1


def test_a_rename_changes_the_slug_not_the_id(world):
    tutorial = write(world)
    service.edit_tutorial(world.bruno, tutorial, "Règles de tri dans Zimbra", tutorial.body,
                          tutorial.version)
    db.session.commit()
    assert tutorial.slug == "regles-de-tri-dans-zimbra"
    assert len(service.history(tutorial)) == 1  # the text itself did not change


def test_the_second_saver_is_told_and_nothing_is_lost(world):
    tutorial = write(world)
    started_from = tutorial.version
    service.edit_tutorial(world.bruno, tutorial, tutorial.title, "Texte de Bruno.",
                          started_from)
    db.session.commit()
    with pytest.raises(Conflict):
        service.edit_tutorial(world.alice, tutorial, tutorial.title, "Texte d'Alice.",
                              started_from)
    db.session.rollback()
    assert db.session.get(Tutorial, tutorial.id).body == "Texte de Bruno."
    assert [r.body for r in service.history(tutorial)] == ["Texte de Bruno.", BODY.strip()]


def test_a_save_racing_between_load_and_write_is_refused(world):
    """The editor's copy says version 1, but another transaction wrote version 2 meanwhile:
    the conditional UPDATE finds no row and the edit is refused."""
    tutorial = write(world)
    db.session.execute(update(Tutorial).where(Tutorial.id == tutorial.id)
                       .values(version=2, body="Écrit ailleurs.")
                       .execution_options(synchronize_session=False))
    assert tutorial.version == 1  # the stale copy in memory
    with pytest.raises(Conflict):
        service.edit_tutorial(world.alice, tutorial, tutorial.title, "Mon texte.", 1)
    assert tutorial.body == "Écrit ailleurs."  # refreshed: the conflict page shows it


def test_restoring_an_old_revision_adds_a_new_one(world):
    tutorial = write(world)
    service.edit_tutorial(world.bruno, tutorial, tutorial.title, "Texte abîmé.", 1)
    db.session.commit()
    first = service.revision_of(tutorial, 1)
    assert service.restore_revision(world.alice, tutorial, first, tutorial.version)
    db.session.commit()
    assert tutorial.body == BODY.strip()
    assert [r.number for r in service.history(tutorial)] == [3, 2, 1]
    assert service.revision_of(tutorial, 3).author_id == world.alice.id


def test_a_revision_of_another_tutorial_cannot_be_restored(world):
    one, two = write(world), write(world, title="Autre", body="Autre texte.")
    with pytest.raises(DomainError):
        service.restore_revision(world.alice, one, service.revision_of(two, 1), one.version)


@pytest.mark.parametrize(("title", "body"), [
    ("", "Texte."), ("   ", "Texte."), ("Titre", ""), ("Titre", " \n "),
    ("x" * 201, "Texte."), ("Titre", "x" * (service.MAX_BODY + 1)),
])
def test_bad_input_is_refused_with_a_message(world, title, body):
    with pytest.raises(DomainError) as refused:
        service.create_tutorial(world.alice, world.network, title, body)
    assert refused.value.message
    assert db.session.scalar(select(Tutorial)) is None


def test_only_members_write_and_only_coordinators_organise(world):
    with pytest.raises(PermissionDenied):
        service.create_tutorial(world.outsider, world.network, "Titre", "Texte.")
    tutorial = write(world)
    with pytest.raises(PermissionDenied):
        service.edit_tutorial(world.outsider, tutorial, "Titre", "Texte.", tutorial.version)
    for operation in (lambda: service.move_tutorial(world.alice, tutorial, 1),
                      lambda: service.delete_tutorial(world.alice, tutorial),
                      lambda: service.set_parent(world.alice, tutorial, None)):
        with pytest.raises(PermissionDenied):
            operation()
    service.delete_tutorial(world.admin, tutorial)  # administrators organise too
    assert tutorial.is_deleted


def test_table_of_contents_order_and_one_level_of_nesting(world):
    zimbra = write(world, title="Zimbra")
    filters = write(world, title="Filtres", parent=zimbra)
    agenda = write(world, title="Partager un agenda", parent=zimbra)
    alfresco = write(world, title="Alfresco")

    def toc():
        return [(e.tutorial.title, [c.title for c in e.children])
                for e in service.table_of_contents(world.network)]

    assert toc() == [("Zimbra", ["Filtres", "Partager un agenda"]), ("Alfresco", [])]
    service.move_tutorial(world.coordinator, alfresco, -1)
    service.move_tutorial(world.coordinator, agenda, -1)
    assert toc() == [("Alfresco", []), ("Zimbra", ["Partager un agenda", "Filtres"])]
    service.move_tutorial(world.coordinator, alfresco, -1)  # already first: stays
    assert toc()[0][0] == "Alfresco"
    with pytest.raises(DomainError):
        service.set_parent(world.coordinator, alfresco, filters)  # a sub-page holds nothing
    with pytest.raises(DomainError):
        service.set_parent(world.coordinator, zimbra, alfresco)  # Zimbra has sub-pages
    with pytest.raises(DomainError):
        service.set_parent(world.coordinator, alfresco, alfresco)
    service.set_parent(world.coordinator, filters, None)
    assert toc() == [("Alfresco", []), ("Zimbra", ["Partager un agenda"]), ("Filtres", [])]
    assert service.neighbours(agenda) == (zimbra, filters)


def test_deleting_a_section_lifts_its_pages_and_restoring_brings_it_back(world):
    zimbra = write(world, title="Zimbra")
    filters = write(world, title="Filtres", parent=zimbra)
    service.delete_tutorial(world.coordinator, zimbra)
    db.session.commit()
    assert filters.parent_id is None
    assert [e.tutorial.title for e in service.table_of_contents(world.network)] == ["Filtres"]
    assert service.deleted_tutorials(world.network) == [zimbra]
    with pytest.raises(PermissionDenied):
        service.edit_tutorial(world.alice, zimbra, "Zimbra", "Texte.", zimbra.version)
    service.restore_tutorial(world.coordinator, zimbra)
    db.session.commit()
    assert [e.tutorial.title for e in service.table_of_contents(world.network)] == [
        "Filtres", "Zimbra"]


def test_a_parent_of_another_network_is_refused(world):
    elsewhere = service.create_tutorial(world.outsider, world.other, "Ailleurs", "Texte.")
    with pytest.raises(DomainError):
        service.create_tutorial(world.alice, world.network, "Ici", "Texte.", elsewhere)


def test_texts_and_titles_have_revisions_of_their_own(world):
    tutorial = write(world)
    service.edit_tutorial(world.bruno, tutorial, "Règles de tri", tutorial.body, 1)
    kinds = sorted(db.session.execute(select(TextRevision.object_type, TextRevision.body)
                                      .order_by(TextRevision.id)).tuples())
    assert kinds == [("tutorial", BODY.strip()), ("tutorial_title", "Filtres dans Zimbra"),
                     ("tutorial_title", "Règles de tri")]
    [rename, text] = service.timeline(tutorial)
    assert (rename.previous_title, rename.revision.body) == ("Filtres dans Zimbra",
                                                             "Règles de tri")
    assert text.revision.number == 1 and not text.is_rename
