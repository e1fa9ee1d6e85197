"""The disk fills during an upload: a real full disk (the store on a 2 MB tmpfs), not a mock
of the write. The person gets a French 507 page, no temporary file is left, no row is kept,
and the space is free again for the next upload."""
from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import require, text_of
from workspace.documents.models import Blob, Document
from workspace.extensions import db


@pytest.fixture
def tiny_store(app):
    """DATA_DIR/files on a 2 MB tmpfs, unmounted afterwards."""
    root = Path(app.config["DATA_DIR"]) / "files"
    root.mkdir(parents=True, exist_ok=True)
    mounted = os.geteuid() == 0 and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(root)],
        capture_output=True, check=False).returncode == 0
    require(mounted, "mounting a 2 MB tmpfs needs root and mount rights (a full disk is "
                     "tested for real, not mocked)")
    yield root
    # lazy: a file left open by a failing upload must not keep the mount after the test
    subprocess.run(["umount", "--lazy", str(root)], check=True)


def _send(client, network, *files):
    data = {"files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post(f"/n/{network.slug}/documents/upload", data=data,
                       content_type="multipart/form-data")


def _everything(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def _rows() -> tuple[int, int]:
    db.session.expire_all()
    return (db.session.scalar(select(func.count(Document.id))),
            db.session.scalar(select(func.count()).select_from(Blob)))


def _used_kib(root: Path) -> int:
    stats = os.statvfs(root)
    return (stats.f_blocks - stats.f_bfree) * stats.f_frsize // 1024


def test_full_disk_gives_507_and_leaves_nothing(tiny_store, client, login, library):
    network, member, _, _ = library
    login(client, member)
    response = _send(client, network, ("gros.txt", b"x" * (3 * 1024 * 1024)))
    assert response.status_code == 507
    page = text_of(response)
    assert "Espace disque insuffisant" in page and "rien n'a été enregistré" in page
    assert _everything(tiny_store) == [] and _rows() == (0, 0)
    assert _used_kib(tiny_store) < 64  # the partial file's space is given back


def test_the_disk_filling_on_the_second_file_removes_the_first_too(tiny_store, client, login,
                                                                     library):
    network, member, _, _ = library
    login(client, member)
    response = _send(client, network, ("premier.txt", b"a" * 1_200_000),
                     ("second.txt", b"b" * 1_200_000))
    assert response.status_code == 507
    assert _everything(tiny_store) == [] and _rows() == (0, 0)
    # the room is there again: the same first file alone is accepted
    response = _send(client, network, ("premier.txt", b"a" * 1_200_000))
    assert response.status_code == 302 and _rows() == (1, 1)
    stored = _everything(tiny_store)
    assert len(stored) == 1 and stored[0].parent.name != "tmp"


def test_javascript_upload_gets_the_reason(tiny_store, client, login, library):
    network, member, _, _ = library
    login(client, member)
    response = client.post(f"/n/{network.slug}/documents/upload",
                           data={"files": [(io.BytesIO(b"y" * 2_500_000), "gros.txt")]},
                           content_type="multipart/form-data",
                           headers={"X-Requested-With": "XMLHttpRequest"})
    assert response.status_code == 507
    assert '<p class="lead">Le serveur manque d' in response.get_data(as_text=True)
    assert _everything(tiny_store) == []
