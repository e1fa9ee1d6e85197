"""The backup archive format: one tar file, its manifest, tables as gzipped JSON lines.

```
manifest.json                 format, version, alembic revision, tables (order, rows, SHA-256),
                              files (SHA-256, size)
tables/<name>.jsonl.gz        first line: {"table", "columns", "types"}; then one JSON array
                              per row, values encoded by the column's type tag
files/ab/cd/<sha256>          the content-addressed store's files, named by their hash
```

The manifest comes first so that a restore can check everything while reading the archive
once, before it touches the database. Values are encoded by type, not by engine, so that a
SQLite backup restores on PostgreSQL and back.
"""
from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import json
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    Integer,
    Interval,
    LargeBinary,
    Numeric,
    Time,
    types,
)

FORMAT = "tilt-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
# Not data: the search change log, which each host's follower reads from a cursor of its
# own. Restoring old rows would put ids behind the cursors; a restore keeps the log and
# appends one row asking every host to rebuild (restore.py).
NOT_BACKED_UP = frozenset({"search_changes"})


class BackupError(Exception):
    """A backup or restore that cannot go on; the message tells the operator why."""


def script_directory():
    """The application's Alembic migrations (revisions this version of Tilt knows)."""
    from alembic.script import ScriptDirectory
    from flask import current_app

    return ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())


def table_member(name: str) -> str:
    return f"tables/{name}.jsonl.gz"


def file_member(sha256: str) -> str:
    return f"files/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def is_sha256(value: object) -> bool:
    return (isinstance(value, str) and len(value) == 64
            and all(c in "0123456789abcdef" for c in value))


def type_tag(column_type: types.TypeEngine) -> str:
    """How values of a column are written: JSON has no dates, decimals nor bytes."""
    if isinstance(column_type, types.TypeDecorator):
        column_type = column_type.impl_instance
    if isinstance(column_type, DateTime):
        return "datetime"
    if isinstance(column_type, Date):
        return "date"
    if isinstance(column_type, Time):
        return "time"
    if isinstance(column_type, Interval):
        return "interval"
    if isinstance(column_type, LargeBinary):
        return "bytes"
    if isinstance(column_type, JSON):
        return "json"
    if isinstance(column_type, types.Uuid):
        return "uuid"
    if isinstance(column_type, Numeric) and not isinstance(column_type, (Float, Integer)):
        return "decimal"
    return "plain"


def encode(tag: str, value: Any) -> Any:
    if value is None:
        return None
    if tag == "datetime":
        if value.tzinfo is not None:  # UTC instants are stored naive, in UTC
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat()
    if tag in ("date", "time"):
        return value.isoformat()
    if tag == "interval":
        return value.total_seconds()
    if tag == "bytes":
        return base64.b64encode(bytes(value)).decode("ascii")
    if tag in ("decimal", "uuid"):
        return str(value)
    return value


def decode(tag: str, value: Any) -> Any:
    if value is None:
        return None
    if tag == "datetime":
        return dt.datetime.fromisoformat(value)
    if tag == "date":
        return dt.date.fromisoformat(value)
    if tag == "time":
        return dt.time.fromisoformat(value)
    if tag == "interval":
        return dt.timedelta(seconds=value)
    if tag == "bytes":
        return base64.b64decode(value)
    if tag == "decimal":
        return decimal.Decimal(value)
    if tag == "uuid":
        return uuid.UUID(value)
    return value


def dumps_line(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


class HashingReader:
    """A file wrapper that hashes what is read through it (tar members, copied files)."""

    def __init__(self, raw):
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, *args) -> bytes:
        data = self.raw.read(*args)
        self.digest.update(data)
        self.size += len(data)
        return data

    @property
    def sha256(self) -> str:
        return self.digest.hexdigest()


def check_manifest(manifest: object) -> dict:
    """Refuse a manifest that is not ours or is malformed, before reading any further."""
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("This file is not a Tilt backup (no Tilt manifest).")
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(f"Backup format version {manifest.get('version')!r} is not "
                          f"supported by this version of Tilt (expects {FORMAT_VERSION}).")
    try:
        for table in manifest["tables"]:
            assert isinstance(table["name"], str) and isinstance(table["rows"], int)
            assert is_sha256(table["sha256"])
        for item in manifest["files"]:
            assert is_sha256(item["sha256"]) and isinstance(item["size"], int)
        assert isinstance(manifest["alembic_revision"], (str, type(None)))
    except (KeyError, TypeError, AssertionError) as error:
        raise BackupError("The backup's manifest is malformed.") from error
    return manifest
