"""Restore refuses what it must, says why, exits non-zero and leaves nothing half done."""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile

import pytest
from sqlalchemy import func, select

from tests.backup.helpers import fill, site
from workspace.backup.archive import NOT_BACKED_UP
from workspace.documents.storage import stored_files
from workspace.extensions import db
from workspace.forums.models import Post


@pytest.fixture
def backup(tmp_path):
    source = site(f"sqlite:///{tmp_path / 'live.sqlite'}", tmp_path / "live")
    fill(source, posts=5, files=3)
    path = tmp_path / "backup.tar"
    result = source.test_cli_runner().invoke(args=["backup", "create", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def target(tmp_path):
    return site(f"sqlite:///{tmp_path / 'fresh.sqlite'}", tmp_path / "fresh")


def restore(app, *args):
    return app.test_cli_runner().invoke(args=["backup", "restore", *map(str, args)])


def rows(app) -> int:
    with app.app_context():
        total = sum(db.session.scalar(select(func.count()).select_from(table))
                    for table in db.metadata.sorted_tables
                    if table.name not in NOT_BACKED_UP)  # the search log grows by a row
        db.session.remove()
        return total


def files(app) -> list:
    with app.app_context():
        return list(stored_files())


def rewrite(source, target, change) -> None:
    """Copy an archive, letting `change(name, data)` alter members (and fixing the manifest's
    hashes, so that only the change itself is wrong)."""
    with tarfile.open(source) as archive:
        members = [(m.name, archive.extractfile(m).read()) for m in archive.getmembers()]
    members = [(name, change(name, data)) for name, data in members]
    manifest = json.loads(members[0][1])
    for table in manifest["tables"]:
        data = dict(members)[f"tables/{table['name']}.jsonl.gz"]
        table["sha256"] = hashlib.sha256(data).hexdigest()
    members[0] = ("manifest.json", json.dumps(change("manifest", manifest) or manifest).encode())
    with tarfile.open(target, "w") as archive:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def test_a_non_empty_database_is_refused_without_force(backup, target):
    assert restore(target, backup).exit_code == 0
    before = rows(target)
    result = restore(target, backup)
    assert result.exit_code != 0
    assert "not empty" in result.output and "--force" in result.output
    assert rows(target) == before
    forced = restore(target, backup, "--force")
    assert forced.exit_code == 0, forced.output
    assert rows(target) == before


def test_a_truncated_archive_is_refused_before_touching_anything(backup, target, tmp_path):
    truncated = tmp_path / "truncated.tar"
    data = backup.read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    result = restore(target, truncated)
    assert result.exit_code != 0
    assert "corrupt or truncated" in result.output or "incomplete" in result.output
    assert "Traceback" not in result.output
    assert rows(target) == 0 and files(target) == []


def test_a_damaged_file_is_refused(backup, target, tmp_path):
    damaged = tmp_path / "damaged.tar"
    data = bytearray(backup.read_bytes())
    position = data.rindex(b"rapport ") + 3  # inside the last stored file
    data[position] ^= 0xFF
    damaged.write_bytes(bytes(data))
    result = restore(target, damaged)
    assert result.exit_code != 0
    assert "does not match its SHA-256" in result.output
    assert rows(target) == 0 and files(target) == []


@pytest.mark.parametrize(("content", "message"), [
    (b"", "corrupt or truncated"),
    (b"PK\x03\x04 not a tar at all", "corrupt or truncated"),
])
def test_a_file_that_is_no_backup_is_refused(target, tmp_path, content, message):
    path = tmp_path / "other.tar"
    path.write_bytes(content)
    result = restore(target, path)
    assert result.exit_code != 0 and message in result.output


def test_a_tar_without_manifest_is_refused(target, tmp_path):
    path = tmp_path / "plain.tar"
    with tarfile.open(path, "w") as archive:
        info = tarfile.TarInfo("notes.txt")
        info.size = 2
        archive.addfile(info, io.BytesIO(b"hi"))
    result = restore(target, path)
    assert result.exit_code != 0 and "not a Tilt backup" in result.output


def test_a_missing_path_is_refused(target, tmp_path):
    result = restore(target, tmp_path / "nowhere.tar")
    assert result.exit_code != 0 and "no such file" in result.output


def test_an_archive_of_an_unknown_revision_is_refused(backup, target, tmp_path):
    other = tmp_path / "future.tar"

    def future(name, data):
        if name == "manifest":
            data["alembic_revision"] = "9999_future"
            return data
        return data

    rewrite(backup, other, future)
    result = restore(target, other)
    assert result.exit_code != 0
    assert "9999_future" in result.output and "unknown to this version" in result.output
    assert rows(target) == 0


def test_a_database_at_another_revision_is_refused(backup, tmp_path):
    from flask_migrate import downgrade

    older = site(f"sqlite:///{tmp_path / 'older.sqlite'}", tmp_path / "older")
    with older.app_context():
        downgrade(revision="0009")
    result = restore(older, backup)
    assert result.exit_code != 0
    assert "revision 0009" in result.output and "without tables" in result.output


def test_a_failure_while_inserting_rolls_everything_back(backup, target, tmp_path):
    """Posts whose topic is not in the archive: the foreign key fails half-way through the
    inserts; nothing stays, neither rows nor files."""
    broken = tmp_path / "broken.tar"

    def drop_topics(name, data):
        if name == "tables/forum_topics.jsonl.gz":
            header = gzip.decompress(data).split(b"\n")[0]
            return gzip.compress(header + b"\n")
        return None if name == "manifest" else data

    rewrite(backup, broken, drop_topics)
    result = restore(target, broken)
    assert result.exit_code != 0
    assert "rolled back" in result.output
    assert rows(target) == 0 and files(target) == []
    with target.app_context():
        assert db.session.scalar(select(func.count()).select_from(Post)) == 0
        db.session.remove()


def test_a_restore_asks_every_host_to_rebuild_and_has_rebuilt_its_own(backup, target):
    """The change log is not in the backup: a restore keeps it and appends one row asking
    every host's follower to rebuild; the restoring host has rebuilt already."""
    from workspace.search.changes import REBUILD, SearchChange
    from workspace.search.cursor import load_cursor
    from workspace.search.follower import follow
    from workspace.search.indexer import check, index_dir

    assert restore(target, backup).exit_code == 0
    with target.app_context():
        marker = db.session.scalar(select(SearchChange).where(SearchChange.kind == REBUILD))
        assert marker is not None
        assert load_cursor(index_dir()).last_id >= marker.id  # not rebuilt a second time
        assert follow() == 0
        assert check() == ([], [])
        db.session.remove()
