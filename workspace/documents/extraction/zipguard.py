"""Reading parts of a zip container (ODF, OOXML) without trusting it: entry count,
declared sizes and compression ratios are checked before anything is parsed, and the bytes
really decompressed are counted while reading, since headers can lie. Nothing is written
to disk."""
from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator

from .common import ExtractionFailure
from .reasons import (
    PROTECTED,
    ZIP_MISSING_PART,
    ZIP_RATIO,
    ZIP_TOO_BIG,
    ZIP_TOO_MANY_ENTRIES,
    ZIP_UNREADABLE,
)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # password-protected OOXML is an OLE file
RATIO_FLOOR = 1024**2  # small entries may compress well beyond the ratio (runs of spaces)
CHUNK = 64 * 1024


class GuardedZip:
    def __init__(self, path: str, limits: dict) -> None:
        self.max_entries = limits["max_zip_entries"]
        self.max_total = limits["max_unzipped_bytes"]
        self.max_ratio = limits["max_zip_ratio"]
        self.total = 0
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
            raise ExtractionFailure(PROTECTED if _is_ole(path) else ZIP_UNREADABLE) from None
        self.entries = {info.filename: info for info in self.zip.infolist()}
        self._check_declared()

    def __enter__(self) -> GuardedZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.zip.close()

    def _check_declared(self) -> None:
        """Refuse before reading: too many entries, too much declared output, a declared
        ratio beyond the limit, or encrypted entries."""
        infos = self.zip.infolist()  # all of them, duplicated names included
        if len(infos) > self.max_entries:
            raise ExtractionFailure(ZIP_TOO_MANY_ENTRIES)
        for info in infos:
            if info.flag_bits & 0x1:
                raise ExtractionFailure(PROTECTED)
            if self._ratio_exceeded(info.file_size, info.compress_size):
                raise ExtractionFailure(ZIP_RATIO)
        if sum(info.file_size for info in infos) > self.max_total:
            raise ExtractionFailure(ZIP_TOO_BIG)

    def _ratio_exceeded(self, produced: int, compressed: int) -> bool:
        return produced > RATIO_FLOOR and produced > self.max_ratio * max(compressed, 1)

    def has(self, name: str) -> bool:
        return name in self.entries

    def names(self) -> list[str]:
        return list(self.entries)

    def stream(self, name: str) -> Iterator[bytes]:
        """The entry's bytes in chunks, stopping with a failure as soon as the real output
        breaks the ratio or the container's total budget."""
        info = self.entries.get(name)
        if info is None:
            raise ExtractionFailure(ZIP_MISSING_PART)
        produced = 0
        try:
            with self.zip.open(info) as entry:
                while chunk := entry.read(CHUNK):
                    produced += len(chunk)
                    self.total += len(chunk)
                    if self.total > self.max_total:
                        raise ExtractionFailure(ZIP_TOO_BIG)
                    if self._ratio_exceeded(produced, info.compress_size):
                        raise ExtractionFailure(ZIP_RATIO)
                    yield chunk
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, RuntimeError,
                NotImplementedError):  # bad CRC, corrupt stream, unknown compression method
            raise ExtractionFailure(ZIP_UNREADABLE) from None

    def read(self, name: str, max_bytes: int) -> bytes:
        """A small entry (manifest, relationships) in full; larger ones are refused."""
        data = bytearray()
        for chunk in self.stream(name):
            data += chunk
            if len(data) > max_bytes:
                raise ExtractionFailure(ZIP_TOO_BIG)
        return bytes(data)


def _is_ole(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(OLE_MAGIC)) == OLE_MAGIC
    except OSError:
        return False
