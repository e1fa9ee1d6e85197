"""French text analysis shared by indexing and querying: NFC, lower case, accents and
ligatures folded, French stop words removed, Snowball French stemming (after folding, so
that "Bâtiments" and "batiment" meet on the same stem)."""
from __future__ import annotations

import unicodedata

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.lang import stopwords_for_language
from whoosh.lang.snowball.french import FrenchStemmer

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def fold(text: str) -> str:
    """Lower case without accents or ligatures: "Œuvre Énergétique" -> "oeuvre energetique"."""
    text = unicodedata.normalize("NFC", text).translate(_LIGATURES).lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


class FoldFilter(Filter):
    """Folds each token with `fold()` (NFC, ligatures, lower case, accents dropped)."""

    def __eq__(self, other):
        return other is not None and other.__class__ is self.__class__

    def __call__(self, tokens):
        for token in tokens:
            token.text = fold(token.text)
            yield token


FRENCH_STOP_WORDS = frozenset(fold(word) for word in stopwords_for_language("fr"))
_stemmer = FrenchStemmer()


def french_analyzer():
    """Tokenizer -> lower case -> fold -> stop words (renumbered, so that a phrase skips
    them) -> French stems. Used for both the indexed text and the query."""
    return (RegexTokenizer(r"\w+") | LowercaseFilter() | FoldFilter()
            | StopFilter(stoplist=FRENCH_STOP_WORDS, minsize=1)
            | StemFilter(stemfn=_stemmer.stem, lang=None, ignore=None, cachesize=50000))


def analyse(text: str) -> list[str]:
    """The index terms of a text (tests, diagnostics)."""
    return [token.text for token in french_analyzer()(text)]
