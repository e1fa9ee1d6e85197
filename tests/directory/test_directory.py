"""The directory answers "who is the IT correspondent of Coulaines?"."""
from sqlalchemy import func, select

from tests.conftest import text_of
from workspace.auth.models import User
from workspace.communes.models import KIND_COMMUNE, Organisation
from workspace.demo import COMMUNES_2017, DEMO_PASSWORD, load_demo_data
from workspace.extensions import db
from workspace.networks.models import Network


def _demo():
    load_demo_data()
    db.session.commit()


def _org(name):
    return db.session.scalar(select(Organisation).where(Organisation.name == name))


def test_demo_data_holds_the_19_communes_and_loads_once(app):
    _demo()
    counts = (db.session.scalar(select(func.count()).select_from(User)),
              db.session.scalar(select(func.count()).select_from(Network)))
    assert load_demo_data() is False
    db.session.commit()
    assert counts == (db.session.scalar(select(func.count()).select_from(User)),
                      db.session.scalar(select(func.count()).select_from(Network)))
    communes = db.session.scalars(select(Organisation.name).where(
        Organisation.kind == KIND_COMMUNE)).all()
    assert len(communes) == 19 == len(COMMUNES_2017)
    assert {"Coulaines", "Yvré-l'Évêque", "Trangé", "Sargé-lès-le-Mans"} <= set(communes)
    assert "Fatines" not in communes
    assert _org("Le Mans Métropole") and _org("CCAS du Mans")


def test_it_correspondent_of_coulaines_is_exactly_the_seeded_person(client, login):
    _demo()
    viewer = db.session.scalar(select(User).where(User.email.like("admin@%")))
    login(client, viewer, password=DEMO_PASSWORD)
    coulaines = _org("Coulaines")
    page = text_of(client.get(
        f"/directory?function=it_correspondent&commune={coulaines.id}"))
    assert "1 personne" in page
    assert "Thomas Bernard" in page
    assert "Isabelle Roux" not in page  # technical director of Coulaines


def test_text_search_ignores_accents_and_case(client, make_user, login):
    make_user(first_name="Éric", last_name="Fournier", job_title="Responsable des bâtiments")
    make_user(first_name="Karim", last_name="Haddad")
    login(client, make_user())
    page = text_of(client.get("/directory?q=eric+batiments"))
    assert "Éric Fournier" in page and "Karim Haddad" not in page


def test_network_filter_hides_private_membership_from_outsiders(client, make_user,
                                                                 make_network, login):
    member, outsider = make_user(last_name="Membre"), make_user(last_name="Dehors")
    private = make_network(members=[member])
    mine = make_network(members=[outsider])
    login(client, outsider)
    page = text_of(client.get(f"/directory?network={private.id}"))
    assert "Membre" not in page
    assert private.name not in page  # not even offered as a filter
    assert mine.name in page
    profile = text_of(client.get(f"/people/{member.id}"))
    assert private.name not in profile


def test_profile_shows_contact_and_visible_networks(client, make_user, make_network, login):
    person = make_user(first_name="Céline", last_name="Dupont", phone="02 43 00 00 00",
                       network_function="it_correspondent")
    viewer = make_user()
    shared = make_network(members=[person, viewer])
    login(client, viewer)
    page = text_of(client.get(f"/people/{person.id}"))
    assert "Céline Dupont" in page and "02 43 00 00 00" in page
    assert "Correspondant informatique" in page and shared.name in page


def test_bad_filters_give_a_message_not_an_error(client, make_user, login):
    login(client, make_user())
    response = client.get("/directory?commune=abc&network=999999&function=pirate")
    assert response.status_code == 200
    assert client.get("/people/999999").status_code == 404


def test_profile_edit(client, make_user, make_organisation, login):
    coulaines = make_organisation("Coulaines")
    user = make_user()
    login(client, user)
    response = client.post("/account", data={
        "first_name": "Thomas", "last_name": "Bernard", "organisation_id": coulaines.id,
        "job_title": "Correspondant informatique", "network_function": "it_correspondent",
        "phone": "02 43 47 00 00", "locale": "fr"})
    assert response.status_code == 302
    user = db.session.get(User, user.id)
    assert (user.full_name, user.organisation_id, user.network_function) == (
        "Thomas Bernard", coulaines.id, "it_correspondent")
    bad = client.post("/account", data={"first_name": "", "last_name": "x" * 200,
                                        "network_function": "pirate", "locale": "fr"})
    assert bad.status_code == 200
    assert db.session.get(User, user.id).first_name == "Thomas"
