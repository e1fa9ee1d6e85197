"""`flask backup create` stops with a clear message on a damaged store or a bad path, and
never leaves a file that looks like a finished backup."""
from __future__ import annotations

import pytest

from tests.backup.helpers import fill, site
from workspace.documents.storage import stored_files


@pytest.fixture
def source(tmp_path):
    app = site(f"sqlite:///{tmp_path / 'live.sqlite'}", tmp_path / "live")
    fill(app, posts=2, files=2)
    return app


def create(app, *args):
    return app.test_cli_runner().invoke(args=["backup", "create", *map(str, args)])


def one_stored_file(app):
    with app.app_context():
        return sorted(stored_files())[0]


def test_a_file_changed_in_the_store_stops_the_backup(source, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    one_stored_file(source).write_bytes(b"tampered")
    result = create(source, out / "backup.tar")
    assert result.exit_code != 0
    assert "the store is damaged" in result.output and "flask documents check" in result.output
    assert list(out.iterdir()) == []  # neither the archive nor its .partial


def test_a_missing_file_stops_the_backup(source, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    missing = one_stored_file(source)
    missing.unlink()
    result = create(source, out)
    assert result.exit_code != 0
    assert f"File {missing.name} is missing from the store" in result.output
    assert list(out.iterdir()) == []


def test_bad_destinations_are_refused(source, tmp_path):
    result = create(source, tmp_path / "nowhere" / "backup.tar")
    assert result.exit_code != 0 and "does not exist" in result.output
    (tmp_path / "taken.tar").write_bytes(b"keep me")
    result = create(source, tmp_path / "taken.tar")
    assert result.exit_code != 0 and "already exists" in result.output
    assert (tmp_path / "taken.tar").read_bytes() == b"keep me"


def test_a_folder_gets_a_dated_archive(source, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    result = create(source, out)
    assert result.exit_code == 0, result.output
    [archive] = list(out.iterdir())
    assert archive.name.startswith("tilt-backup-") and archive.suffix == ".tar"
    assert "2 files" in result.output


def test_a_database_behind_the_code_is_refused(source, tmp_path):
    from flask_migrate import downgrade

    with source.app_context():
        downgrade(revision="0009")
    result = create(source, tmp_path)
    assert result.exit_code != 0
    assert "revision 0009" in result.output and "flask db upgrade" in result.output
    assert not list(tmp_path.glob("tilt-backup-*"))
