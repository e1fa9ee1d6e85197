"""The full export of a network: a ZIP that works offline, holds only what members may see
of that one network, and is refused to everyone but its coordinators and administrators."""
from __future__ import annotations

import io
import json
import posixpath
import zipfile
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import pytest

from tests.conftest import text_of
from workspace.documents import service as documents
from workspace.documents import uploads
from workspace.extensions import db
from workspace.forums import service as forums
from workspace.meetings import service as meetings
from workspace.needs import service as needs
from workspace.workshops import service as workshops

HIDDEN_WORDS = ["MESSAGE-SUPPRIME", "MESSAGE-MASQUE", "SUJET-MASQUE", "DOC-CORBEILLE",
                "DOSSIER-CORBEILLE", "SECRET-B"]


@pytest.fixture
def world(app, make_user, make_network, make_organisation):
    commune = make_organisation("Allonnes")
    coordinator = make_user(organisation_id=commune.id)
    member = make_user(organisation_id=commune.id)
    outsider = make_user()
    network = make_network("Réseau informatique", members=[member], coordinators=[coordinator])
    other = make_network("Réseau patrimoine", coordinators=[outsider])
    category = forums.save_category(coordinator, network, None, name="Sauvegardes")
    first = forums.create_topic(member, category, "Stratégie <de> sauvegarde",
                                "**Gras** [le forum](/n/reseau-informatique/forum/) "
                                "<script>alert('x')</script> [piège](javascript:alert(1))")
    deleted = forums.reply(member, first.topic, "MESSAGE-SUPPRIME")
    hidden = forums.reply(member, first.topic, "MESSAGE-MASQUE")
    forums.reply(coordinator, first.topic, "Réponse visible")
    db.session.flush()
    forums.delete_post(member, deleted)
    forums.set_post_hidden(coordinator, hidden, True)
    secret = forums.create_topic(member, category, "SUJET-MASQUE", "contenu du sujet masqué")
    forums.set_topic_flag(coordinator, secret.topic, "is_hidden", True)
    start = datetime(2030, 1, 10, 9, tzinfo=UTC)
    meeting = meetings.save_meeting(coordinator, network, None, meetings.MeetingData(
        title="Comité technique", description="", starts_at=start,
        ends_at=start + timedelta(hours=2), location="Le Mans"))
    db.session.flush()
    meetings.save_minutes(member, meeting, "COMPTE-RENDU-VISIBLE")
    meetings.add_decision(coordinator, meeting, "Adopter la sauvegarde 3-2-1")
    workshop = workshops.save_workshop(coordinator, network, None, workshops.WorkshopData(
        theme="Énergie", title="Chaudières", description="Atelier *pratique*",
        starts_at=start, ends_at=start + timedelta(hours=2), location="Mulsanne",
        capacity=10, seats_per_commune=None, registration_deadline=start - timedelta(days=1)))
    db.session.flush()
    workshops.save_notes(member, workshop, "NOTES-ATELIER")
    needs.create_need(member, network, "Formation GED", "Besoin partagé")
    trashed_folder = documents.create_folder(member, network, None, "DOSSIER-CORBEILLE")
    [kept, trashed] = uploads.upload_documents(member, network, None, [
        ("rapport final.txt", uploads.incoming_bytes(b"contenu du rapport")),
        ("DOC-CORBEILLE.txt", uploads.incoming_bytes(b"jete"))]).created
    uploads.upload_documents(member, network, trashed_folder, [
        ("dans-dossier.txt", uploads.incoming_bytes(b"DOSSIER-CORBEILLE"))])
    documents.trash_document(member, trashed)
    documents.trash_folder(member, trashed_folder)
    other_category = forums.save_category(outsider, other, None, name="Patrimoine")
    forums.create_topic(outsider, other_category, "SECRET-B", "SECRET-B contenu")
    uploads.upload_documents(outsider, other, None, [
        ("secret-b.txt", uploads.incoming_bytes(b"SECRET-B fichier"))])
    db.session.commit()
    return {"network": network, "coordinator": coordinator, "member": member,
            "outsider": outsider, "kept": kept}


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts += 1
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def download(client, login, user, slug="reseau-informatique") -> zipfile.ZipFile:
    login(client, user)
    response = client.get(f"/n/{slug}/export/archive.zip")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.data))


def test_every_relative_link_resolves_inside_the_archive(client, login, world):
    archive = download(client, login, world["coordinator"])
    names = set(archive.namelist())
    pages = [name for name in names if name.endswith(".html")]
    assert {"index.html", "forum/index.html", "meetings/index.html", "workshops/index.html",
            "needs/index.html", "documents/index.html"} <= names
    checked = 0
    for page in pages:
        parser = Links()
        parser.feed(archive.read(page).decode())
        assert parser.scripts == 0, page
        for link in parser.links:
            parts = urlsplit(link)
            assert parts.scheme != "javascript", (page, link)
            if parts.scheme or link.startswith("#"):
                continue  # links to the site itself (absolute) and anchors
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page),
                                                       unquote(parts.path)))
            assert target in names, f"{page}: {link} -> {target} is not in the archive"
            checked += 1
    assert checked > 30


def test_the_export_holds_the_visible_content_and_the_files(client, login, world):
    archive = download(client, login, world["coordinator"])
    text = "\n".join(archive.read(name).decode() for name in archive.namelist()
                     if name.endswith((".html", ".json")))
    for visible in ("Réponse visible", "COMPTE-RENDU-VISIBLE", "Adopter la sauvegarde 3-2-1",
                    "NOTES-ATELIER", "Formation GED", "rapport final.txt",
                    "<strong>Gras</strong>", "Stratégie &lt;de&gt; sauvegarde"):
        assert visible in text, visible
    kept = world["kept"]
    path = f"documents/files/{kept.id}/rapport final.txt"
    assert archive.read(path) == b"contenu du rapport"
    assert f'href="../documents/files/{kept.id}/rapport%20final.txt"' in archive.read(
        "documents/index.html").decode()
    assert 'href="http://tilt.test/n/reseau-informatique/forum/"' in text  # offline: absolute
    data = json.loads(archive.read("data/network.json"))
    topics = [t["title"] for c in data["forum"] for t in c["topics"]]
    assert topics == ["Stratégie <de> sauvegarde"]
    posts = [p["body"] for p in data["forum"][0]["topics"][0]["posts"]]
    assert len(posts) == 2 and posts[1] == "Réponse visible"
    assert [d["file"] for d in data["documents"]] == [path]
    assert data["meetings"][0]["minutes"] == "COMPTE-RENDU-VISIBLE"


def test_no_hidden_deleted_or_other_network_content(client, login, world):
    archive = download(client, login, world["coordinator"])
    for name in archive.namelist():
        content = archive.read(name).decode(errors="replace")
        for word in HIDDEN_WORDS:
            assert word not in content, f"{word} found in {name}"
        if name.endswith(".html"):
            parser = Links()
            parser.feed(content)
            assert parser.scripts == 0 and "<script" not in content.lower(), name
            assert not [link for link in parser.links if "javascript" in link.lower()], name
    data = json.loads(archive.read("data/network.json"))
    rendered = data["forum"][0]["topics"][0]["posts"][0]["body_html"]
    assert "<script" not in rendered and 'href="javascript' not in rendered
    assert "&lt;script&gt;" in rendered  # shown as text, never run
    assert not [n for n in archive.namelist() if "secret" in n.lower() or "CORBEILLE" in n]


@pytest.mark.parametrize("path", ["/", "/archive.zip"])
def test_outsiders_get_404_and_members_403(client, login, world, path):
    url = f"/n/reseau-informatique/export{path}"
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    login(client, world["outsider"])
    assert client.get(url).status_code == 404
    client.post("/logout")
    login(client, world["member"])
    assert client.get(url).status_code == 403


def test_the_coordinator_page_counts_and_links_the_download(client, login, world):
    login(client, world["coordinator"])
    response = client.get("/n/reseau-informatique/export/")
    assert response.status_code == 200
    page = text_of(response)
    assert "1 sujet de forum" in page and "1 document" in page
    assert "/n/reseau-informatique/export/archive.zip" in page
    assert "/n/reseau-informatique/export/" in text_of(client.get("/n/reseau-informatique/"))


def test_export_network_command(app, runner, world, tmp_path):
    result = runner.invoke(args=["backup", "export-network", "reseau-informatique",
                                 str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "2 posts" in result.output and "1 documents" in result.output
    archive = zipfile.ZipFile(tmp_path / "reseau-informatique-export.zip")
    assert "forum/index.html" in archive.namelist()
    again = runner.invoke(args=["backup", "export-network", "reseau-informatique",
                                str(tmp_path)])
    assert again.exit_code != 0 and "already exists" in again.output
    unknown = runner.invoke(args=["backup", "export-network", "inconnu", str(tmp_path)])
    assert unknown.exit_code != 0 and "No network" in unknown.output
