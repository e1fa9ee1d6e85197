"""`flask backup create` while the site writes, then `flask backup restore` on an empty
machine: SQLite, PostgreSQL and across the two."""
from __future__ import annotations

import json
import tarfile

import pytest
from sqlalchemy import func, select

from tests.backup.helpers import PG_SERVER, Writer, fill, site, topics_consistent, wait_for
from tests.conftest import require
from tests.databases import postgres_available, temporary_postgres_database
from workspace.auth.models import User
from workspace.documents.jobs import known_blobs
from workspace.documents.storage import check_store
from workspace.extensions import db
from workspace.forums import service as forums
from workspace.forums.models import Post, Topic
from workspace.search.query import search


def _backup_while_writing(source, path) -> tuple[dict, int]:
    ids = fill(source)
    with Writer(source, ids) as writer:
        wait_for(writer, 5)
        before = writer.done
        result = source.test_cli_runner().invoke(args=["backup", "create", str(path)])
        during = writer.done - before
        wait_for(writer, 3)
    assert not writer.errors, writer.errors
    assert result.exit_code == 0, result.output
    with tarfile.open(path) as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())
    return manifest, during


def _check_restored(target, path, manifest) -> None:
    result = target.test_cli_runner().invoke(args=["backup", "restore", str(path)])
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output and "search" in result.output
    with target.app_context():
        report = check_store(known_blobs())
        assert report.missing == [] and report.mismatched == [] and report.orphans == []
        assert len(known_blobs()) == len(manifest["files"]) > 12
        for table in manifest["tables"]:
            count = db.session.scalar(select(func.count()).select_from(
                db.metadata.tables[table["name"]]))
            assert count == table["rows"], table["name"]
        assert topics_consistent()
        member = db.session.scalar(select(User).where(User.email == "membre@example.org"))
        found = search(member, "zéphyrin")
        assert [hit.doc.title for hit in found.hits] == ["Stratégie de sauvegarde"]
        assert search(member, "concurrent").total >= 1
        # the restored site takes new writes (PostgreSQL sequences moved past the ids)
        topic = db.session.scalars(select(Topic)).first()
        forums.reply(member, topic, "Après restauration")
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Post)) == 1 + next(
            t["rows"] for t in manifest["tables"] if t["name"] == "forum_posts")
        db.session.remove()
        db.engine.dispose()


def test_backup_during_writes_restores_on_an_empty_machine_sqlite(tmp_path):
    source = site(f"sqlite:///{tmp_path / 'live.sqlite'}", tmp_path / "live")
    manifest, during = _backup_while_writing(source, tmp_path / "backup.tar")
    assert during > 0, "the writer made no change while the backup ran"
    assert manifest["dialect"] == "sqlite" and manifest["alembic_revision"]
    target = site(f"sqlite:///{tmp_path / 'fresh.sqlite'}", tmp_path / "fresh", migrate=False)
    _check_restored(target, tmp_path / "backup.tar", manifest)


@pytest.mark.postgres
def test_backup_during_writes_restores_on_an_empty_machine_postgresql(tmp_path):
    require(postgres_available(PG_SERVER), "PostgreSQL is not reachable on 127.0.0.1:5432")
    with temporary_postgres_database(PG_SERVER, prefix="tilt_backup") as live_url, \
            temporary_postgres_database(PG_SERVER, prefix="tilt_restore") as fresh_url:
        source = site(live_url, tmp_path / "live")
        manifest, during = _backup_while_writing(source, tmp_path / "backup.tar")
        with source.app_context():
            db.engine.dispose()
        assert during > 0
        assert manifest["dialect"] == "postgresql"
        target = site(fresh_url, tmp_path / "fresh", migrate=False)
        _check_restored(target, tmp_path / "backup.tar", manifest)


@pytest.mark.postgres
def test_a_sqlite_backup_restores_on_postgresql(tmp_path):
    require(postgres_available(PG_SERVER), "PostgreSQL is not reachable on 127.0.0.1:5432")
    source = site(f"sqlite:///{tmp_path / 'live.sqlite'}", tmp_path / "live")
    manifest, _ = _backup_while_writing(source, tmp_path / "backup.tar")
    with temporary_postgres_database(PG_SERVER, prefix="tilt_cross") as fresh_url:
        target = site(fresh_url, tmp_path / "fresh")  # already migrated: same revision
        _check_restored(target, tmp_path / "backup.tar", manifest)
