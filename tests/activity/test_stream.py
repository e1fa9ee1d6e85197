"""The activity stream read from the features' tables: every kind of event, newest first,
nothing hidden, deleted or trashed, and a "before" cursor that neither skips nor repeats."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.activity.conftest import (
    delete_document,
    document,
    meeting,
    need,
    new_version,
    reply,
    topic,
    workshop,
)
from workspace.activity.stream import Cursor, read_stream
from workspace.documents import service as documents
from workspace.extensions import db
from workspace.forums import service as forums
from workspace.meetings import service as meetings
from workspace.workshops import service as workshops


def _kinds(events) -> list[tuple[str, str]]:
    return [(event.kind, event.title) for event in events]


def test_every_kind_newest_first(space):
    first = topic(space, "Quota des boîtes")
    reply(space, first)
    made = document(space, "procedure.txt")
    new_version(space, made, comment="Mise à jour")
    scheduled = meeting(space, "Réunion de rentrée")
    meetings.save_minutes(space.coordinator, scheduled, "Présents : **tous**.")
    opened = workshop(space, "Chaudières")
    workshops.save_notes(space.coordinator, opened, "Notes de l'atelier")
    need(space, "Formation GED")
    db.session.commit()

    events = read_stream([space.network]).events
    assert _kinds(events) == [
        ("need", "Formation GED"), ("notes", "Chaudières"), ("workshop", "Chaudières"),
        ("minutes", "Réunion de rentrée"), ("meeting", "Réunion de rentrée"),
        ("version", "Procedure"), ("document", "Procedure"),
        ("reply", "Quota des boîtes"), ("topic", "Quota des boîtes")]
    instants = [event.at for event in events]
    assert instants == sorted(instants, reverse=True)
    by_kind = {event.kind: event for event in events}
    assert by_kind["reply"].actor.id == space.coordinator.id
    assert by_kind["reply"].excerpt == "50 Go chez nous."
    assert by_kind["version"].detail == "2" and by_kind["version"].excerpt == "Mise à jour"
    assert by_kind["minutes"].values == {"meeting_id": scheduled.id, "_anchor": "minutes"}
    assert "<strong>tous</strong>" in by_kind["minutes"].html


def test_hidden_deleted_and_trashed_content_never_appears(space):
    hidden_topic = topic(space, "Sujet masqué")
    kept = topic(space, "Sujet visible")
    hidden_reply = reply(space, kept, "Réponse masquée")
    deleted_reply = reply(space, kept, "Réponse supprimée")
    forums.set_topic_flag(space.coordinator, hidden_topic.topic, "is_hidden", True)
    forums.set_post_hidden(space.coordinator, hidden_reply, True)
    forums.delete_post(space.coordinator, deleted_reply)
    db.session.commit()
    trashed = document(space, "jete.txt", b"jete")
    delete_document(space, trashed)
    parent = documents.create_folder(space.member, space.network, None, "Archives")
    child = documents.create_folder(space.member, space.network, parent, "2019")
    db.session.commit()
    nested = document(space, "ancien.txt", b"ancien", folder=child)
    document(space, "garde.txt", b"garde")
    documents.trash_folder(space.member, parent)
    db.session.commit()

    events = read_stream([space.network]).events
    titles = {event.title for event in events}
    excerpts = {event.excerpt for event in events}
    assert "Sujet masqué" not in titles
    assert {"Réponse masquée", "Réponse supprimée"}.isdisjoint(excerpts)
    assert {"jete", "ancien"}.isdisjoint(titles), (trashed.id, nested.id)
    assert {"Sujet visible", "Garde"} <= titles


def test_only_the_networks_asked_for(space, other):
    topic(space, "Chez nous")
    topic(other, "Chez eux")
    assert [e.title for e in read_stream([space.network]).events] == ["Chez nous"]
    assert read_stream([]).events == []


def test_before_cursor_neither_skips_nor_repeats_events_of_the_same_instant(space):
    same = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
    made = [need(space, f"Besoin {n}") for n in range(7)]
    for item in made:
        item.created_at = same
    first = topic(space, "Sujet du même instant")
    first.created_at = same
    db.session.commit()

    seen, cursor, pages = [], None, 0
    while True:
        page = read_stream([space.network], limit=3, before=cursor)
        seen.extend((event.kind, event.row_id) for event in page.events)
        pages += 1
        if page.next_cursor is None:
            break
        cursor = Cursor.decode(page.next_cursor.encode())  # through the URL and back
    assert pages == 3
    assert len(seen) == len(set(seen)) == 8
    assert seen[:7] == [("need", item.id) for item in sorted(made, key=lambda n: -n.id)]
    assert seen[7] == ("topic", first.id)


def test_since_keeps_only_newer_events(space):
    old = need(space, "Ancien besoin")
    old.created_at = datetime(2020, 1, 1, tzinfo=UTC)
    db.session.commit()
    need(space, "Nouveau besoin")
    page = read_stream([space.network], since=datetime(2021, 1, 1, tzinfo=UTC))
    assert [e.title for e in page.events] == ["Nouveau besoin"]


def test_cursor_round_trip():
    cursor = Cursor(datetime(2026, 11, 29, 23, 10, 15, 123456, tzinfo=UTC), 3, 42)
    assert Cursor.decode(cursor.encode()) == cursor


@pytest.mark.parametrize("raw", [
    "", "abc", "1.2", "1.2.3.4", "-1.2.3", "1.99.3", "1.2.0", "1.2.-3", "1e5.2.3",
    "9" * 30 + ".1.1", "1.1." + "9" * 40, "١٢.1.1", " 1.1.1", "1.1.1\n", "x" * 500])
def test_malformed_cursors_are_refused(raw):
    assert Cursor.decode(raw) is None


def test_meeting_and_workshop_cancelled_later_are_marked(space):
    scheduled = meeting(space)
    opened = workshop(space)
    meetings.cancel_meeting(space.coordinator, scheduled)
    opened.is_cancelled = True
    db.session.commit()
    details = {e.kind: e.detail for e in read_stream([space.network]).events}
    assert details["meeting"] == details["workshop"] == "cancelled"


def test_not_by_leaves_out_what_the_reader_did(space):
    post = topic(space, "Mon sujet")  # by the member
    reply(space, post, "Réponse du coordinateur")
    need(space, "Besoin d'un collègue", author=space.colleague)
    meeting(space, "Réunion")  # organised by the coordinator
    events = read_stream([space.network], not_by=space.member).events
    assert _kinds(events) == [("meeting", "Réunion"), ("need", "Besoin d'un collègue"),
                              ("reply", "Mon sujet")]
    assert len(read_stream([space.network], not_by=space.coordinator).events) == 2
