"""Tutorial pages through HTTP: writing with images, stable links, history and restore,
concurrent edits, organisation by coordinators, print view and exports."""
from __future__ import annotations

import io
import re
import zipfile

from sqlalchemy import select

from tests.conftest import text_of
from tests.forums.helpers import MINIMAL_PDF, elements, textarea_value
from tests.tutorials.conftest import BODY, png_bytes, upload, url, write
from workspace.documents.models import Document, DocumentLink, Folder
from workspace.extensions import db
from workspace.tutorials import service
from workspace.tutorials.models import Tutorial


def test_index_shows_the_table_of_contents(client, login, world):
    zimbra = write(world, title="Messagerie Zimbra")
    write(world, title="Filtres dans Zimbra", parent=zimbra)
    login(client, world.bruno)
    page = text_of(client.get(url(world.network)))
    assert "Table des matières" in page
    assert page.index("Messagerie Zimbra") < page.index("Filtres dans Zimbra")
    assert "Nouveau tutoriel" in page
    assert "Monter" not in page  # members do not reorder


def test_a_member_writes_a_tutorial_with_an_image_and_a_file(client, login, world):
    login(client, world.alice)
    response = client.post(url(world.network, "/new"), data={
        "title": "Déposer un document dans Alfresco", "body": BODY, "parent": "0",
        "files": [(io.BytesIO(png_bytes()), "capture-alfresco.png"),
                  (io.BytesIO(MINIMAL_PDF), "procedure.pdf")]},
        content_type="multipart/form-data")
    assert response.status_code == 302
    tutorial = db.session.scalar(select(Tutorial))
    assert response.headers["Location"].endswith(
        f"/tutoriels/{tutorial.id}-deposer-un-document-dans-alfresco")
    documents = db.session.scalars(select(Document).order_by(Document.title)).all()
    assert [d.title for d in documents] == ["Capture alfresco", "Procedure"]
    folder = db.session.get(Folder, documents[0].folder_id)
    assert folder.name == "Tutoriels" and folder.network_id == world.network.id
    links = db.session.scalars(select(DocumentLink)).all()
    assert {(link.target_type, link.target_id) for link in links} == {("tutorial", tutorial.id)}

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<h2>Créer un filtre</h2>" in page
    image, pdf = documents
    images = [a["src"] for tag, a in elements(page, "tutorial-images") if tag == "img"]
    assert images == [f"/n/{world.network.slug}/documents/{image.id}/preview"]
    assert f"/n/{world.network.slug}/documents/{pdf.id}/download" in page
    # the code to paste the image in the text
    assert f"![Capture alfresco](/n/{world.network.slug}/documents/{image.id}/preview)" in page
    assert client.get(images[0]).status_code == 200
    # the document's page says where it is used
    used = text_of(client.get(f"/n/{world.network.slug}/documents/{image.id}"))
    assert "Tutoriel : Déposer un document dans Alfresco" in used


def test_refused_files_are_named_and_the_tutorial_is_kept(client, login, world):
    tutorial = write(world)
    login(client, world.alice)
    response = upload(client, world.network, tutorial, ("faux.png", b"pas une image du tout"),
                      ("ok.png", png_bytes()))
    assert response.status_code == 302
    page = text_of(client.get(response.headers["Location"]))
    assert "« faux.png » n'est pas joint" in page
    assert [d.title for d in db.session.scalars(select(Document))] == ["Ok"]
    assert "Choisissez au moins un fichier" in text_of(
        client.post(url(world.network, f"/{tutorial.id}/attachments"), follow_redirects=True))


def test_links_stay_valid_after_a_rename(client, login, world):
    tutorial = write(world)
    old = url(world.network, f"/{tutorial.id}-{tutorial.slug}")
    service.edit_tutorial(world.alice, tutorial, "Règles de tri dans Zimbra", tutorial.body,
                          tutorial.version)
    db.session.commit()
    login(client, world.bruno)
    new = url(world.network, f"/{tutorial.id}-regles-de-tri-dans-zimbra")
    response = client.get(old)
    assert response.status_code == 301 and response.headers["Location"].endswith(new)
    assert client.get(url(world.network, f"/{tutorial.id}")).headers["Location"].endswith(new)
    assert client.get(new).status_code == 200


def _edit(client, network, tutorial, body, version, title=None):
    return client.post(url(network, f"/{tutorial.id}/edit"), data={
        "title": title or tutorial.title, "body": body, "version": str(version)})


def test_another_member_edits_and_the_history_shows_both(client, login, world):
    tutorial = write(world)
    login(client, world.bruno)
    form = client.get(url(world.network, f"/{tutorial.id}/edit")).get_data(as_text=True)
    assert 'name="version" type="hidden" value="1"' in form
    response = _edit(client, world.network, tutorial, BODY.strip() + "\n3. Enregistrez.", 1)
    assert response.status_code == 302
    history = text_of(client.get(url(world.network, f"/{tutorial.id}/history")))
    assert "Version 2," in history and "par Bruno Petit" in history
    assert "Version 1," in history and "par Alice Martin" in history
    assert "+ 3. Enregistrez." in history
    revision = text_of(client.get(url(world.network, f"/{tutorial.id}/history/1")))
    assert "Différences avec le texte actuel" in revision and "Rétablir cette version" in revision
    # restore version 1: a third revision, the text of the first
    response = client.post(url(world.network, f"/{tutorial.id}/history/1/restore"),
                           data={"version": "2"})
    assert response.status_code == 302
    db.session.refresh(tutorial)
    assert tutorial.body == BODY.strip() and tutorial.version == 3
    assert "La version 1 est de nouveau le texte courant" in text_of(
        client.get(response.headers["Location"]))


def test_second_saver_sees_the_saved_version_and_keeps_their_text(client, login, world):
    tutorial = write(world)
    login(client, world.alice)
    assert _edit(client, world.network, tutorial, "Version d'Alice.", 1).status_code == 302
    client.post("/logout")
    login(client, world.bruno)
    response = _edit(client, world.network, tutorial, "Version de Bruno.", 1)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "modifié par quelqu'un d'autre" in text_of(response)
    assert "Version d'Alice." in text_of(response)  # the saved version, shown
    assert textarea_value(page) == "Version de Bruno."  # the editor's text, kept
    assert 'name="version" type="hidden" value="2"' in page
    db.session.refresh(tutorial)
    assert tutorial.body == "Version d'Alice."
    # saving again, knowingly, goes through
    assert _edit(client, world.network, tutorial, "Version de Bruno.", 2).status_code == 302
    assert [r.body for r in service.history(tutorial)][:2] == ["Version de Bruno.",
                                                               "Version d'Alice."]


def test_a_stale_restore_is_refused(client, login, world):
    tutorial = write(world)
    service.edit_tutorial(world.bruno, tutorial, tutorial.title, "Deux.", 1)
    db.session.commit()
    login(client, world.alice)
    response = client.post(url(world.network, f"/{tutorial.id}/history/1/restore"),
                           data={"version": "1"}, follow_redirects=True)
    assert "modifié par quelqu'un d'autre" in text_of(response)
    db.session.refresh(tutorial)
    assert tutorial.body == "Deux."


def test_coordinators_reorder_nest_delete_and_restore(client, login, world):
    first, second = write(world, title="Premier"), write(world, title="Second")
    login(client, world.alice)
    assert client.post(url(world.network, f"/{second.id}/move"),
                       data={"direction": "up"}).status_code == 403
    assert client.post(url(world.network, f"/{second.id}/delete")).status_code == 403
    client.post("/logout")
    login(client, world.coordinator)
    assert "Monter" in text_of(client.get(url(world.network)))
    client.post(url(world.network, f"/{second.id}/move"), data={"direction": "up"})
    page = text_of(client.get(url(world.network)))
    assert page.index("Second") < page.index("Premier")
    client.post(url(world.network, f"/{second.id}/parent"), data={"parent": str(first.id)})
    db.session.refresh(second)
    assert second.parent_id == first.id
    response = client.post(url(world.network, f"/{first.id}/delete"), follow_redirects=True)
    assert "Tutoriels supprimés" in text_of(response)
    client.post("/logout")
    login(client, world.bruno)
    assert client.get(url(world.network, f"/{first.id}-{first.slug}")).status_code == 404
    assert "Premier" not in text_of(client.get(url(world.network)))
    client.post("/logout")
    login(client, world.coordinator)
    client.post(url(world.network, f"/{first.id}/restore"))
    client.post("/logout")
    login(client, world.bruno)
    assert client.get(url(world.network, f"/{first.id}-{first.slug}")).status_code == 200


def test_print_view_and_exports(client, login, world):
    tutorial = write(world)
    login(client, world.bruno)
    page = client.get(url(world.network, f"/{tutorial.id}/print")).get_data(as_text=True)
    assert "/css/tutorials." in page and "<h2>Créer un filtre</h2>" in page
    pdf = client.get(url(world.network, f"/{tutorial.id}/export.pdf"))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert "tutoriel-filtres-dans-zimbra.pdf" in pdf.headers["Content-Disposition"]
    odt = client.get(url(world.network, f"/{tutorial.id}/export.odt"))
    assert odt.mimetype == "application/vnd.oasis.opendocument.text"
    content = zipfile.ZipFile(io.BytesIO(odt.data)).read("content.xml").decode()
    assert "Filtres dans Zimbra" in content and "Créer un filtre" in content
    assert "Ouvrez Préférences." in content
    assert client.get(url(world.network, f"/{tutorial.id}/export.html")).status_code == 404


def test_every_url_of_a_private_tutorial_is_404_to_another_network(client, login, world):
    tutorial = write(world)
    login(client, world.alice)
    upload(client, world.network, tutorial, ("capture.png", png_bytes()),
           ("procedure.pdf", MINIMAL_PDF))
    page = client.get(url(world.network, f"/{tutorial.id}-{tutorial.slug}")).get_data(
        as_text=True)
    file_urls = sorted(set(re.findall(rf'/n/{world.network.slug}/documents/\d+/\w+', page)))
    assert len(file_urls) == 2  # the image's preview and the PDF's download
    client.post("/logout")
    login(client, world.outsider)
    gets = [url(world.network), url(world.network, "/new"),
            url(world.network, f"/{tutorial.id}"),
            url(world.network, f"/{tutorial.id}-{tutorial.slug}"),
            url(world.network, f"/{tutorial.id}/edit"),
            url(world.network, f"/{tutorial.id}/history"),
            url(world.network, f"/{tutorial.id}/history/1"),
            url(world.network, f"/{tutorial.id}/print"),
            url(world.network, f"/{tutorial.id}/export.pdf"),
            url(world.network, f"/{tutorial.id}/export.odt"), *file_urls]
    for address in gets:
        assert client.get(address).status_code == 404, address
    for path in ("/preview", "/new", f"/{tutorial.id}/edit", f"/{tutorial.id}/attachments",
                 f"/{tutorial.id}/history/1/restore", f"/{tutorial.id}/move",
                 f"/{tutorial.id}/parent", f"/{tutorial.id}/delete", f"/{tutorial.id}/restore"):
        assert client.post(url(world.network, path), data={"body": "x"}).status_code == 404, path
    # through the outsider's own network, the id is not found either
    assert client.get(url(world.other, f"/{tutorial.id}-{tutorial.slug}")).status_code == 404
    assert client.get(url(world.other, f"/{tutorial.id}/history")).status_code == 404


def test_a_pasted_image_code_shows_the_image_in_the_text(client, login, world):
    tutorial = write(world)
    login(client, world.alice)
    upload(client, world.network, tutorial, ("etape-1.png", png_bytes()))
    document = db.session.scalar(select(Document))
    code = f"![etape-1](/n/{world.network.slug}/documents/{document.id}/preview)"
    client.post(url(world.network, f"/{tutorial.id}/edit"), data={
        "title": tutorial.title, "body": f"Voici l'écran :\n\n{code}", "version": "1"})
    page = client.get(url(world.network, f"/{tutorial.id}-{tutorial.slug}")).get_data(
        as_text=True)
    images = [a for tag, a in elements(page, "tutorial-body") if tag == "img"]
    assert images == [{"src": f"/n/{world.network.slug}/documents/{document.id}/preview",
                       "alt": "etape-1"}]


def test_in_an_open_network_everyone_reads_and_members_write(client, login, world,
                                                             make_network, make_user):
    reader = make_user()
    open_network = make_network("Voirie", is_private=False, members=[world.alice])
    tutorial = service.create_tutorial(world.alice, open_network, "Balayeuse", "Entretien.")
    db.session.commit()
    login(client, reader)
    base = f"/n/{open_network.slug}/tutoriels"
    assert client.get(f"{base}/{tutorial.id}-{tutorial.slug}").status_code == 200
    assert client.get(f"{base}/{tutorial.id}/history").status_code == 200
    assert "Nouveau tutoriel" not in text_of(client.get(f"{base}/"))
    assert client.get(f"{base}/new").status_code == 403
    assert client.get(f"{base}/{tutorial.id}/edit").status_code == 403
    assert client.post(f"{base}/{tutorial.id}/history/1/restore",
                       data={"version": "1"}).status_code == 403


def test_a_rename_appears_in_the_history(client, login, world):
    tutorial = write(world)
    login(client, world.bruno)
    client.post(url(world.network, f"/{tutorial.id}/edit"), data={
        "title": "Règles de tri dans Zimbra", "body": tutorial.body, "version": "1"})
    history = text_of(client.get(url(world.network, f"/{tutorial.id}/history")))
    assert "Titre modifié le" in history and "par Bruno Petit" in history
    assert "Filtres dans Zimbra" in history and "Règles de tri dans Zimbra" in history
    assert history.count("Version ") == 1  # the text did not change


def test_a_sub_page_is_created_from_its_section(client, login, world):
    section = write(world, title="Messagerie Zimbra")
    login(client, world.bruno)
    page = client.get(url(world.network, f"/{section.id}-{section.slug}")).get_data(
        as_text=True)
    link = url(world.network, f"/new?parent={section.id}")
    assert link in page
    form = client.get(link).get_data(as_text=True)
    assert f'<option selected value="{section.id}">' in form
    client.post(url(world.network, "/new"), data={
        "title": "Filtres", "body": "Texte.", "parent": str(section.id)})
    child = db.session.scalar(select(Tutorial).where(Tutorial.title == "Filtres"))
    assert child.parent_id == section.id
    # a sub-page offers no sub-page of its own
    page = client.get(url(world.network, f"/{child.id}-{child.slug}")).get_data(as_text=True)
    assert "Ajouter une sous-page" not in page
    assert f'href="{url(world.network, f"/{section.id}-{section.slug}")}"' in page  # breadcrumb
