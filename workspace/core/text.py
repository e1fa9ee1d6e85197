"""Accent- and case-insensitive matching of short texts (names, titles) in Python, so that
SQLite and PostgreSQL answer alike."""
from __future__ import annotations

from slugify import slugify


def fold(text: str) -> str:
    """"Yvré-l'Évêque" -> "yvre l eveque": lower case, no accents, words separated by spaces."""
    return slugify(text or "", separator=" ")


def query_words(query: str | None) -> list[str]:
    return fold(query or "").split()


def matches_all(words: list[str], *texts: str) -> bool:
    haystack = fold(" ".join(text or "" for text in texts))
    return all(word in haystack for word in words)
