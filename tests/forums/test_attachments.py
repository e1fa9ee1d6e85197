"""Files attached to posts become documents of the network's library, in the folder
"Pièces jointes du forum"; images show in the post; the document says where it is used."""
from __future__ import annotations

import io

from sqlalchemy import select

from tests.conftest import text_of
from tests.forums.helpers import MINIMAL_PDF, elements, forum_url, png_bytes, start_topic
from workspace.documents.models import Document, DocumentLink, Folder
from workspace.extensions import db
from workspace.forums.models import Post, Topic


def _reply_with_files(client, network, topic_id: int, body: str, *files):
    data = {"body": body, "files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post(forum_url(network, f"/t/{topic_id}/reply"), data=data,
                       content_type="multipart/form-data")


def test_reply_with_files_stores_them_in_the_library(forum, signed_in):
    network, category, alice, bob, *_ = forum
    first = start_topic(alice, category)
    client = signed_in(bob)
    response = _reply_with_files(client, network, first.topic_id, "Voici le schéma.",
                                 ("schema-reseau.png", png_bytes()),
                                 ("procedure.pdf", MINIMAL_PDF))
    assert response.status_code == 302
    reply = db.session.scalar(select(Post).where(Post.number == 2))
    documents = db.session.scalars(select(Document).order_by(Document.id)).all()
    assert len(documents) == 2
    folder = db.session.get(Folder, documents[0].folder_id)
    assert folder.name == "Pièces jointes du forum" and folder.parent_id is None
    assert {d.network_id for d in documents} == {network.id}
    assert {d.folder_id for d in documents} == {folder.id}
    links = db.session.scalars(select(DocumentLink)).all()
    assert {(link.target_type, link.target_id) for link in links} == {("forum_post", reply.id)}

    page = client.get(forum_url(network, f"/t/{first.topic_id}")).get_data(as_text=True)
    image, pdf = documents
    preview = f"/n/{network.slug}/documents/{image.id}/preview"
    images = [a for tag, a in elements(page, "attachments") if tag == "img"]
    assert [a["src"] for a in images] == [preview]
    assert f"/n/{network.slug}/documents/{pdf.id}" in page and "procedure.pdf" in page
    assert client.get(preview).status_code == 200


def test_document_page_says_where_it_is_used(forum, signed_in):
    network, category, alice, bob, *_ = forum
    first = start_topic(alice, category, title="Plan d'adressage")
    client = signed_in(bob)
    _reply_with_files(client, network, first.topic_id, "Le plan.", ("plan.png", png_bytes()))
    reply = db.session.scalar(select(Post).where(Post.number == 2))
    document = db.session.scalar(select(Document))
    response = signed_in(alice).get(f"/n/{network.slug}/documents/{document.id}")
    page = text_of(response)
    assert "Utilisé dans" in page
    assert "Forum : « Plan d'adressage », message n° 2" in page
    assert f"/forum/p/{reply.id}" in page


def test_second_attachment_reuses_the_folder(forum, signed_in):
    network, category, alice, bob, *_ = forum
    first = start_topic(alice, category)
    client = signed_in(bob)
    _reply_with_files(client, network, first.topic_id, "Un", ("a.png", png_bytes()))
    _reply_with_files(client, network, first.topic_id, "Deux",
                      ("b.png", png_bytes(color=(1, 2, 3))))
    assert len(db.session.scalars(select(Folder)).all()) == 1
    assert len(db.session.scalars(select(Document)).all()) == 2


def test_new_topic_with_a_file(forum, signed_in):
    network, category, alice, *_ = forum
    client = signed_in(alice)
    response = client.post(forum_url(network, f"/c/{category.id}/new"), data={
        "title": "Capture d'écran", "body": "Voir l'image.",
        "files": [(io.BytesIO(png_bytes()), "capture.png")]},
        content_type="multipart/form-data")
    assert response.status_code == 302
    topic = db.session.scalar(select(Topic))
    page = client.get(forum_url(network, f"/t/{topic.id}")).get_data(as_text=True)
    assert 'class="attachment-image"' in page


def test_refused_file_is_explained_and_the_reply_kept(forum, signed_in):
    network, category, alice, bob, *_ = forum
    first = start_topic(alice, category)
    client = signed_in(bob)
    response = _reply_with_files(client, network, first.topic_id, "Le rapport.",
                                 ("rapport.pdf", b"<html><script>alert(1)</script></html>"))
    assert response.status_code == 302
    page = text_of(client.get(response.headers["Location"]))
    assert "ne correspond pas à son extension" in page
    assert db.session.scalar(select(Document)) is None
    assert db.session.scalar(select(Post).where(Post.number == 2)).body == "Le rapport."


def test_outsider_cannot_open_the_attachment(forum, signed_in):
    network, category, alice, bob, coordinator, outsider = forum
    first = start_topic(alice, category)
    _reply_with_files(signed_in(bob), network, first.topic_id, "Image", ("a.png", png_bytes()))
    document = db.session.scalar(select(Document))
    client = signed_in(outsider)
    for path in ("", "/preview", "/download"):
        assert client.get(f"/n/{network.slug}/documents/{document.id}{path}").status_code == 404
