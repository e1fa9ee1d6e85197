"""File names as people wrote them, minus what could deceive or break things."""
from __future__ import annotations

import re
import unicodedata

# Bidirectional controls (an "exe.pdf" can be shown as "fdp.exe"), zero-width characters.
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u061c", "\ufeff",
              *(chr(c) for c in range(0x202A, 0x202F)), *(chr(c) for c in range(0x2066, 0x206A))}
MAX_NAME = 200


def clean_filename(raw: str | None) -> str:
    """NFC, no control or bidi characters, no folders (``../``), at most 200 characters
    (the extension kept); "document" when nothing is left."""
    name = unicodedata.normalize("NFC", raw or "")
    name = "".join(ch for ch in name if ch not in _INVISIBLE
                   and unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co"))
    name = re.split(r"[\\/]", name)[-1]
    name = " ".join(name.split()).strip(" .")
    if len(name) > MAX_NAME:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = stem[: MAX_NAME - len(extension) - 1].rstrip() + "." + extension
        else:
            name = name[:MAX_NAME]
    return name or "document"


def title_from_filename(filename: str) -> str:
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    return stem.replace("_", " ").strip() or filename
