"""Did you mean: under SUGGEST_BELOW results, each unknown word replaced by the closest
word found in what the user may see (never a word of a network they may not see)."""
from __future__ import annotations

import re

from whoosh.query import Term

from workspace.search.docsets import DocSets, first_docnums
from workspace.search.excerpts import HIGHLIGHT_CHARS
from workspace.search.registry import Audience, registration

SUGGEST_BELOW = 3  # results under which a correction is offered
_SUGGEST_MIN_LENGTH = 4


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (adjacent transpositions count one)."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1,
                             previous[j - 1] + (char_a != char_b))
            if (previous2 is not None and i > 1 and j > 1 and char_a == b[j - 2]
                    and a[i - 2] == char_b):
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def _visible_entries(the_searcher, term: str, allowed: int | None) -> int:
    """Entries of the visible networks holding this index term (a set: DocSets)."""
    if not the_searcher.doc_frequency("text", term):
        return 0
    entries = DocSets.of(the_searcher).matching(Term("text", term))
    return entries if allowed is None else entries & allowed


def _visible_word(the_searcher, audience: Audience, term: str,
                  allowed: int | None) -> str | None:
    """A word as written (accents and all) whose index term is `term`, read from an entry
    the user may see, re-checked against the database; None if there is none."""
    analyzer = the_searcher.schema["text"].analyzer
    for docnum in first_docnums(_visible_entries(the_searcher, term, allowed), 5):
        stored = the_searcher.stored_fields(docnum)
        reg = registration(stored["kind"])
        doc = reg.document(int(stored["object_id"])) if reg is not None else None
        if doc is None or not audience.may_see(doc):
            continue
        for token in analyzer(doc.text[:HIGHLIGHT_CHARS], keeporiginal=True):
            if token.text == term:
                return token.original.lower()
    return None


def suggest(the_searcher, audience: Audience, text: str, allowed: int | None) -> str | None:
    """The query with its unknown words replaced by the closest words found in what the
    user may see, or None.

    Whoosh's corrector reads the whole index, so its candidates (index terms, that is
    stems) are only a shortlist: each is kept only if it occurs in an entry of the
    networks the user may see, ranked by edit distance then by how many such entries hold
    it (never by counts that include what the user may not see), and shown as a word read
    from one of those entries."""
    analyzer = the_searcher.schema["text"].analyzer
    corrector = the_searcher.corrector("text")
    changed, words = False, []
    parts = re.split(r"(\w+)", text)
    for position, token in enumerate(parts):
        terms = [t.text for t in analyzer(token)] if re.fullmatch(r"\w+", token or "") else []
        is_prefix = position + 1 < len(parts) and parts[position + 1].startswith("*")
        if (len(terms) != 1 or len(token) < _SUGGEST_MIN_LENGTH or is_prefix
                or _visible_entries(the_searcher, terms[0], allowed)):
            words.append(token)
            continue
        replacement = _replacement(the_searcher, audience, terms[0], allowed, corrector)
        words.append(replacement or token)
        changed = changed or replacement is not None
    return "".join(words) if changed else None


def _replacement(the_searcher, audience: Audience, term: str, allowed: int | None,
                 corrector) -> str | None:
    """The closest visible word for an unknown index term, or None."""
    # prefix=2: typing errors rarely touch the first two letters, and the corrector
    # measures the distance to every term sharing the prefix
    candidates = [(candidate, count) for candidate in corrector.suggest(
        term, limit=8, maxdist=2, prefix=2)
        if (count := _visible_entries(the_searcher, candidate, allowed).bit_count())]
    for candidate, _count in sorted(candidates, key=lambda item: (
            edit_distance(term, item[0]), -item[1], item[0])):
        replacement = _visible_word(the_searcher, audience, candidate, allowed)
        if replacement:
            return replacement
    return None
