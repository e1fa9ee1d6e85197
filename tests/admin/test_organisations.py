"""Organisations managed by administrators."""
from __future__ import annotations

from sqlalchemy import func, select

from tests.admin.helpers import text
from workspace.communes.models import Organisation
from workspace.extensions import db


def organisation_named(name: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(Organisation.name == name))


def test_create_then_list_with_members(admin_client, make_user):
    response = admin_client.post("/admin/organisations/new", data={
        "name": "  Yvré-l'Évêque ", "kind": "commune", "joined_year": "2015"})
    assert response.status_code == 302
    organisation = organisation_named("Yvré-l'Évêque")
    assert (organisation.kind, organisation.joined_year) == ("commune", 2015)
    make_user(organisation_id=organisation.id)
    make_user(organisation_id=organisation.id)

    page = text(admin_client.get("/admin/organisations"))
    assert "Yvré-l'Évêque" in page and "2015" in page and "Commune" in page
    assert f'/admin/users?organisation={organisation.id}">2<' in page


def test_duplicate_name_is_a_form_error(admin_client, make_organisation):
    make_organisation("Yvré-l'Évêque")
    response = admin_client.post("/admin/organisations/new", data={
        "name": "YVRE-L'EVEQUE", "kind": "commune"})
    assert response.status_code == 200
    assert "Une organisation porte déjà ce nom." in text(response)
    assert db.session.scalar(select(func.count(Organisation.id))) == 1


def test_bad_values_are_form_errors(admin_client):
    response = admin_client.post("/admin/organisations/new", data={
        "name": "!!!", "kind": "royaume", "joined_year": "l'an dernier"})
    page = text(response)
    assert response.status_code == 200
    assert "N'est pas un choix valide" in page and "N'est pas un entier valide" in page
    assert db.session.scalar(select(func.count(Organisation.id))) == 0


def test_edit_and_archive(admin_client, make_organisation):
    organisation = make_organisation("Le Mans Métropole")
    response = admin_client.post(f"/admin/organisations/{organisation.id}", data={
        "name": "Le Mans Métropole", "kind": "epci", "joined_year": "", "is_archived": "y"})
    assert response.status_code == 302
    organisation = db.session.get(Organisation, organisation.id)
    assert organisation.kind == "epci" and organisation.is_archived

    listing = text(admin_client.get("/admin/organisations"))
    assert "EPCI (intercommunalité)" in listing and "Archivée" in listing
    invite_form = text(admin_client.get("/admin/users/invite"))
    assert "Le Mans Métropole" not in invite_form.split("<main", 1)[1].split("</main>")[0]

    admin_client.post(f"/admin/organisations/{organisation.id}", data={
        "name": "Le Mans Métropole", "kind": "epci"})
    assert not db.session.get(Organisation, organisation.id).is_archived


def test_unknown_organisation_is_404(admin_client):
    assert admin_client.get("/admin/organisations/4242").status_code == 404
