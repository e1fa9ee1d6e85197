"""`flask backup restore`: check the whole archive, then restore rows and files at once.

1. Read the archive once: every table and file is copied to a staging folder inside the
   store (same file system) and re-hashed. Any damage stops here, before the database is
   touched.
2. Schema: the database must be at the backup's revision, or have no table at all (it is
   then created at that revision, restored, and upgraded to the newest).
3. ONE transaction: (with --force) delete every row; insert the rows in dependency order
   (foreign keys that point forward or to their own table are filled in afterwards); on
   PostgreSQL move the sequences past the restored ids; move the files into the store (before
   the commit: a row never exists without its file); commit. Any error rolls everything back.
4. Rebuild the search index from the restored rows.
"""
from __future__ import annotations

import gzip
import json
import os
import shutil
import tarfile
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path

from alembic.migration import MigrationContext
from sqlalchemy import (
    Connection,
    Integer,
    MetaData,
    Table,
    and_,
    bindparam,
    func,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.exc import SQLAlchemyError

from workspace.backup.archive import (
    CHUNK,
    MANIFEST,
    NOT_BACKED_UP,
    BackupError,
    HashingReader,
    check_manifest,
    decode,
    file_member,
    script_directory,
    table_member,
)
from workspace.core.models import utcnow
from workspace.extensions import db
from workspace.search.changes import REBUILD, SearchChange

Progress = Callable[[str], None]
BATCH = 500


def _quiet(message: str) -> None:
    pass


def restore_backup(source: Path, force: bool = False, progress: Progress = _quiet) -> dict:
    """Restore the database and the files from the archive at `source`; return a summary."""
    from workspace.documents.storage import store_root

    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source}: no such file.")
    started = time.monotonic()
    staging = Path(tempfile.mkdtemp(prefix="restore-", dir=store_root() / "tmp"))
    try:
        manifest = read_archive(source, staging, progress)
        created_schema = _prepare_schema(manifest["alembic_revision"], progress)
        rows = _restore_rows(manifest, staging, force, progress)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if created_schema:
        from flask_migrate import upgrade

        upgrade()  # the backup's revision to the newest, if they differ
    progress("rebuilding the search index")
    entries = _rebuild_search(progress)
    return {"rows": rows, "files": len(manifest["files"]), "search_entries": entries,
            "seconds": round(time.monotonic() - started, 2)}


# --- 1. the archive ---------------------------------------------------------------------

def read_archive(source: Path, staging: Path, progress: Progress = _quiet) -> dict:
    """Copy every table and file of the archive into `staging`, checking each hash and that
    nothing is missing or unexpected; return the manifest."""
    (staging / "tables").mkdir()
    (staging / "files").mkdir()
    try:
        with tarfile.open(source, mode="r:*") as archive:
            first = archive.next()
            if first is None or first.name != MANIFEST or not first.isfile():
                raise BackupError(f"{source} is not a Tilt backup (it does not start with "
                                  f"{MANIFEST}).")
            manifest = check_manifest(json.loads(archive.extractfile(first).read()))
            expected = {table_member(t["name"]): (staging / "tables" / t["name"], t["sha256"])
                        for t in manifest["tables"]}
            expected.update({file_member(f["sha256"]): (staging / "files" / f["sha256"],
                                                        f["sha256"])
                             for f in manifest["files"]})
            seen = _copy_members(archive, first, expected, progress)
    except (tarfile.TarError, EOFError, zlib.error, json.JSONDecodeError,
            UnicodeDecodeError) as error:
        raise BackupError(f"{source}: the archive is corrupt or truncated ({error}).") from error
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"{source}: the archive is incomplete, {len(missing)} entries "
                          f"missing (first: {missing[0]}).")
    progress(f"archive checked: {len(manifest['tables'])} tables, "
             f"{len(manifest['files'])} files")
    return manifest


def _copy_members(archive: tarfile.TarFile, first: tarfile.TarInfo, expected: dict,
                  progress: Progress) -> set[str]:
    seen: set[str] = set()
    for member in archive:  # iterating a TarFile starts again from its first member
        if member.offset == first.offset:
            continue
        if member.name not in expected or member.name in seen or not member.isfile():
            raise BackupError(f"Unexpected entry in the archive: {member.name!r}.")
        target, sha256 = expected[member.name]
        reader = HashingReader(archive.extractfile(member))
        with open(target, "wb") as out:
            while chunk := reader.read(CHUNK):
                out.write(chunk)
        if reader.sha256 != sha256:
            raise BackupError(f"{member.name}: the content does not match its SHA-256 "
                              f"(corrupt archive).")
        seen.add(member.name)
        if len(seen) % 200 == 0:
            progress(f"checked {len(seen)}/{len(expected)} entries")
    return seen


# --- 2. the schema ----------------------------------------------------------------------

def _prepare_schema(revision: str | None, progress: Progress) -> bool:
    """Make sure the database has the backup's schema; True when it was created here."""
    script = script_directory()
    if revision is None or revision not in {rev.revision for rev in script.walk_revisions()}:
        raise BackupError(f"The backup was made at schema revision {revision!r}, unknown to "
                          f"this version of Tilt: restore it with the version that made it.")
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        tables = set(inspect(connection).get_table_names()) - {"alembic_version"}
    if current is None and not tables:
        from flask_migrate import upgrade

        progress(f"empty database: creating the schema at revision {revision}")
        upgrade(revision=revision)
        db.engine.dispose()  # Alembic turned SQLite's foreign keys off on its connection
        return True
    if current != revision:
        raise BackupError(
            f"The database is at schema revision {current}, the backup at {revision}. "
            f"Restore into a database without tables (it is created at the backup's "
            f"revision, restored, then upgraded), or with the version of Tilt that made "
            f"the backup.")
    return False


# --- 3. the rows and files, in one transaction -------------------------------------------

def _restore_rows(manifest: dict, staging: Path, force: bool, progress: Progress) -> int:
    names = [t["name"] for t in manifest["tables"]]
    try:
        with db.engine.connect() as connection:
            if connection.dialect.name == "sqlite":  # a pooled connection may have them off
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()
            # the search index is rebuilt after a restore: no job per restored row
            connection = connection.execution_options(index_changes=False)
            with connection.begin():
                total = _restore_in_transaction(connection, manifest, staging, names, progress,
                                                force)
    except SQLAlchemyError as error:
        reason = getattr(error, "orig", None) or error
        raise BackupError(f"The restore failed and was rolled back, the database is as it "
                          f"was: {error.__class__.__name__}: {reason}") from error
    return total


def _restore_in_transaction(connection: Connection, manifest: dict, staging: Path,
                            names: list[str], progress: Progress, force: bool) -> int:
    total = 0
    tables = _reflect(connection, names)
    _empty_or_refuse(connection, tables, force, progress)
    deferred: list[tuple[Table, list[str], list[dict]]] = []
    position = {name: index for index, name in enumerate(names)}
    for table in tables:
        later = _forward_columns(table, position)
        updates = _insert_table(connection, table, staging / "tables" / table.name,
                                later)
        deferred.append((table, later, updates))
        count = connection.execute(select(func.count()).select_from(table)).scalar()
        total += count
        progress(f"table {table.name}: {count} rows restored")
    for table, columns, updates in deferred:
        _apply_updates(connection, table, columns, updates)
    if connection.dialect.name == "postgresql":
        _fix_sequences(connection, tables)
    else:
        _check_foreign_keys(connection)
    _install_files(staging / "files", manifest["files"], progress)
    # every host rebuilds its index from the restored rows (this one just after)
    connection.execute(insert(SearchChange.__table__).values(
        kind=REBUILD, object_id=0, created_at=utcnow()))
    return total


def _check_foreign_keys(connection: Connection) -> None:
    """SQLite: every reference resolves (PostgreSQL checked each row as it came)."""
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        table, rowid, parent = broken[0][:3]
        raise BackupError(f"The restore failed and was rolled back, the database is as it "
                          f"was: {len(broken)} rows refer to missing rows (first: {table} "
                          f"row {rowid} -> {parent}).")


def _reflect(connection: Connection, names: list[str]) -> list[Table]:
    """The database's own tables (its revision is the backup's), in the backup's order."""
    metadata = MetaData()
    metadata.reflect(bind=connection)
    present = set(metadata.tables) - {"alembic_version"} - NOT_BACKED_UP
    if present != set(names):
        raise BackupError(f"The database's tables differ from the backup's (only in the "
                          f"database: {sorted(present - set(names))}; only in the backup: "
                          f"{sorted(set(names) - present)}).")
    return [metadata.tables[name] for name in names]


def _empty_or_refuse(connection: Connection, tables: list[Table], force: bool,
                     progress: Progress) -> None:
    filled = {}
    for table in tables:
        count = connection.execute(select(func.count()).select_from(table)).scalar()
        if count:
            filled[table.name] = count
    if filled and not force:
        summary = ", ".join(f"{name}: {count}" for name, count in list(filled.items())[:5])
        raise BackupError(f"The database is not empty ({summary}...). Restoring would "
                          f"replace its contents: add --force to do so.")
    if filled:
        progress("--force: deleting the current rows")
        for table in reversed(tables):
            connection.execute(table.delete())


def _forward_columns(table: Table, position: dict[str, int]) -> list[str]:
    """Nullable foreign keys to the table itself or to a table restored later: inserted
    empty, filled in once every row exists (documents.current_version_id, folders.parent)."""
    here = position[table.name]
    return sorted({fk.parent.name for fk in table.foreign_keys
                   if fk.parent.nullable and position.get(fk.column.table.name, -1) >= here})


def _read_rows(path: Path):
    with gzip.open(path, "rb") as lines:
        header = json.loads(next(lines))
        yield header
        for line in lines:
            yield json.loads(line)


def _insert_table(connection: Connection, table: Table, path: Path,
                  later: list[str]) -> list[dict]:
    rows = _read_rows(path)
    header = next(rows)
    columns, tags = header["columns"], header["types"]
    unknown = set(columns) - set(table.columns.keys())
    if unknown:
        raise BackupError(f"Table {table.name}: columns {sorted(unknown)} are not in the "
                          f"database.")
    keys = [column.name for column in table.primary_key.columns]
    batch, updates = [], []
    for values in rows:
        row = {name: decode(tag, value)
               for name, tag, value in zip(columns, tags, values, strict=False)}
        pending = {f"v_{name}": row[name] for name in later}
        if any(value is not None for value in pending.values()):
            pending.update({f"pk_{name}": row[name] for name in keys})
            updates.append(pending)
        for name in later:
            row[name] = None
        batch.append(row)
        if len(batch) >= BATCH:
            connection.execute(table.insert(), batch)
            batch = []
    if batch:
        connection.execute(table.insert(), batch)
    return updates


def _apply_updates(connection: Connection, table: Table, columns: list[str],
                   updates: list[dict]) -> None:
    if not updates:
        return
    keys = list(table.primary_key.columns)
    statement = (table.update()
                 .where(and_(*[key == bindparam(f"pk_{key.name}") for key in keys]))
                 .values({name: bindparam(f"v_{name}") for name in columns}))
    for start in range(0, len(updates), BATCH):
        connection.execute(statement, updates[start:start + BATCH])


def _fix_sequences(connection: Connection, tables: list[Table]) -> None:
    """Ids were inserted explicitly: the next generated id must come after them."""
    for table in tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        sequence = connection.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                      {"t": table.name, "c": keys[0].name}).scalar()
        if sequence:
            highest = connection.execute(select(func.max(keys[0]))).scalar() or 0
            connection.execute(text("SELECT setval(:s, :v, false)"),
                               {"s": sequence, "v": highest + 1})


def _install_files(staged: Path, files: list[dict], progress: Progress) -> None:
    from workspace.documents.storage import blob_path

    for done, item in enumerate(files, 1):
        target = blob_path(item["sha256"])
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged / item["sha256"], target)  # verified content, atomically
        if done % 200 == 0 or done == len(files):
            progress(f"files: {done}/{len(files)}")


# --- 4. search ----------------------------------------------------------------------------

def _rebuild_search(progress: Progress) -> int:
    from workspace.search.indexer import IndexBusy, rebuild

    try:
        return rebuild(lambda kind, done, total: progress(f"search {kind}: {done}/{total}")
                       if done == total else None)
    except IndexBusy as error:
        raise BackupError("The database and files are restored, but the search index is "
                          "being written by another process: stop the workers and run "
                          "`flask search rebuild`.") from error
