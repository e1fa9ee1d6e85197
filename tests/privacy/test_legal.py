"""Legal pages: public, French defaults until edited, edited by administrators with their
revisions, linked from every page's footer."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import text_of
from workspace.core.revisions import TextRevision
from workspace.extensions import db
from workspace.privacy import legal
from workspace.privacy.models import LegalPage

SLUGS = ("mentions-legales", "donnees-personnelles", "accessibilite")


@pytest.mark.parametrize(("slug", "words"), [
    ("mentions-legales", ["Mentions légales", "Le Mans Métropole", "Hébergement",
                          "Directeur de la publication"]),
    ("donnees-personnelles", ["Données personnelles", "Responsable du traitement",
                              "un an", "CNIL", "Mes données"]),
    ("accessibilite", ["Déclaration d'accessibilité", "partiellement conforme", "RGAA",
                       "Non-conformités connues", "Défenseur des droits"]),
])
def test_anonymous_visitors_read_the_default_pages(client, slug, words):
    response = client.get(f"/legal/{slug}")
    assert response.status_code == 200
    page = text_of(response)
    for word in words:
        assert word in page, word
    assert page.count("<h1") == 1 and "<h2>" in page  # headings in order
    assert "Modifier la page" not in page


def test_the_footer_links_to_the_three_pages(client):
    page = text_of(client.get("/login"))
    footer = page.split('<footer class="site-footer">', 1)[1]
    for slug in SLUGS:
        assert f'href="/legal/{slug}"' in footer
    assert 'class="link-light"' in footer  # light links on the dark footer


@pytest.mark.parametrize("slug", ["inconnue", "MENTIONS-LEGALES", "..%2F..%2Fetc",
                                  "a" * 500])
def test_unknown_pages_are_404(client, slug):
    assert client.get(f"/legal/{slug}").status_code == 404


def test_administrators_edit_with_revisions(world, signed_in, client):
    admin = signed_in(world.admin)
    form = admin.get("/legal/mentions-legales/edit")
    assert "texte proposé par défaut" in text_of(form)
    assert "Directeur de la publication" in text_of(form)  # the default, ready to adapt
    for body in ("## Éditeur\n\nLe Mans Métropole, version 1",
                 "## Éditeur\n\nLe Mans Métropole, version 2 <script>alert(1)</script>"):
        response = admin.post("/legal/mentions-legales/edit", data={"body": body})
        assert response.status_code == 302
    same = admin.post("/legal/mentions-legales/edit",
                      data={"body": "## Éditeur\r\n\r\nLe Mans Métropole, version 2 "
                                    "<script>alert(1)</script>"}, follow_redirects=True)
    assert "Aucune modification" in text_of(same)
    public = signed_in(world.leaver).get("/legal/mentions-legales")
    page = public.get_data(as_text=True)
    assert "version 2" in page and "<script>alert" not in page
    [row] = db.session.scalars(select(LegalPage)).all()
    revisions = db.session.scalars(select(TextRevision).where(
        TextRevision.object_type == legal.REVISION_TYPE,
        TextRevision.object_id == row.id)).all()
    assert [r.number for r in revisions] == [1, 2]
    assert all(r.author_id == world.admin.id for r in revisions)
    history = text_of(signed_in(world.admin).get("/legal/mentions-legales/history"))
    assert "Version 2" in history and "Version 1" in history and "Anne Admin" in history


@pytest.mark.parametrize(("body", "message"), [
    ("", "ne peut pas être vide"),
    ("   \r\n ", "ne peut pas être vide"),
    ("x" * (legal.MAX_BODY + 1), "trop long"),
])
def test_bad_texts_are_refused_and_nothing_is_lost(world, signed_in, body, message):
    admin = signed_in(world.admin)
    admin.post("/legal/accessibilite/edit", data={"body": "Texte validé"})
    response = admin.post("/legal/accessibilite/edit", data={"body": body})
    assert response.status_code == 200
    assert message in text_of(response)
    assert legal.get_page("accessibilite").body == "Texte validé"


def test_only_administrators_edit(world, signed_in, client):
    assert client.get("/legal/accessibilite/edit").status_code == 302
    assert client.get("/legal/accessibilite/history").status_code == 302
    for user in (world.leaver, world.coordinator):
        member = signed_in(user)
        assert member.get("/legal/accessibilite/edit").status_code == 403
        assert member.post("/legal/accessibilite/edit",
                           data={"body": "Piraté"}).status_code == 403
        assert member.get("/legal/accessibilite/history").status_code == 403
    assert legal.get_page("accessibilite").is_default


def test_defaults_are_stored_once_for_the_demo(app, runner):
    assert legal.ensure_default_pages() is True
    db.session.commit()
    assert legal.ensure_default_pages() is False
    assert len(db.session.scalars(select(LegalPage)).all()) == 3
    assert "Rien à faire" in runner.invoke(args=["privacy", "legal-defaults"]).output
    assert legal.get_page("accessibilite").updated_by is None
