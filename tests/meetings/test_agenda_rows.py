"""The agenda typed as rows: the row buttons edit the form on the server (no JavaScript),
keep everything typed and show no error; "Enregistrer" checks every row in French."""
from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from tests.conftest import text_of
from workspace.extensions import db
from workspace.meetings import agenda_rows
from workspace.meetings.models import Meeting


def _row(title: str, presenter: str = "", duration: str = "") -> dict[str, str]:
    return {"title": title, "presenter": presenter, "duration": duration}


# --- the row functions ---------------------------------------------------------------------

def test_posted_rows_follow_their_numbers_and_ignore_foreign_keys():
    form = MultiDict([("agenda-10-title", "Dernier"), ("agenda-2-title", "Premier"),
                      ("agenda-2-duration", "15"), ("agenda-²-title", "exposant"),
                      ("agenda-1-colour", "rouge"), ("agenda_action", "add"),
                      ("agenda-9999999-title", "trop loin"), ("title", "Réunion")])
    assert agenda_rows.posted_rows(form) == [_row("Premier", "", "15"), _row("Dernier")]


@pytest.mark.parametrize(("action", "titles", "focus"), [
    ("add", ["A", "B", "C", ""], 3),
    ("remove-1", ["A", "C"], 1),
    ("remove-2", ["A", "B"], 1),
    ("up-1", ["B", "A", "C"], 0),
    ("down-1", ["A", "C", "B"], 2),
    ("up-0", ["A", "B", "C"], 0),
    ("down-2", ["A", "B", "C"], 2),
    ("remove-7", ["A", "B", "C"], 0),
    ("remove-x", ["A", "B", "C"], 0),
    ("explode-1", ["A", "B", "C"], 1),
])
def test_row_buttons(action, titles, focus):
    rows, at = agenda_rows.apply_action([_row("A"), _row("B", "Paul", "20"), _row("C")],
                                        action)
    assert [row["title"] for row in rows] == titles
    assert at == focus
    assert _row("B", "Paul", "20") in rows or action == "remove-1"


def test_removing_the_only_row_leaves_an_empty_one():
    assert agenda_rows.apply_action([_row("Seul")], "remove-0") == ([_row("")], 0)


@given(st.lists(st.text(max_size=5), max_size=6), st.text(max_size=12))
def test_moves_never_lose_a_row(titles, action):
    rows = [_row(title) for title in titles]
    after, focus = agenda_rows.apply_action(rows, action)
    if not action.startswith(("add", "remove")):
        assert sorted(row["title"] for row in after) == sorted(titles)
    assert after == [] or 0 <= focus < len(after)


def test_with_rows_renumbers_and_keeps_the_other_fields():
    form = MultiDict([("title", "Réunion"), ("agenda-4-title", "x"), ("agenda_action", "add")])
    rebuilt = agenda_rows.with_rows(form, [_row("Premier"), _row("Second", "Luc", "10")])
    assert rebuilt.get("title") == "Réunion" and "agenda_action" not in rebuilt
    assert agenda_rows.posted_rows(rebuilt) == [_row("Premier"), _row("Second", "Luc", "10")]
    assert "agenda-4-title" not in rebuilt


# --- the pages -----------------------------------------------------------------------------

@pytest.fixture
def scene(make_user, make_network):
    coordinator = make_user(first_name="Claire", last_name="Martin")
    network = make_network("Réseau informatique", coordinators=[coordinator])
    return network, coordinator


def _data(**over) -> dict:
    data = {"title": "Réunion du réseau", "starts_at": "2030-03-26T10:00",
            "ends_at": "2030-03-26T12:00", "location": "Mairie", "video_url": "",
            "description": "",
            "agenda-0-title": "Messagerie", "agenda-0-presenter": "Julien",
            "agenda-0-duration": "30",
            "agenda-1-title": "Sauvegardes", "agenda-1-presenter": "",
            "agenda-1-duration": "beaucoup"}
    data.update(over)
    return data


def _titles(page: str) -> list[str]:
    return re.findall(r'name="agenda-\d+-title"[^>]*value="([^"]*)"', page)


def test_row_buttons_redraw_the_form_with_nothing_lost_and_no_error(client, login, scene):
    network, coordinator = scene
    login(client, coordinator)
    url = f"/n/{network.slug}/meetings/new"
    response = client.post(url, data=_data(agenda_action="up-1", starts_at="n'importe"))
    page = text_of(response)
    assert response.status_code == 200
    assert _titles(page) == ["Sauvegardes", "Messagerie"]
    assert 'value="beaucoup"' in page and 'value="n\'importe"' in page
    assert "is-invalid" not in page and "alert-danger" not in page
    assert db.session.scalar(select(Meeting)) is None
    page = text_of(client.post(url, data=_data(agenda_action="add")))
    assert _titles(page) == ["Messagerie", "Sauvegardes", ""]
    assert re.search(r'autofocus[^>]*name="agenda-2-title"|name="agenda-2-title"[^>]*autofocus',
                     page)
    page = text_of(client.post(url, data=_data(agenda_action="remove-0")))
    assert _titles(page) == ["Sauvegardes"]


def test_save_checks_the_rows_then_stores_them_in_order(client, login, scene):
    network, coordinator = scene
    login(client, coordinator)
    url = f"/n/{network.slug}/meetings/new"
    page = text_of(client.post(url, data=_data()))
    assert "La durée est un nombre de minutes, de 1 à 600." in page
    assert db.session.scalar(select(Meeting)) is None
    response = client.post(url, data=_data(**{
        "agenda-1-duration": "20", "agenda-2-title": "", "agenda-2-presenter": "",
        "agenda-2-duration": ""}))
    assert response.status_code == 302
    meeting = db.session.scalar(select(Meeting))
    assert [(i.title, i.presenter, i.duration_minutes) for i in meeting.agenda] == [
        ("Messagerie", "Julien", 30), ("Sauvegardes", "", 20)]
    edit = text_of(client.get(f"/n/{network.slug}/meetings/{meeting.id}/edit"))
    assert _titles(edit) == ["Messagerie", "Sauvegardes"] and 'value="30"' in edit


@pytest.mark.parametrize(("over", "message"), [
    ({"agenda-0-title": "x" * 301}, "300 caractères au plus"),
    ({"agenda-0-presenter": "y" * 161}, "160 caractères au plus"),
    ({"agenda-0-title": "", "agenda-0-presenter": "Julien"}, "Indiquez le titre de ce point"),
    ({"agenda-0-duration": "0"}, "de 1 à 600"),
    ({"agenda-0-duration": "-5"}, "de 1 à 600"),
    ({f"agenda-{n}-title": f"Point {n}" for n in range(200)}, "soixante au plus"),
])
def test_bad_rows_get_a_french_message(client, login, scene, over, message):
    network, coordinator = scene
    login(client, coordinator)
    response = client.post(f"/n/{network.slug}/meetings/new",
                           data=_data(**{"agenda-1-duration": "", **over}))
    assert response.status_code == 200
    assert message in text_of(response)
    assert db.session.scalar(select(Meeting)) is None


def test_a_crafted_row_number_is_not_a_500(client, login, scene):
    network, coordinator = scene
    login(client, coordinator)
    response = client.post(f"/n/{network.slug}/meetings/new",
                           data=_data(**{"agenda-1-duration": "", "agenda-²-title": "x",
                                         "agenda-99999999999999-title": "y"}))
    assert response.status_code == 302
    assert [i.title for i in db.session.scalar(select(Meeting)).agenda] == [
        "Messagerie", "Sauvegardes"]
