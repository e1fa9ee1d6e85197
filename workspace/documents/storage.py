"""The content-addressed file store: ``DATA_DIR/files/ab/cd/<sha256>``, outside ``static/``.

Uploads are written by streaming into ``DATA_DIR/files/tmp`` while their SHA-256 is computed,
then renamed into place (atomic on one file system) before any database row points to them.
A crash can therefore leave a file without a row (an orphan, swept later), never a row without
its file. A full disk (or a file-size limit) while writing is a 507 refusal: the partial
temporary file is removed (see receiving.py for the rest of the request's files).
"""
from __future__ import annotations

import errno
import hashlib
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from flask import current_app
from flask_babel import gettext as _

from workspace.core.errors import ExplainedHTTPError

CHUNK = 1024 * 1024
DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}  # no room, quota, file-size limit


class StorageFull(ExplainedHTTPError):
    code = 507

    def __init__(self):
        super().__init__(_("Espace disque insuffisant"), _(
            "Le serveur manque d'espace disque pour enregistrer ce fichier : rien n'a été "
            "enregistré. Réessayez plus tard et prévenez un administrateur."))


@contextmanager
def _disk_full_refused() -> Iterator[None]:
    """Turn "no space left" (and quota, file-size limit) into the 507 refusal."""
    try:
        yield
    except OSError as error:
        if error.errno in DISK_FULL:
            raise StorageFull() from error
        raise


def store_root() -> Path:
    root = Path(current_app.config["FILES_DIR"])
    (root / "tmp").mkdir(parents=True, exist_ok=True)
    return root


def blob_path(sha256: str) -> Path:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a SHA-256")
    return store_root() / sha256[:2] / sha256[2:4] / sha256


class HashingFile:
    """A temporary file in the store that hashes what is written to it."""

    def __init__(self, directory: Path):
        with _disk_full_refused():
            handle, name = tempfile.mkstemp(dir=directory, prefix="upload-")
        self._file: IO[bytes] = os.fdopen(handle, "w+b")
        self.path = Path(name)
        self.size = 0
        self._hash = hashlib.sha256()
        self.head = b""  # the first bytes, for type sniffing
        self._committed = False

    # the file protocol Werkzeug's form parser and FileStorage use; writes are buffered, so
    # "no space left" may surface in write, flush, seek or read: each is guarded
    def write(self, data: bytes) -> int:
        if len(self.head) < 8192:
            self.head += data[: 8192 - len(self.head)]
        self._hash.update(data)
        self.size += len(data)
        with _disk_full_refused():
            return self._file.write(data)

    def read(self, *args) -> bytes:
        with _disk_full_refused():
            return self._file.read(*args)

    def seek(self, *args) -> int:
        with _disk_full_refused():
            return self._file.seek(*args)

    def tell(self) -> int:
        return self._file.tell()

    def flush(self) -> None:
        with _disk_full_refused():
            self._file.flush()

    def close(self) -> None:
        """Close and remove the temporary file (a committed file is in the store: kept)."""
        try:
            if not self._file.closed:
                self._file.close()  # may flush, and fail again on a full disk
        except OSError:
            pass
        finally:
            self.discard()

    @property
    def closed(self) -> bool:
        return self._file.closed

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._file)

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def discard(self) -> None:
        if self._committed:
            return  # its name is free again and may be another upload's now
        with suppress(FileNotFoundError):
            self.path.unlink()

    def commit(self) -> str:
        """Move the finished upload into the store under its hash; return the hash."""
        try:
            with _disk_full_refused():
                self._file.flush()
                os.fsync(self._file.fileno())
                self._file.close()
                target = blob_path(self.sha256)
                target.parent.mkdir(parents=True, exist_ok=True)
        except BaseException:
            self.close()
            raise
        if target.exists():
            self.discard()  # same content already stored
            os.utime(target)  # fresh again: the orphan sweeper's grace period restarts
        else:
            os.replace(self.path, target)
        self._committed = True
        return self.sha256


def store_bytes(data: bytes) -> tuple[str, int]:
    """Store content given in memory (small files: tests, imports); return (sha256, size)."""
    writer = HashingFile(store_root() / "tmp")
    try:
        writer.write(data)
        return writer.commit(), writer.size
    except BaseException:
        writer.close()
        raise


def store_file(path: Path) -> tuple[str, int]:
    writer = HashingFile(store_root() / "tmp")
    try:
        with open(path, "rb") as source:
            while chunk := source.read(CHUNK):
                writer.write(chunk)
        return writer.commit(), writer.size
    except BaseException:
        writer.close()
        raise


@dataclass
class StoreReport:
    missing: list[str] = field(default_factory=list)      # rows whose file is gone
    mismatched: list[str] = field(default_factory=list)   # files whose content changed
    orphans: list[Path] = field(default_factory=list)     # files no row points to

    @property
    def healthy(self) -> bool:
        return not (self.missing or self.mismatched or self.orphans)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def stored_files() -> Iterator[Path]:
    root = store_root()
    for path in root.glob("??/??/*"):
        if path.is_file():
            yield path


def check_store(known: set[str], verify_hashes: bool = True) -> StoreReport:
    report = StoreReport()
    on_disk = {path.name: path for path in stored_files()}
    report.missing = sorted(sha for sha in known if sha not in on_disk)
    report.orphans = sorted(path for name, path in on_disk.items() if name not in known)
    if verify_hashes:
        report.mismatched = sorted(sha for sha in known if sha in on_disk
                                   and file_sha256(on_disk[sha]) != sha)
    return report


def sweep(known: set[str], grace_seconds: int = 24 * 3600) -> int:
    """Remove orphan files and abandoned temporary uploads older than the grace period."""
    limit = time.time() - grace_seconds
    removed = 0
    candidates = [p for p in stored_files() if p.name not in known]
    candidates += list((store_root() / "tmp").glob("upload-*"))
    for path in candidates:
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            pass
    return removed
