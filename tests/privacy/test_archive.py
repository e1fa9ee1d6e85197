"""The personal-data archive: everything about the member, their posts and files, and
nobody else's."""
from __future__ import annotations

import io
import json
import zipfile

from sqlalchemy import select

from tests.privacy.conftest import meeting, topic, upload, workshop
from workspace.auth.models import LoginSession
from workspace.calendar.feeds import issue_feed_token
from workspace.documents import uploads
from workspace.extensions import db
from workspace.forums import service as forums
from workspace.meetings import service as meetings
from workspace.needs import service as needs
from workspace.privacy import archive
from workspace.privacy.models import AuditEvent
from workspace.workshops import service as workshops


def _open(data: bytes) -> tuple[zipfile.ZipFile, dict]:
    zf = zipfile.ZipFile(io.BytesIO(data))
    assert zf.testzip() is None
    return zf, json.loads(zf.read("donnees.json"))


def _download(signed_in, user):
    response = signed_in(user).post("/account/data/archive")
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith("attachment")
    return _open(response.data)


def test_archive_holds_my_posts_and_files_and_nobody_elses(world, signed_in):
    mine = topic(world, world.leaver, "Migration Zimbra", "Ma question sur les quotas")
    forums.reply(world.leaver, mine.topic, "Ma précision du mardi")
    theirs = topic(world, world.colleague, "Sauvegardes", "Le texte secret de Marc")
    forums.reply(world.colleague, mine.topic, "Réponse de Marc dans mon sujet")
    db.session.commit()
    my_doc = upload(world, world.leaver, "inventaire.csv", b"poste;commune\nPC-12;Allonnes\n")
    uploads.upload_version(world.leaver, my_doc, "inventaire.csv",
                           uploads.incoming_bytes(b"poste;commune\nPC-13;Allonnes\n"))
    upload(world, world.colleague, "marc.txt", b"fichier confidentiel de Marc")
    db.session.commit()

    zf, data = _download(signed_in, world.leaver)
    bodies = [post["body"] for post in data["forum"]["posts"]]
    assert bodies == ["Ma question sur les quotas", "Ma précision du mardi"]
    assert [t["title"] for t in data["forum"]["topics"]] == ["Migration Zimbra"]
    assert all(p["link"].startswith("http://tilt.test/n/informatique/forum")
               for p in data["forum"]["posts"])
    raw = zf.read("donnees.json").decode()
    assert "Marc" not in raw and theirs.body not in raw and "Réponse de Marc" not in raw
    files = sorted(name for name in zf.namelist() if name.startswith("fichiers/"))
    assert files == [f"fichiers/{my_doc.id}-v1-inventaire.csv",
                     f"fichiers/{my_doc.id}-v2-inventaire.csv"]
    assert zf.read(files[0]) == b"poste;commune\nPC-12;Allonnes\n"
    assert zf.read(files[1]) == b"poste;commune\nPC-13;Allonnes\n"
    assert all(b"Marc" not in zf.read(name) for name in zf.namelist())
    [document] = data["documents"]
    assert [v["file_in_archive"] for v in document["versions"]] == files
    assert document["versions"][0]["sha256"] and document["versions"][0]["size"] == 29


def test_the_archive_covers_every_kind_of_personal_data(world, signed_in):
    created = meeting(world)
    meetings.answer(world.leaver, created, "yes")
    meetings.add_action(world.coordinator, world.network, created, "Inventorier les postes",
                        owner_user=world.leaver)
    atelier = workshop(world)
    workshops.register(world.leaver, atelier.id)
    need = needs.create_need(world.leaver, world.network, "Former à la GED", "Pour 2031")
    post = topic(world, world.colleague, "Question", "Texte")
    forums.report_post(world.leaver, post, "Doublon")
    issue_feed_token(world.leaver)
    db.session.commit()

    zf, data = _download(signed_in, world.leaver)
    assert data["profile"]["email"] == world.leaver.email
    assert data["profile"]["phone"] == "02 43 00 11 22"
    assert [m["network"] for m in data["memberships"]] == ["Informatique"]
    assert data["meetings"]["answers"][0]["answer"] == "yes"
    assert data["meetings"]["action_items"][0]["title"] == "Inventorier les postes"
    assert data["workshops"]["registrations"][0]["status"] == "confirmed"
    assert data["needs"]["recorded"][0]["title"] == need.title
    assert data["forum"]["reports"][0]["reason"] == "Doublon"
    assert data["forum"]["read_positions"] == []
    assert len(data["calendar_feeds"]) == 1 and data["calendar_feeds"][0]["active"]
    assert data["login_sessions"][0]["user_agent"] is not None
    assert any(e["kind"] == "login" for e in data["audit_events"])
    # the secrets themselves never leave: no token hash, no password hash
    raw = zf.read("donnees.json").decode()
    hashes = [s.token_hash for s in db.session.scalars(select(LoginSession))]
    assert hashes and not any(h in raw for h in hashes)
    assert world.leaver.password_hash not in raw and "token_hash" not in raw
    assert "LISEZ-MOI.txt" in zf.namelist()


def test_the_download_is_recorded_and_throttled(world, signed_in, app):
    app.config["DATA_ARCHIVE_LIMIT"] = "2 per hour"
    client = signed_in(world.leaver)
    assert client.post("/account/data/archive").status_code == 200
    assert client.post("/account/data/archive").status_code == 200
    refused = client.post("/account/data/archive")
    assert refused.status_code == 429
    assert "réessayez dans une heure" in refused.get_data(as_text=True)
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.kind == "data_archive_downloaded")).all()
    assert len(events) == 2 and {e.subject_id for e in events} == {world.leaver.id}
    # another member is not held back by the first one's count
    assert signed_in(world.colleague).post("/account/data/archive").status_code == 200


def test_the_data_page_and_sign_in_requirement(world, signed_in, client):
    assert client.post("/account/data/archive").status_code == 302
    page = signed_in(world.leaver).get("/account/data")
    assert page.status_code == 200
    assert "Télécharger mes données" in page.get_data(as_text=True)


def test_file_names_are_safe_and_unique(world):
    assert archive.safe_name("../../etc/passwd") == "passwd"
    assert archive.safe_name("C:\\Users\\x\\Rapport final.PDF") == "Rapport-final.pdf"
    assert archive.safe_name("\u202eexe.txt") == "exe.txt"
    assert archive.safe_name("...") == "fichier"
    first = upload(world, world.leaver, "note.txt", b"premiere")
    uploads.upload_version(world.leaver, first, "note.txt", uploads.incoming_bytes(b"seconde"))
    second = upload(world, world.leaver, "note.txt", b"autre document")
    db.session.commit()
    _data, files = archive.collect(world.leaver)
    names = [name for _path, name in files]
    assert len(names) == len(set(names)) == 3
    assert all(name.startswith("fichiers/") and ".." not in name for name in names)
    assert f"fichiers/{second.id}-v1-note.txt" in names


def test_a_missing_stored_file_is_described_not_fatal(world, signed_in):
    from workspace.documents.storage import blob_path

    document = upload(world, world.leaver, "perdu.txt", b"contenu perdu")
    blob_path(document.current_version.blob_sha256).unlink()
    zf, data = _download(signed_in, world.leaver)
    assert data["documents"][0]["versions"][0]["file_in_archive"] is None
    assert not [n for n in zf.namelist() if n.startswith("fichiers/")]


def test_big_files_are_copied_without_growing_memory(world):
    """A 20 MB upload goes through the temporary file; peak Python memory stays small."""
    import tracemalloc

    data = b"".join(b"poste %08d;Allonnes;ok\n" % n for n in range(800_000))  # ~20 MB
    upload(world, world.leaver, "gros.txt", data)
    tracemalloc.start()
    spool = archive.archive_file(world.leaver)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    with spool:
        zf = zipfile.ZipFile(spool)
        [name] = [n for n in zf.namelist() if n.startswith("fichiers/")]
        assert zf.getinfo(name).file_size == len(data)
    assert peak < 8 * 1024 * 1024, peak
