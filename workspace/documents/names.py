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
    """A title as a person would write it: "compte_rendu-atelier_2017.pdf" gives "Compte
    rendu atelier 2017". Underscores always separate words; hyphens and dots too, when the
    name has no space (a name with spaces was written for people: "Sargé-lès-Le-Mans - CR"
    keeps its hyphens), but never between digits (a date "2017-03-26" stays one). The first
    letter is capitalised, nothing else is changed ("CR GED" stays so)."""
    stem, dot, extension = filename.rpartition(".")
    if not dot or not stem or not 0 < len(extension) <= 10 or " " in extension:
        stem = filename
    written_for_people = " " in stem.strip()
    stem = stem.replace("_", " ")
    if not written_for_people:
        stem = re.sub(r"(?<!\d)[-.]|[-.](?!\d)", " ", stem)
    title = " ".join(stem.split())
    if not title:
        return " ".join(filename.split()) or "document"
    return title[0].upper() + title[1:]
