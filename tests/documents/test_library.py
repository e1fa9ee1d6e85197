"""Folders, metadata, tags, sorting, versions and the trash."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import text_of
from workspace.core.errors import DomainError
from workspace.core.models import utcnow
from workspace.documents import service, uploads
from workspace.documents.models import Document, DocumentVersion
from workspace.extensions import db


def _add(network, user, name, content=b"x", folder=None):
    report = uploads.upload_documents(user, network, folder,
                                      [(name, uploads.incoming_bytes(content))])
    db.session.commit()
    return report.created[0]


def test_folders_create_rename_move_and_refuse_cycles(library):
    network, member, coordinator, _ = library
    parent = service.create_folder(member, network, None, "Ateliers 2017")
    child = service.create_folder(member, network, parent, "Énergie")
    with pytest.raises(DomainError, match="existe déjà"):
        service.create_folder(member, network, None, "ateliers 2017")
    service.rename_folder(member, child, "Énergie dans les bâtiments")
    with pytest.raises(DomainError, match="lui-même"):
        service.move_folder(coordinator, parent, child)
    service.move_folder(coordinator, child, None)
    db.session.commit()
    assert child.parent is None and child.name == "Énergie dans les bâtiments"


def test_folder_rules_for_other_members(library, make_user):
    network, member, coordinator, _ = library
    colleague = make_user()
    from workspace.networks.models import Membership

    db.session.add(Membership(network_id=network.id, user_id=colleague.id))
    db.session.commit()
    folder = service.create_folder(member, network, None, "Mon dossier")
    with pytest.raises(DomainError):
        service.rename_folder(colleague, folder, "Piraté")
    service.rename_folder(coordinator, folder, "Renommé par la coordination")


def test_trash_and_restore_folder_with_its_documents(client, login, library):
    network, member, coordinator, _ = library
    folder = service.create_folder(member, network, None, "Compte rendus")
    db.session.commit()
    document = _add(network, member, "cr.txt", folder=folder)
    login(client, member)
    client.post(f"/n/{network.slug}/documents/folders/{folder.id}/delete")
    assert client.get(f"/n/{network.slug}/documents/{document.id}").status_code == 404
    assert client.get(f"/n/{network.slug}/documents/trash").status_code == 403
    coordinator_client = client.application.test_client()
    login(coordinator_client, coordinator)
    assert "Compte rendus" in text_of(coordinator_client.get(
        f"/n/{network.slug}/documents/trash"))
    coordinator_client.post(f"/n/{network.slug}/documents/trash/folders/{folder.id}/restore")
    assert client.get(f"/n/{network.slug}/documents/{document.id}").status_code == 200


def test_trash_is_purged_after_30_days(library):
    network, member, _, _ = library
    old, recent = _add(network, member, "old.txt", b"old"), _add(network, member, "new.txt")
    service.trash_document(member, old)
    service.trash_document(member, recent)
    old.deleted_at = utcnow() - timedelta(days=31)
    db.session.commit()
    service.purge_trash()
    db.session.commit()
    titles = db.session.scalars(select(Document.title)).all()
    assert titles == ["New"]  # the title is made from "new.txt"


def test_only_author_or_coordinator_deletes(library, make_user):
    network, member, coordinator, _ = library
    colleague = make_user()
    from workspace.networks.models import Membership

    db.session.add(Membership(network_id=network.id, user_id=colleague.id))
    db.session.commit()
    document = _add(network, member, "a.txt")
    with pytest.raises(DomainError):
        service.trash_document(colleague, document)
    service.trash_document(coordinator, document)


def test_edit_title_description_tags_and_folder(client, login, library):
    network, member, _, _ = library
    document = _add(network, member, "note.txt")
    folder = service.create_folder(member, network, None, "Énergie")
    db.session.commit()
    login(client, member)
    response = client.post(f"/n/{network.slug}/documents/{document.id}/edit", data={
        "title": "Chaudières à condensation", "description": "Retour d'expérience",
        "tags": "énergie, Chauffage ; énergie", "folder": folder.id})
    assert response.status_code == 302
    document = db.session.get(Document, document.id)
    assert document.title == "Chaudières à condensation"
    assert [t.name for t in document.tags] == ["Chauffage", "énergie"]
    assert document.folder_id == folder.id
    page = text_of(client.get(f"/n/{network.slug}/documents/?tag=energie"))
    assert "Chaudières à condensation" in page
    bad = client.post(f"/n/{network.slug}/documents/{document.id}/edit",
                      data={"title": "", "folder": 999999})
    assert bad.status_code in (200, 404)
    assert db.session.get(Document, document.id).title == "Chaudières à condensation"


def test_lists_sort_by_name_date_and_size(client, login, library):
    network, member, _, _ = library
    _add(network, member, "b.txt", b"x" * 300)
    _add(network, member, "a.txt", b"x" * 10)
    _add(network, member, "c.txt", b"x" * 100)
    login(client, member)

    def order(query):
        page = text_of(client.get(f"/n/{network.slug}/documents/?{query}"))
        return sorted("abc", key=lambda t: page.index(f">{t.upper()}</a>"))

    assert order("sort=name") == ["a", "b", "c"]
    assert order("sort=name&order=desc") == ["c", "b", "a"]
    assert order("sort=size") == ["a", "c", "b"]
    assert order("sort=date&order=desc") == ["c", "a", "b"]
    assert client.get(f"/n/{network.slug}/documents/?sort=pirate").status_code == 200
    recent = text_of(client.get(f"/n/{network.slug}/documents/recent"))
    assert recent.index(">C</a>") < recent.index(">B</a>")


def test_new_version_keeps_the_old_and_restore_makes_a_new_one(client, login, library):
    import io

    network, member, _, _ = library
    document = _add(network, member, "inventaire.txt", b"version une")
    login(client, member)
    response = client.post(f"/n/{network.slug}/documents/{document.id}/versions", data={
        "file": (io.BytesIO(b"version deux"), "inventaire-v2.txt"),
        "comment": "Ajout des écoles"})
    assert response.status_code == 302
    versions = db.session.scalars(select(DocumentVersion).order_by(DocumentVersion.number)).all()
    assert [(v.number, v.comment) for v in versions] == [(1, ""), (2, "Ajout des écoles")]
    old = client.get(f"/n/{network.slug}/documents/{document.id}/versions/1/download")
    assert old.data == b"version une"
    client.post(f"/n/{network.slug}/documents/{document.id}/versions/1/restore")
    current = client.get(f"/n/{network.slug}/documents/{document.id}/download")
    assert current.data == b"version une"
    document = db.session.get(Document, document.id)
    assert document.current_version.number == 3
    assert "Restauration de la version 1" in document.current_version.comment
    page = text_of(client.get(f"/n/{network.slug}/documents/{document.id}"))
    assert "Ajout des écoles" in page and "inventaire-v2.txt" in page


def test_bad_new_version_is_refused_and_current_kept(client, login, library):
    import io

    network, member, _, _ = library
    document = _add(network, member, "plan.pdf", b"%PDF-1.4 plan")
    login(client, member)
    response = client.post(f"/n/{network.slug}/documents/{document.id}/versions", data={
        "file": (io.BytesIO(b"<html>pas un pdf</html>"), "plan.pdf")}, follow_redirects=True)
    assert "ne correspond pas" in text_of(response)
    assert db.session.get(Document, document.id).current_version.number == 1
    empty = client.post(f"/n/{network.slug}/documents/{document.id}/versions", data={},
                        follow_redirects=True)
    assert "Choisissez un fichier" in text_of(empty)


def test_unknown_ids_answer_404(client, login, library):
    network, member, _, _ = library
    login(client, member)
    document = _add(network, member, "a.txt")
    for path in ("99999", "folders/99999", f"{document.id}/versions/9/download",
                 "99999/download", f"{document.id}/preview"):
        assert client.get(f"/n/{network.slug}/documents/{path}").status_code == 404, path
    assert client.post(f"/n/{network.slug}/documents/folders/99999/rename",
                       data={"name": "x"}).status_code == 404


def test_link_targets_show_where_a_document_is_used(library):
    network, member, _, _ = library
    document = _add(network, member, "a.txt")
    service.register_link_target("test-meeting", lambda ids, viewer: {
        i: service.LinkTarget(f"Réunion {i}", f"/meetings/{i}") for i in ids})
    service.link_document(member, document, "test-meeting", 7)
    service.link_document(member, document, "test-meeting", 7)  # once only
    db.session.commit()
    assert [t.label for t in service.where_used(document, member)] == ["Réunion 7"]
    assert service.documents_linked_to("test-meeting", 7) == [document]
    with pytest.raises(DomainError):
        service.link_document(member, document, "unknown-kind", 1)


def test_ids_too_large_for_the_database_answer_404(client, login, library):
    network, member, _, _ = library
    login(client, member)
    huge = "9" * 30
    for path in (f"/n/{network.slug}/documents/{huge}", f"/n/{network.slug}/forum/t/{huge}",
                 f"/n/{network.slug}/meetings/{huge}", f"/people/{huge}"):
        assert client.get(path).status_code == 404, path


def test_the_folder_page_reads_versions_and_tags_for_the_whole_page(library, app, client,
                                                                      login):
    """Statements do not grow with the documents listed (two per document before: found
    by the load test)."""
    from tests.forums.helpers import count_statements

    network, member, _coordinator, _ = library
    login(client, member)
    url = f"/n/{network.slug}/documents/"

    def statements() -> int:
        with count_statements() as seen:
            assert client.get(url).status_code == 200
        return len(seen)

    for number in range(2):
        service.set_tags(network, _add(network, member, f"note-{number}.txt", b"a"), "energie")
    db.session.commit()
    client.get(url)
    few = statements()
    for number in range(2, 12):
        service.set_tags(network, _add(network, member, f"note-{number}.txt", b"b"), "energie")
    db.session.commit()
    assert statements() == few
