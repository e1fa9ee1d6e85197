"""Date polls through the test client: the form and its date rules, the answer form and the
table, the conclusion into a meeting (its answers, the calendar feed), and the places a poll
reaches: dashboard, search, personal-data archive, anonymisation, network export, backup."""
from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import text_of
from workspace.calendar import feeds
from workspace.core.jobs import work_once
from workspace.core.timezones import PARIS
from workspace.extensions import db
from workspace.meetings.models import Meeting, Rsvp
from workspace.polls import service
from workspace.polls.models import CONCLUDED, MAYBE, NO, SHOW_COORDINATORS, YES, Poll


def _form(**over) -> dict:
    values = {"title": "Réunion de rentrée", "target": "meeting", "location": "Mairie",
              "video_url": "", "description": "", "closes_at": "2030-06-01T18:00",
              "audience": "network", "answers_shown_to": "members",
              "slots-0-day": "2030-06-10", "slots-0-starts": "09:30", "slots-0-ends": "11:30",
              "slots-1-day": "2030-06-12", "slots-1-starts": "14:00", "slots-1-ends": "16:00",
              "slots-2-day": "", "slots-2-starts": "", "slots-2-ends": ""}
    values.update(over)
    return values


def _url(scene, suffix: str = "") -> str:
    return f"/n/{scene.network.slug}/polls/{suffix}"


def test_the_coordinator_opens_a_poll_in_paris_time(scene, signed_in):
    client = signed_in(scene.coordinator)
    page = text_of(client.get(_url(scene, "new")))
    assert 'type="date"' in page and 'type="time"' in page
    response = client.post(_url(scene, "new"), data=_form())
    assert response.status_code == 302
    poll = db.session.scalar(select(Poll))
    assert [(slot.starts_at, slot.ends_at) for slot in poll.slots] == [
        (datetime(2030, 6, 10, 7, 30, tzinfo=UTC), datetime(2030, 6, 10, 9, 30, tzinfo=UTC)),
        (datetime(2030, 6, 12, 12, 0, tzinfo=UTC), datetime(2030, 6, 12, 14, 0, tzinfo=UTC))]
    assert poll.closes_at == datetime(2030, 6, 1, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize(("over", "message"), [
    ({"slots-0-day": "2030-03-31", "slots-0-starts": "02:30", "slots-0-ends": "04:00",
      "closes_at": "2030-03-20T18:00"}, "n'existe pas ce jour-là"),
    ({"slots-0-day": "2030-02-30"}, "Date invalide."),
    ({"slots-0-day": "9999-06-10"}, "Choisissez une date entre"),
    ({"slots-0-starts": "25:99"}, "Heure invalide."),
    ({"slots-0-ends": "08:00"}, "La fin doit être après le début."),
    ({"slots-0-day": "2020-06-10", "closes_at": "2020-06-01T18:00"}, "Ce créneau est passé."),
    ({"slots-1-day": "", "slots-1-starts": "", "slots-1-ends": ""},
     "Proposez au moins deux créneaux."),
    ({"slots-1-ends": ""}, "Indiquez la date, le début et la fin du créneau."),
    ({"closes_at": "2030-06-11T18:00"}, "Le sondage doit se clore avant le premier créneau."),
    ({"audience": "chosen"}, "Choisissez au moins une personne ou une commune."),
    ({"location": ""}, "Indiquez un lieu ou un lien de visioconférence."),
])
def test_the_form_says_what_is_wrong_and_keeps_what_was_typed(scene, signed_in, over, message):
    client = signed_in(scene.coordinator)
    response = client.post(_url(scene, "new"), data=_form(**over))
    assert response.status_code == 200
    page = text_of(response)
    assert message in page
    assert 'value="Réunion de rentrée"' in page
    assert db.session.scalar(select(Poll)) is None


def test_members_answer_and_the_table_is_accessible(scene, signed_in, make_poll):
    poll = make_poll()
    first, second, third = (slot.id for slot in poll.slots)
    paul = signed_in(scene.paul)
    response = paul.post(_url(scene, f"{poll.id}/answer"), data={
        f"slot-{first}": YES, f"slot-{second}": MAYBE, f"slot-{third}": NO,
        "comment": "Le matin de préférence"})
    assert response.status_code == 302
    signed_in(scene.marie).post(_url(scene, f"{poll.id}/answer"), data={f"slot-{first}": NO})
    page = text_of(signed_in(scene.luc).get(_url(scene, str(poll.id))))
    assert "<caption>" in page and '<th scope="col">Oui</th>' in page
    assert page.count('<th scope="row">') >= 3 + 2  # a header per slot, per person
    assert "Personne de :</strong> Allonnes, Mulsanne" in page  # first slot: only Coulaines
    assert "Le matin de préférence" in page  # answers shown to members
    assert f'name="slot-{first}"' in page  # Luc may answer: the form, without JavaScript
    again = text_of(paul.get(_url(scene, str(poll.id))))
    assert f'id="slot-{first}-yes" value="yes" checked' in again  # the answer is kept


def test_nothing_chosen_is_told(scene, signed_in, make_poll):
    poll = make_poll()
    client = signed_in(scene.paul)
    response = client.post(_url(scene, f"{poll.id}/answer"), data={}, follow_redirects=True)
    assert "Répondez pour au moins un créneau." in text_of(response)


def test_answers_for_coordinators_only(scene, signed_in, make_poll):
    poll = make_poll(answers_shown_to=SHOW_COORDINATORS)
    service.answer_poll(scene.paul, poll.id, {poll.slots[0].id: YES}, "Commentaire de Paul")
    db.session.commit()
    member_page = text_of(signed_in(scene.marie).get(_url(scene, str(poll.id))))
    assert "Paul Leroy" not in member_page and "Commentaire de Paul" not in member_page
    assert "Personne de" not in member_page
    coordinator_page = text_of(signed_in(scene.coordinator).get(_url(scene, str(poll.id))))
    assert "Paul Leroy" in coordinator_page and "Commentaire de Paul" in coordinator_page


def test_an_open_network_hides_its_polls_from_non_members(scene, signed_in, make_network,
                                                         make_poll):
    scene.network.is_private = False
    db.session.commit()
    poll = make_poll()
    client = signed_in(scene.outsider)
    assert client.get(f"/n/{scene.network.slug}/").status_code == 200  # the network: yes
    for path in ("", str(poll.id), "new"):
        assert client.get(_url(scene, path)).status_code == 404
    assert client.post(_url(scene, f"{poll.id}/answer")).status_code == 404


def test_concluding_through_the_pages(scene, signed_in, make_poll):
    poll = make_poll()
    chosen = poll.slots[1]
    service.answer_poll(scene.paul, poll.id, {chosen.id: YES})
    service.answer_poll(scene.marie, poll.id, {chosen.id: MAYBE})
    service.answer_poll(scene.luc, poll.id, {chosen.id: NO})
    db.session.commit()
    client = signed_in(scene.coordinator)
    form = text_of(client.get(_url(scene, f"{poll.id}/conclude?slot={chosen.id}")))
    assert 'value="Réunion de rentrée"' in form and 'value="Mairie d\'Allonnes"' in form
    local = chosen.starts_at.astimezone(PARIS)
    assert local.strftime("%Y-%m-%dT%H:%M") in form  # pre-filled in Paris time
    response = client.post(_url(scene, f"{poll.id}/conclude"), data={
        "slot": chosen.id, "title": "Réunion de rentrée",
        "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (local + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "location": "Mairie d'Allonnes", "video_url": "", "description": ""})
    assert response.status_code == 302
    meeting = db.session.scalar(select(Meeting))
    assert response.headers["Location"].endswith(f"/meetings/{meeting.id}")
    assert meeting.starts_at == chosen.starts_at
    assert dict(db.session.execute(select(Rsvp.user_id, Rsvp.answer)).all()) == {
        scene.paul.id: "yes", scene.marie.id: "maybe"}
    stored = db.session.get(Poll, poll.id)
    assert (stored.status, stored.meeting_id) == (CONCLUDED, meeting.id)
    page = text_of(client.get(_url(scene, str(poll.id))))
    assert "Voir la réunion" in page and "Retenir ce créneau" not in page
    # the private calendar feed of the person who said yes shows it, with them attending
    token = feeds.issue_feed_token(scene.paul)
    db.session.commit()
    feed = client.application.test_client().get(f"/calendar/feed/{token}.ics")
    body = feed.get_data(as_text=True).replace("\r\n ", "")  # unfolded (RFC 5545)
    assert f"UID:meeting-{meeting.id}@" in body and scene.paul.email in body


def test_the_dashboard_shows_the_polls_that_ask_me(scene, signed_in, make_poll):
    poll = make_poll(audience="chosen", people_ids=[scene.paul.id])
    assert poll.title in text_of(signed_in(scene.paul).get("/"))
    assert poll.title not in text_of(signed_in(scene.marie).get("/"))
    service.answer_poll(scene.paul, poll.id, {poll.slots[0].id: YES})
    db.session.commit()
    assert "vous avez répondu" in text_of(signed_in(scene.paul).get("/"))


def test_search_finds_open_polls_for_members_only(scene, make_poll):
    from workspace.search.query import search

    poll = make_poll(title="Recensement zygomorphe des contrats")
    work_once()
    assert [hit.doc.title for hit in search(scene.paul, "zygomorphe").hits] == [poll.title]
    assert search(scene.admin, "zygomorphe").total == 1
    assert search(scene.outsider, "zygomorphe").total == 0
    service.cancel_poll(scene.coordinator, poll.id)
    db.session.commit()
    work_once()
    assert search(scene.paul, "zygomorphe").total == 0  # only open polls are found


def test_the_personal_archive_holds_my_answers(scene, make_poll):
    from workspace.privacy.archive import collect

    poll = make_poll()
    service.answer_poll(scene.paul, poll.id, {poll.slots[0].id: YES, poll.slots[1].id: NO},
                        "Disponible le matin")
    db.session.commit()
    data, _files = collect(scene.paul)
    [entry] = data["polls"]
    assert entry["poll"] == poll.title and entry["comment"] == "Disponible le matin"
    assert [choice["choice"] for choice in entry["choices"]] == [YES, NO]
    assert collect(scene.marie)[0]["polls"] == []


def test_anonymising_a_departed_member_keeps_the_answers_without_the_name(scene, signed_in,
                                                                          make_poll):
    from workspace.privacy.anonymise import anonymise_user

    poll = make_poll()
    service.answer_poll(scene.paul, poll.id, {poll.slots[0].id: YES},
                        "Paul Leroy viendra avec un collègue")
    db.session.commit()
    anonymise_user(scene.paul, scene.admin)
    db.session.commit()
    page = text_of(signed_in(scene.coordinator).get(_url(scene, str(poll.id))))
    assert "Paul Leroy" not in page and "Leroy" not in page
    assert "Ancien membre viendra avec un collègue" in page
    assert service.poll_table(poll).slots[0].yes == 1  # the answer still counts


def test_the_network_export_holds_the_polls(scene, signed_in, make_poll):
    shown = make_poll(title="Sondage visible")
    hidden = make_poll(title="Sondage discret", answers_shown_to=SHOW_COORDINATORS)
    for poll in (shown, hidden):
        service.answer_poll(scene.paul, poll.id, {poll.slots[0].id: YES}, "Oui pour moi")
    db.session.commit()
    response = signed_in(scene.coordinator).get(f"/n/{scene.network.slug}/export/archive.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    data = json.loads(archive.read("data/network.json"))
    polls = {poll["title"]: poll for poll in data["polls"]}
    assert polls["Sondage visible"]["answers"][0]["comment"] == "Oui pour moi"
    assert polls["Sondage visible"]["slots"][0]["yes"] == 1
    assert polls["Sondage discret"]["answers"] is None  # coordinators only: counts only
    assert polls["Sondage discret"]["slots"][0]["yes"] == 1
    page = archive.read("polls/index.html").decode()
    assert "Sondage visible" in page and "Oui pour moi" in page


def test_the_backup_holds_the_poll_tables(app, scene, make_poll, tmp_path):
    from workspace.backup.create import create_backup

    poll = make_poll()
    service.answer_poll(scene.paul, poll.id, {poll.slots[0].id: YES})
    db.session.commit()
    manifest = create_backup(tmp_path / "backup.tar")
    rows = {table["name"]: table["rows"] for table in manifest["tables"]}
    assert rows["polls"] == 1 and rows["poll_slots"] == 3
    assert rows["poll_answers"] == 1 and rows["poll_responses"] == 1


def test_in_an_open_network_outsiders_find_its_topics_but_not_its_polls(scene, make_poll):
    """An open network's content is found by every signed-in user, its polls by its members
    only: not in hits, totals, facets, nor as a "did you mean" word."""
    from tests.search.conftest import World, post
    from workspace.search.query import search

    scene.network.is_private = False
    db.session.commit()
    make_poll(title="Recensement zygomorphe des contrats",
              description="Le recensement des photocopieurs.")
    world = World(scene.paul, scene.coordinator, scene.outsider, scene.admin, scene.network,
                  None, None)
    post(world, "Le contrat zygomorphe du réseau ouvert.", title="Contrat ouvert")
    work_once()
    member = search(scene.paul, "zygomorphe")
    assert member.total == 2 and member.kinds == {"poll": 1, "post": 1}
    outsider = search(scene.outsider, "zygomorphe")
    assert outsider.total == 1 and outsider.kinds == {"post": 1}
    assert [hit.doc.kind for hit in outsider.hits] == ["post"]
    assert search(scene.outsider, "recensement").total == 0
    assert search(scene.outsider, "recensemant").suggestion is None
    assert search(scene.paul, "recensemant").suggestion == "recensement"
    assert search(scene.admin, "recensement").total == 1


def test_concluding_with_agenda_rows(scene, signed_in, make_poll):
    """The meeting form pre-filled by a poll takes its agenda as rows, buttons included."""
    poll = make_poll()
    chosen = poll.slots[0]
    client = signed_in(scene.coordinator)
    local = chosen.starts_at.astimezone(PARIS)
    data = {"slot": chosen.id, "title": "Réunion de rentrée",
            "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (local + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "location": "Mairie", "video_url": "", "description": "",
            "agenda-0-title": "Bilan", "agenda-0-presenter": "", "agenda-0-duration": "15"}
    page = text_of(client.post(_url(scene, f"{poll.id}/conclude"),
                               data={**data, "agenda_action": "add"}))
    assert 'name="agenda-1-title"' in page and 'value="Bilan"' in page
    assert db.session.scalar(select(Meeting)) is None
    assert client.post(_url(scene, f"{poll.id}/conclude"), data=data).status_code == 302
    meeting = db.session.scalar(select(Meeting))
    assert [(i.title, i.duration_minutes) for i in meeting.agenda] == [("Bilan", 15)]
