"""The activity page of a network and its private Atom feed: who may read them, what they
show, and what they never show."""
from __future__ import annotations

import re
from datetime import UTC

from defusedxml import ElementTree

from tests.activity.conftest import document, meeting, need, reply, topic
from tests.conftest import text_of as page_text
from workspace.activity.models import ActivityFeedToken
from workspace.extensions import db
from workspace.forums import service as forums
from workspace.networks.models import Membership

ATOM = "{http://www.w3.org/2005/Atom}"


def activity_url(space, query: str = "") -> str:
    return f"/n/{space.network.slug}/activity/{query}"


def settings_url(space) -> str:
    return f"/n/{space.network.slug}/activity/feed"


def issue_feed(client, space) -> str:
    """Ask for a feed address through the settings page; return its path."""
    response = client.post(settings_url(space), data={"issue": "1"})
    assert response.status_code == 200
    match = re.search(r'value="http://tilt\.test(/activity/feed/[^"]+\.atom)"',
                      response.get_data(as_text=True))
    assert match, "the new address is shown"
    return match.group(1)


def parse_feed(response):
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    return ElementTree.fromstring(response.data)


# --- the page ---------------------------------------------------------------------------

def test_member_sees_the_network_activity(space, signed_in):
    post = topic(space, "Quota des boîtes")
    reply(space, post, "Chez nous 50 Go.")
    document(space, "procedure.txt")
    need(space, "Formation GED")
    response = signed_in(space.member).get(activity_url(space))
    assert response.status_code == 200
    page = page_text(response)
    for text in ("Nouveau sujet", "Nouvelle réponse", "Chez nous 50 Go.", "Document ajouté",
                 "Procedure", "Besoin enregistré", "Formation GED"):
        assert text in page
    assert f'/n/{space.network.slug}/forum/p/{post.id}"' in response.get_data(as_text=True)
    assert page.index("Formation GED") < page.index("Quota des boîtes")  # newest first


def test_outsider_gets_404_and_anonymous_signs_in(space, other, signed_in, client):
    topic(space, "Secret")
    response = signed_in(other.member).get(activity_url(space))
    assert response.status_code == 404
    assert "Secret" not in response.get_data(as_text=True)
    anonymous = client.get(activity_url(space))
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_hidden_topic_not_shown_even_to_coordinators(space, signed_in):
    post = topic(space, "Sujet masqué")
    forums.set_topic_flag(space.coordinator, post.topic, "is_hidden", True)
    db.session.commit()
    for user in (space.member, space.coordinator):
        page = signed_in(user).get(activity_url(space)).get_data(as_text=True)
        assert "Sujet masqué" not in page


def test_older_activity_through_the_before_link(space, signed_in):
    for n in range(35):
        need(space, f"Besoin n°{n:02d}")
    client = signed_in(space.member)
    first = client.get(activity_url(space))
    html = first.get_data(as_text=True)
    assert "Besoin n°34" in html and "Besoin n°04" not in html
    [older] = re.findall(r'href="([^"]*\?before=[^"]+)"', html)
    second = page_text(client.get(older.replace("&amp;", "&")))
    assert "Besoin n°04" in second and "Besoin n°00" in second and "Besoin n°34" not in second
    assert "Revenir à l'activité la plus récente" in second


def test_a_bad_cursor_shows_the_latest_activity_with_a_message(space, signed_in):
    need(space, "Formation GED")
    client = signed_in(space.member)
    for raw in ("n'importe quoi", "99999999999999999999999.1.1", "1.9.1", "%00", "1.1.1" * 50):
        response = client.get(activity_url(space), query_string={"before": raw})
        assert response.status_code == 200
        page = page_text(response)
        assert "n'est pas valide" in page and "Formation GED" in page


def test_empty_network(space, signed_in):
    page = page_text(signed_in(space.member).get(activity_url(space)))
    assert "Aucune activité pour le moment." in page


# --- the private feed -------------------------------------------------------------------

def test_feed_is_valid_atom_with_absolute_links(space, signed_in, client, app):
    post = topic(space, "Quota des boîtes", "Quel **quota** ?")
    scheduled = meeting(space, "Réunion de rentrée")
    need(space, "Formation GED")
    path = issue_feed(signed_in(space.member), space)
    feed = parse_feed(client.get(path))  # a feed reader: no session
    assert feed.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{tag}").text
    assert feed.find(f"{ATOM}title").text == "Activité du réseau Réseau informatique"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 3
    for entry in entries:
        for tag in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{tag}").text, tag
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", entry.find(f"{ATOM}updated").text)
        assert entry.find(f"{ATOM}link").get("href").startswith("http://tilt.test/n/")
    ids = [entry.find(f"{ATOM}id").text for entry in entries]
    assert len(set(ids)) == 3
    links = {entry.find(f"{ATOM}title").text: entry.find(f"{ATOM}link").get("href")
             for entry in entries}
    assert links["Nouveau sujet : Quota des boîtes"] == (
        f"http://tilt.test/n/{space.network.slug}/forum/p/{post.id}")
    assert links["Réunion programmée : Réunion de rentrée"] == (
        f"http://tilt.test/n/{space.network.slug}/meetings/{scheduled.id}")
    content = entries[-1].find(f"{ATOM}content")
    assert content.get("type") == "html" and "<strong>quota</strong>" in content.text


def test_feed_escapes_what_members_type(space, signed_in, client):
    topic(space, "<script>alert(1)</script> & « guillemets » ]]>", "Texte <b>gras</b> & co")
    path = issue_feed(signed_in(space.member), space)
    response = client.get(path)
    feed = parse_feed(response)
    [entry] = feed.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == (
        "Nouveau sujet : <script>alert(1)</script> & « guillemets » ]]>")
    assert b"<script>" not in response.data
    assert "<b>" not in entry.find(f"{ATOM}content").text  # sanitised when the post was saved


def test_feed_never_shows_hidden_or_deleted_content(space, signed_in, client):
    hidden = topic(space, "Sujet masqué")
    kept = topic(space, "Sujet visible")
    gone = reply(space, kept, "Réponse supprimée")
    forums.set_topic_flag(space.coordinator, hidden.topic, "is_hidden", True)
    forums.delete_post(space.coordinator, gone)
    db.session.commit()
    path = issue_feed(signed_in(space.coordinator), space)  # even a moderator's feed
    data = client.get(path).get_data(as_text=True)
    assert "Sujet visible" in data
    assert "Sujet masqué" not in data and "Réponse supprimée" not in data


def test_only_the_token_hash_is_stored(space, signed_in):
    path = issue_feed(signed_in(space.member), space)
    token = path.rsplit("/", 1)[1].removesuffix(".atom")
    [row] = db.session.scalars(db.select(ActivityFeedToken)).all()
    assert row.token_hash != token and len(row.token_hash) == 64
    assert row.user_id == space.member.id and row.network_id == space.network.id


def test_address_shown_once_then_only_its_date(space, signed_in):
    client = signed_in(space.member)
    issue_feed(client, space)
    page = page_text(client.get(settings_url(space)))
    assert "/activity/feed/" not in page and "Adresse active depuis le" in page


def test_regenerate_and_revoke(space, signed_in, client):
    owner = signed_in(space.member)
    first = issue_feed(owner, space)
    second = issue_feed(owner, space)
    assert first != second
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    response = owner.post(settings_url(space), data={"revoke": "1"})
    assert response.status_code == 302
    assert client.get(second).status_code == 404
    assert "Vous n'avez pas d'adresse de flux active" in owner.get(
        settings_url(space)).get_data(as_text=True)


def test_feed_of_a_user_who_left_the_network_answers_404(space, signed_in, client):
    path = issue_feed(signed_in(space.member), space)
    assert client.get(path).status_code == 200
    db.session.execute(db.delete(Membership).where(Membership.user_id == space.member.id))
    db.session.commit()
    assert client.get(path).status_code == 404


def test_feed_of_a_disabled_account_answers_404(space, signed_in, client):
    path = issue_feed(signed_in(space.member), space)
    space.member.is_active = False
    db.session.commit()
    assert client.get(path).status_code == 404


def test_someone_elses_token_answers_404_to_a_signed_in_user(space, other, signed_in):
    path = issue_feed(signed_in(space.member), space)
    assert signed_in(space.coordinator).get(path).status_code == 404
    assert signed_in(other.member).get(path).status_code == 404
    assert signed_in(space.member).get(path).status_code == 200


def test_feed_tokens_are_per_network(space, other, signed_in, client, make_network):
    # a token of one network opens that network's feed only; another network's feed has
    # its own address
    both = make_network("Réseau voirie", members=[space.member])
    owner = signed_in(space.member)
    path = issue_feed(owner, space)
    response = owner.post(f"/n/{both.slug}/activity/feed", data={"issue": "1"})
    other_path = re.search(r'value="http://tilt\.test(/activity/feed/[^"]+\.atom)"',
                           response.get_data(as_text=True)).group(1)
    topic(space, "Chez informatique")
    assert "Chez informatique" in client.get(path).get_data(as_text=True)
    assert "Chez informatique" not in client.get(other_path).get_data(as_text=True)
    assert client.get(path).status_code == 200  # issuing for another network revoked nothing


def test_bad_tokens_answer_404(client):
    for token in ("x", "a" * 43, "a" * 500, "%C3%A9" * 10, "..%2F..%2Fetc", "a b"):
        assert client.get(f"/activity/feed/{token}.atom").status_code == 404


def test_outsider_cannot_make_a_feed_of_a_private_network(space, other, signed_in):
    client = signed_in(other.member)
    assert client.get(settings_url(space)).status_code == 404
    assert client.post(settings_url(space), data={"issue": "1"}).status_code == 404
    assert db.session.scalar(db.select(db.func.count(ActivityFeedToken.id))) == 0


def test_activity_page_runs_the_same_statements_whatever_the_data(space, signed_in):
    from tests.forums.helpers import count_statements

    client = signed_in(space.member)

    def statements() -> int:
        with count_statements() as seen:
            assert client.get(activity_url(space)).status_code == 200
        return len(seen)

    post = topic(space, "Premier")
    reply(space, post)
    small = statements()
    for n in range(20):
        post = topic(space, f"Sujet {n}", author=space.colleague)
        reply(space, post)
        document(space, f"doc{n}.txt", f"contenu {n}".encode())
        meeting(space, f"Réunion {n}")
        need(space, f"Besoin {n}")
    assert statements() == small


def test_feed_of_an_archived_network_or_one_made_private_answers_404(
        space, other, signed_in, client, make_network):
    open_network = make_network("Réseau ouvert", is_private=False)
    reader = signed_in(other.member)  # not a member: an open network is readable by all
    response = reader.post(f"/n/{open_network.slug}/activity/feed", data={"issue": "1"})
    path = re.search(r'value="http://tilt\.test(/activity/feed/[^"]+\.atom)"',
                     response.get_data(as_text=True)).group(1)
    assert client.get(path).status_code == 200
    open_network.is_private = True
    db.session.commit()
    assert client.get(path).status_code == 404

    member_path = issue_feed(signed_in(space.member), space)
    space.network.is_archived = True
    db.session.commit()
    assert client.get(member_path).status_code == 404


def test_activity_grouped_by_day_in_paris(space, signed_in):
    from datetime import datetime

    late = need(space, "Besoin de la nuit")
    late.created_at = datetime(2026, 3, 28, 23, 30, tzinfo=UTC)  # 00:30 in Paris
    early = need(space, "Besoin de la veille")
    early.created_at = datetime(2026, 3, 28, 8, 0, tzinfo=UTC)
    db.session.commit()
    html = page_text(signed_in(space.member).get(activity_url(space)))
    days = re.findall(r"<h3[^>]*>([^<]+)</h3>", html)
    assert days == ["dimanche 29 mars 2026", "samedi 28 mars 2026"]
    assert html.index("Besoin de la nuit") < html.index("samedi 28 mars 2026") < html.index(
        "Besoin de la veille")
