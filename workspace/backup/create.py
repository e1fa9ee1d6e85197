"""`flask backup create`: a consistent archive of the database and the files, site running.

The rows are read inside ONE snapshot: on PostgreSQL a REPEATABLE READ READ ONLY
transaction; on SQLite, SQLite's online backup API copies the database to a temporary file
in one step (a read transaction: in WAL mode writers go on meanwhile) and the copy is read at
leisure. Files are immutable and written before their row, so every file the snapshot's
`blobs` rows name exists: exactly those are copied, each re-hashed on the way.
"""
from __future__ import annotations

import gzip
import io
import json
import os
import sqlite3
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from alembic.migration import MigrationContext
from sqlalchemy import Connection, create_engine, select
from sqlalchemy.pool import NullPool

from workspace.backup.archive import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    NOT_BACKED_UP,
    BackupError,
    HashingReader,
    dumps_line,
    encode,
    file_member,
    script_directory,
    table_member,
    type_tag,
)
from workspace.extensions import db

Progress = Callable[[str], None]


def _quiet(message: str) -> None:
    pass


def default_backup_name(now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    return f"tilt-backup-{now:%Y%m%dT%H%M%SZ}.tar"


@contextmanager
def snapshot(work_dir: Path) -> Iterator[Connection]:
    """A connection whose reads all see the database as it was at one instant."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        with engine.connect().execution_options(**options) as connection:
            with connection.begin():
                yield connection
        return
    if engine.dialect.name != "sqlite":
        raise BackupError(f"Unsupported database engine: {engine.dialect.name}.")
    copy = work_dir / "snapshot.sqlite"
    with engine.connect() as live:
        source = live.connection.driver_connection
        target = sqlite3.connect(copy)
        try:
            source.backup(target)  # all pages in one step: one consistent read
        finally:
            target.close()
    snapshot_engine = create_engine(f"sqlite:///{copy}", poolclass=NullPool)
    try:
        with snapshot_engine.connect() as connection:
            yield connection
    finally:
        snapshot_engine.dispose()


def _dump_table(connection: Connection, table, target: Path) -> tuple[int, str]:
    """Write one table as gzipped JSON lines; return (rows, SHA-256 of the file)."""
    tags = [type_tag(column.type) for column in table.columns]
    query = select(table).order_by(*table.primary_key.columns)
    rows = 0
    with open(target, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(dumps_line({"table": table.name, "columns": [c.name for c in table.columns],
                              "types": tags}))
        result = connection.execution_options(yield_per=1000).execute(query)
        for row in result:
            try:
                out.write(dumps_line([encode(tag, value)
                                      for tag, value in zip(tags, row, strict=False)]))
            except TypeError as error:
                raise BackupError(f"Table {table.name}: a value cannot be written "
                                  f"({error}).") from error
            rows += 1
    from workspace.documents.storage import file_sha256

    return rows, file_sha256(target)


def _dump_database(connection: Connection, work_dir: Path, progress: Progress) -> dict:
    revision = MigrationContext.configure(connection).get_current_revision()
    head = script_directory().get_current_head()
    if revision != head:  # the models below describe the newest schema only
        raise BackupError(f"The database is at schema revision {revision}, this version of "
                          f"Tilt expects {head}: run `flask db upgrade` first.")
    tables = []
    for table in db.metadata.sorted_tables:
        if table.name in NOT_BACKED_UP:
            continue
        path = work_dir / f"{table.name}.jsonl.gz"
        rows, sha256 = _dump_table(connection, table, path)
        tables.append({"name": table.name, "rows": rows, "sha256": sha256,
                       "size": path.stat().st_size})
        progress(f"table {table.name}: {rows} rows")
    blobs = db.metadata.tables["blobs"]
    files = [{"sha256": sha, "size": size} for sha, size in connection.execute(
        select(blobs.c.sha256, blobs.c.size).order_by(blobs.c.sha256))]
    return {"format": FORMAT, "version": FORMAT_VERSION,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "alembic_revision": revision, "dialect": connection.dialect.name,
            "tables": tables, "files": files,
            "file_bytes": sum(item["size"] for item in files)}


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(mtime), 0o600
    archive.addfile(info, io.BytesIO(data))


def _add_stored_file(archive: tarfile.TarFile, item: dict) -> None:
    """Copy one file of the store, checking it still is what its name says."""
    from workspace.documents.storage import blob_path

    sha256, size = item["sha256"], item["size"]
    path = blob_path(sha256)
    try:
        handle = open(path, "rb")
    except FileNotFoundError as error:
        raise BackupError(f"File {sha256} is missing from the store ({path}); "
                          f"run `flask documents check`.") from error
    with handle:
        actual = os.fstat(handle.fileno()).st_size
        if actual != size:
            raise BackupError(f"File {sha256} has {actual} bytes, its row says {size}: "
                              f"the store is damaged; run `flask documents check`.")
        info = tarfile.TarInfo(file_member(sha256))
        info.size, info.mtime, info.mode = size, int(time.time()), 0o600
        reader = HashingReader(handle)
        archive.addfile(info, reader)
        if reader.sha256 != sha256:
            raise BackupError(f"File {sha256} no longer matches its hash: the store is "
                              f"damaged; run `flask documents check`.")


def create_backup(destination: Path, progress: Progress = _quiet) -> dict:
    """Write a complete backup to `destination` (a .tar file); return its manifest.

    The archive is written under a temporary name and renamed once complete and synced:
    an interrupted backup never leaves a file that looks like a good one."""
    destination = Path(destination)
    if destination.is_dir():
        destination = destination / default_backup_name()
    if not destination.parent.is_dir():
        raise BackupError(f"Folder {destination.parent} does not exist.")
    if destination.exists():
        raise BackupError(f"{destination} already exists; choose another name.")
    partial = destination.with_name(destination.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="tilt-backup-", dir=destination.parent) as tmp:
        work_dir = Path(tmp)
        started = time.monotonic()
        with snapshot(work_dir) as connection:
            progress("snapshot taken; writing tables")
            manifest = _dump_database(connection, work_dir, progress)
        snapshot_file = work_dir / "snapshot.sqlite"
        if snapshot_file.exists():
            snapshot_file.unlink()
        try:
            _write_archive(partial, manifest, work_dir, progress)
            os.replace(partial, destination)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    manifest["seconds"] = round(time.monotonic() - started, 2)
    manifest["path"] = str(destination)
    return manifest


def _write_archive(partial: Path, manifest: dict, work_dir: Path, progress: Progress) -> None:
    now = time.time()
    with open(partial, "wb") as raw:
        with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1).encode(), now)
            for table in manifest["tables"]:
                archive.add(work_dir / f"{table['name']}.jsonl.gz",
                            arcname=table_member(table["name"]))
            total = len(manifest["files"])
            for done, item in enumerate(manifest["files"], 1):
                _add_stored_file(archive, item)
                if done % 100 == 0 or done == total:
                    progress(f"files: {done}/{total}")
        raw.flush()
        os.fsync(raw.fileno())
