"""Uploads refused part-way leave nothing behind: no temporary file, no stored file, no row,
and the page says which limit was passed (too many files, too many parts, a field too long,
too large). The chunked body and the client that leaves mid-upload go through a real
Werkzeug server, the others through the test client; all use the application's streaming."""
from __future__ import annotations

import http.client
import io
import socket
import threading
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.serving import make_server

from tests.conftest import text_of
from workspace.documents.models import Blob, Document
from workspace.extensions import db
from workspace.forums.models import Category, Post
from workspace.tutorials.models import Tutorial

BOUNDARY = "tiltboundary7MA4YWxkTrZu0gW"


def _store(app) -> Path:
    return Path(app.config["DATA_DIR"]) / "files"


def _leftovers(app) -> list[str]:
    """Every file under the store: temporary uploads and stored blobs."""
    root = _store(app)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) \
        if root.exists() else []


def _rows() -> tuple[int, int]:
    db.session.expire_all()
    return (db.session.scalar(select(func.count(Document.id))),
            db.session.scalar(select(func.count()).select_from(Blob)))


def _files(count: int, size: int = 10, stem: str = "note") -> dict:
    return {"files": [(io.BytesIO(f"fichier {n} ".encode() + b"x" * size), f"{stem}{n}.txt")
                      for n in range(count)]}


def _multipart(parts: list[tuple[str, str | None, bytes]]) -> bytes:
    """A multipart body with its parts in this order: (field name, file name or None, data).
    (The test client puts fields before files; a refusal after the files needs this.)"""
    body = b""
    for name, filename, data in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"'
                                                     if filename is not None else "")
        body += f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode()
        body += data + b"\r\n"
    return body + f"--{BOUNDARY}--\r\n".encode()


def _post_parts(client, network, parts):
    return client.post(_upload_url(network), data=_multipart(parts),
                       content_type=f"multipart/form-data; boundary={BOUNDARY}")


def _upload_url(network) -> str:
    return f"/n/{network.slug}/documents/upload"


# --- through the test client ------------------------------------------------------------------

def test_more_files_than_the_cap_are_refused_early_and_leave_nothing(app, client, login,
                                                                      library):
    network, member, _, _ = library
    login(client, member)
    response = client.post(_upload_url(network), data=_files(25),
                           content_type="multipart/form-data")
    assert response.status_code == 413
    page = text_of(response)
    assert "Trop de fichiers" in page and "au plus 20 fichiers" in page
    assert "trop volumineux" not in page
    assert _leftovers(app) == [] and _rows() == (0, 0)


def test_the_cap_itself_is_accepted_and_is_configurable(app, client, login, library):
    network, member, _, _ = library
    login(client, member)
    response = client.post(_upload_url(network), data=_files(20),
                           content_type="multipart/form-data")
    assert response.status_code == 302 and _rows() == (20, 20)
    assert [p for p in _leftovers(app) if p.startswith("tmp")] == []
    app.config["UPLOAD_MAX_FILES"] = 3
    response = client.post(_upload_url(network), data=_files(4, size=20),
                           content_type="multipart/form-data")
    assert response.status_code == 413 and "au plus 3 fichiers" in text_of(response)
    assert _rows() == (20, 20)


def test_upload_page_tells_the_cap(client, login, library):
    network, member, _, _ = library
    login(client, member)
    page = text_of(client.get(_upload_url(network)))
    assert "20 fichiers au plus par envoi" in page and 'data-max-files="20"' in page


def test_too_many_parts_say_so_and_leave_no_file(app, client, login, library):
    network, member, _, _ = library
    login(client, member)
    files = [("files", f"note{n}.txt", b"contenu %d" % n) for n in range(15)]
    response = _post_parts(client, network, files + [(f"champ{n}", None, b"x")
                                                     for n in range(1200)])
    assert _leftovers(app) == [] and _rows() == (0, 0)
    assert response.status_code == 413
    page = text_of(response)
    assert "Formulaire trop long" in page and "plus de 1000 parties" in page


def test_a_field_too_long_says_so_and_leaves_no_file(app, client, login, library):
    network, member, _, _ = library
    login(client, member)
    files = [("files", f"note{n}.txt", b"contenu %d" % n) for n in range(3)]
    response = _post_parts(client, network, files + [("commentaire", None, b"x" * 600_000)])
    assert _leftovers(app) == [] and _rows() == (0, 0)
    assert response.status_code == 413
    assert "Champ trop long" in text_of(response) and "500 Ko" in text_of(response)


def test_a_malformed_body_leaves_no_file(app, client, login, library):
    network, member, _, _ = library
    login(client, member)
    body = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; "
            f"filename=\"a.txt\"\r\n\r\nbonjour\r\n--{BOUNDARY}\r\nX-Sans: disposition\r\n"
            f"\r\nrien\r\n--{BOUNDARY}--\r\n").encode()
    response = client.post(_upload_url(network), data=body,
                           content_type=f"multipart/form-data; boundary={BOUNDARY}")
    assert response.status_code in (200, 302, 400)
    assert _leftovers(app) == [] and _rows() == (0, 0)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(count=st.integers(min_value=0, max_value=26), fields=st.integers(0, 3),
       size=st.integers(min_value=1, max_value=3000))
def test_any_upload_leaves_no_temporary_file(app, client, login, library, count, fields, size):
    network, member, _, _ = library
    login(client, member)
    data = _files(count, size, stem=f"note-{uuid.uuid4().hex}-")  # never a name taken
    data.update({f"champ{n}": "valeur" for n in range(fields)})
    before = _rows()
    response = client.post(_upload_url(network), data=data, content_type="multipart/form-data")
    if count > 20:
        assert response.status_code == 413 and _rows() == before
    else:
        assert response.status_code in (200, 302)
        assert _rows()[0] == before[0] + count
    assert [p for p in _leftovers(app) if p.startswith("tmp")] == []


def test_forum_reply_with_too_many_attachments_stores_nothing(app, client, login, library):
    from workspace.forums import service as forums

    network, member, _, _ = library
    category = Category(network_id=network.id, name="Général", slug="general", position=1)
    db.session.add(category)
    db.session.flush()
    topic_id = forums.create_topic(member, category, "Sujet", "Premier message").topic_id
    db.session.commit()
    login(client, member)
    data = _files(21)
    data["body"] = "Ma réponse"
    response = client.post(f"/n/{network.slug}/forum/t/{topic_id}/reply", data=data,
                           content_type="multipart/form-data")
    assert response.status_code == 413 and "au plus 20 fichiers" in text_of(response)
    assert db.session.scalar(select(func.count(Post.id))) == 1
    assert _leftovers(app) == [] and _rows() == (0, 0)


def test_tutorial_with_too_many_files_stores_nothing(app, client, login, library):
    network, member, _, _ = library
    login(client, member)
    data = _files(21)
    data.update({"title": "Purger un radiateur", "body": "Étapes", "parent": "0"})
    response = client.post(f"/n/{network.slug}/tutoriels/new", data=data,
                           content_type="multipart/form-data")
    assert response.status_code == 413 and "au plus 20 fichiers" in text_of(response)
    assert db.session.scalar(select(func.count(Tutorial.id))) == 0
    assert _leftovers(app) == [] and _rows() == (0, 0)


# --- through a real server ----------------------------------------------------------------

@pytest.fixture
def server(app):
    """A real Werkzeug server for one request at a time: `server.handle_one()` returns the
    thread that serves the next request; joining it means the request is over."""
    httpd = make_server("127.0.0.1", 0, app, threaded=False)

    def handle_one() -> threading.Thread:
        thread = threading.Thread(target=httpd.handle_request)
        thread.start()
        return thread

    httpd.handle_one = handle_one
    yield httpd
    httpd.server_close()


def _cookie(client) -> str:
    return f"tilt_session={client.get_cookie('tilt_session').value}"


def _part_head(name: str = "note.txt") -> bytes:
    return (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; "
            f"filename=\"{name}\"\r\nContent-Type: text/plain\r\n\r\n").encode()


def test_chunked_body_over_the_limit_is_refused_and_leaves_nothing(app, client, login,
                                                                   library, server):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    network, member, _, _ = library
    login(client, member)
    serving = server.handle_one()
    connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=60)
    connection.putrequest("POST", _upload_url(network))
    connection.putheader("Content-Type", f"multipart/form-data; boundary={BOUNDARY}")
    connection.putheader("Transfer-Encoding", "chunked")
    connection.putheader("Cookie", _cookie(client))
    connection.endheaders()

    def chunk(data: bytes) -> None:
        connection.send(b"%x\r\n%s\r\n" % (len(data), data))

    try:
        chunk(_part_head("premier.txt") + b"a" * 200_000 + b"\r\n")
        chunk(_part_head("second.txt"))
        for _ in range(30):  # 1.5 MB in all: over the 1 MB limit
            chunk(b"b" * 50_000)
        chunk(f"\r\n--{BOUNDARY}--\r\n".encode())
        connection.send(b"0\r\n\r\n")
    except OSError:
        pass  # the server may close once it has refused: the answer is still read below
    response = connection.getresponse()
    page = response.read().decode()
    connection.close()
    serving.join(timeout=60)
    assert _leftovers(app) == [] and _rows() == (0, 0)
    assert response.status == 413
    assert "Fichier trop volumineux" in page and "1 Mo par envoi" in page


def test_client_gone_mid_upload_leaves_nothing(app, client, login, library, server):
    network, member, _, _ = library
    login(client, member)
    serving = server.handle_one()
    head = _part_head("coupure.txt")
    with socket.create_connection(("127.0.0.1", server.server_port), timeout=30) as sock:
        sock.sendall((f"POST {_upload_url(network)} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      f"Cookie: {_cookie(client)}\r\n"
                      f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
                      f"Content-Length: {2_000_000}\r\n\r\n").encode())
        sock.sendall(head + b"c" * 600_000)  # a third of what was announced, then gone
    serving.join(timeout=60)
    assert not serving.is_alive()
    assert _leftovers(app) == [] and _rows() == (0, 0)
