"""Whatever a member types, tutorial pages carry no script, handler or unsafe link; bad
input (empty or huge fields, tampered ids and versions) gets a message or a 404, never a
500, and nothing stored is lost."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.conftest import text_of
from tests.forums.helpers import elements
from tests.forums.test_markdown_safety import HOSTILE, assert_harmless
from tests.tutorials.conftest import BODY, url, write
from workspace.extensions import db
from workspace.tutorials import service
from workspace.tutorials.models import Tutorial


def test_hostile_markdown_comes_out_harmless_everywhere(client, login, world):
    login(client, world.alice)
    response = client.post(url(world.network, "/new"),
                           data={"title": "Piège", "body": HOSTILE, "parent": "0"})
    assert response.status_code == 302
    tutorial = db.session.scalar(select(Tutorial))
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    found = elements(detail, "tutorial-body")
    assert_harmless(found)
    assert {a["href"] for tag, a in found if tag == "a"} == {
        "https://www.lemansmetropole.fr/", "mailto:dsi@lemansmetropole.fr"}
    assert "<script>alert(7)" not in detail and "<img src=\"x\" onerror" not in detail
    for path in (f"/{tutorial.id}/print", f"/{tutorial.id}/history/1"):
        assert_harmless(elements(client.get(url(world.network, path)).get_data(as_text=True),
                                 "tutorial-body"))
    preview = client.post(url(world.network, "/preview"), data={"body": HOSTILE})
    assert_harmless(elements(preview.get_data(as_text=True)))
    no_js = client.post(url(world.network, "/new"), data={
        "title": "Piège", "body": HOSTILE, "action": "preview"}).get_data(as_text=True)
    assert_harmless(elements(no_js, "tutorial-body"))
    # the history shows the source as text, escaped
    history = client.get(url(world.network, f"/{tutorial.id}/history")).get_data(as_text=True)
    assert "<script>" not in history and "&lt;script&gt;alert(7)&lt;/script&gt;" in history


def test_the_three_classic_attacks(client, login, world):
    tutorial = write(world, body="[x](javascript:alert(1))\n\n<script>alert(2)</script>\n\n"
                                 '<img src="x" onerror="alert(3)">')
    login(client, world.bruno)
    page = client.get(url(world.network, f"/{tutorial.id}-{tutorial.slug}")).get_data(
        as_text=True)
    body = page.split('class="post-body tutorial-body">', 1)[1].split("</div>", 1)[0]
    assert 'href="javascript' not in body.lower()
    assert "<script" not in body and "<img" not in body  # shown as text, escaped
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in body
    assert_harmless(elements(page, "tutorial-body"))


def _count() -> int:
    return db.session.scalar(select(func.count(Tutorial.id)))


@pytest.mark.parametrize(("title", "body", "message"), [
    ("", "Texte.", "Ce champ est requis."),
    ("   ", "Texte.", "Ce champ est requis."),
    ("Titre", "", "Ce champ est requis."),
    ("Titre", "   \n  ", "Ce champ est requis."),
    ("x" * 201, "Texte.", "plus de 200 caractères"),
    ("Titre", "x" * (service.MAX_BODY + 1), "plus de 100000 caractères"),
])
def test_bad_creation_forms_say_why_and_store_nothing(client, login, world, title, body,
                                                      message):
    login(client, world.alice)
    response = client.post(url(world.network, "/new"),
                           data={"title": title, "body": body, "parent": "0"})
    assert response.status_code == 200
    page = text_of(response)
    assert message in page
    assert _count() == 0


@pytest.mark.parametrize("parent", ["abc", "999999", "-1", "99999999999999999999"])
def test_a_tampered_parent_is_refused(client, login, world, parent):
    login(client, world.alice)
    response = client.post(url(world.network, "/new"),
                           data={"title": "Titre", "body": "Texte.", "parent": parent})
    assert response.status_code == 200 and _count() == 0


def test_a_parent_of_another_network_is_not_offered(client, login, world):
    elsewhere = service.create_tutorial(world.outsider, world.other, "Ailleurs", "Texte.")
    db.session.commit()
    login(client, world.alice)
    response = client.post(url(world.network, "/new"), data={
        "title": "Titre", "body": "Texte.", "parent": str(elsewhere.id)})
    assert response.status_code == 200 and _count() == 1  # only the other network's page


@pytest.mark.parametrize("version", ["", "abc", "-3", "1e9", "99999999999999999999", "0"])
def test_a_tampered_version_is_a_conflict_not_a_crash(client, login, world, version):
    tutorial = write(world)
    login(client, world.bruno)
    response = client.post(url(world.network, f"/{tutorial.id}/edit"), data={
        "title": tutorial.title, "body": "Nouveau texte.", "version": version})
    assert response.status_code == 200
    assert "modifié par quelqu'un d'autre" in text_of(response)
    db.session.refresh(tutorial)
    assert tutorial.body == BODY.strip()


def test_a_huge_edit_is_refused_and_the_text_kept(client, login, world):
    tutorial = write(world)
    login(client, world.bruno)
    response = client.post(url(world.network, f"/{tutorial.id}/edit"), data={
        "title": tutorial.title, "body": "x" * (service.MAX_BODY + 1), "version": "1"})
    assert response.status_code == 200
    db.session.refresh(tutorial)
    assert tutorial.body == BODY.strip() and tutorial.version == 1


@pytest.mark.parametrize("path", [
    "/0-x", "/999999-x", "/99999999999999999999-x", "/0", "/999999", "/999999/edit",
    "/999999/history", "/999999/print", "/999999/export.pdf", "/{id}/history/0",
    "/{id}/history/2", "/{id}/history/99999999999999999999", "/{id}/export.docx",
    "/{id}/history/abc",
])
def test_wrong_ids_are_404(client, login, world, path):
    tutorial = write(world)
    login(client, world.alice)
    assert client.get(url(world.network, path.format(id=tutorial.id))).status_code == 404


@pytest.mark.parametrize(("path", "data"), [
    ("/{id}/history/5/restore", {"version": "1"}),
    ("/{id}/history/99999999999999999999/restore", {"version": "1"}),
    ("/999999/history/1/restore", {"version": "1"}),
    ("/999999/move", {"direction": "up"}),
    ("/999999/delete", {}),
])
def test_tampered_posts_are_404(client, login, world, path, data):
    tutorial = write(world)
    login(client, world.coordinator)
    assert client.post(url(world.network, path.format(id=tutorial.id)),
                       data=data).status_code == 404


def test_a_revision_of_another_tutorial_is_not_reachable_through_this_one(client, login, world):
    one = write(world)
    two = write(world, title="Autre", body="Autre texte.")
    service.edit_tutorial(world.alice, two, two.title, "Encore.", two.version)
    db.session.commit()
    login(client, world.alice)
    # revision 2 exists for "two" only
    assert client.get(url(world.network, f"/{one.id}/history/2")).status_code == 404
    assert client.post(url(world.network, f"/{one.id}/history/2/restore"),
                       data={"version": "1"}).status_code == 404


@pytest.mark.parametrize("data", [{}, {"direction": "sideways"}, {"parent": "abc"},
                                  {"parent": "999999"}])
def test_bad_organisation_forms_are_told(client, login, world, data):
    tutorial = write(world)
    login(client, world.coordinator)
    for path in (f"/{tutorial.id}/move", f"/{tutorial.id}/parent"):
        response = client.post(url(world.network, path), data=data)
        assert response.status_code == 302
    db.session.refresh(tutorial)
    assert tutorial.parent_id is None and not tutorial.is_deleted
