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
_STOP = object()


class FrenchFilter(Filter):
    """Lower case, fold, drop French stop words (renumbering positions so that a phrase
    skips them), stem: the four steps of a Whoosh chain done in one pass, with the result
    of each distinct word cached (a text repeats its words; indexing spends its time here).

    Behaves as LowercaseFilter | FoldFilter | StopFilter(minsize=1) | StemFilter: with
    `removestops=False` (highlighting) stop words come through marked `stopped`."""

    CACHE_SIZE = 200_000

    def __init__(self):
        self._cache: dict[str, object] = {}

    def __eq__(self, other):
        return other is not None and other.__class__ is self.__class__

    def __getstate__(self):  # pickled into the index's schema: not the cache
        return {}

    def __setstate__(self, state):
        self._cache = {}

    def term(self, text: str):
        """The index term of a word, or _STOP for a stop word (cached)."""
        cache = self._cache
        found = cache.get(text)
        if found is None:
            folded = fold(text)
            found = (folded, _STOP) if folded in FRENCH_STOP_WORDS or not folded else \
                (folded, _stemmer.stem(folded))
            if len(cache) >= self.CACHE_SIZE:
                cache.clear()
            cache[text] = found
        return found

    def __call__(self, tokens):
        pos = None
        for t in tokens:
            folded, term = self.term(t.text)
            if term is _STOP:
                if not t.removestops:
                    t.text, t.stopped = folded, True
                    yield t
                continue
            if t.positions:
                if pos is None:
                    pos = t.pos
                else:
                    pos += 1
                    t.pos = pos
            t.text, t.stopped = term, False
            yield t


def french_analyzer():
    """Tokenizer -> lower case -> fold -> stop words (renumbered, so that a phrase skips
    them) -> French stems, in one filter. Used for both the indexed text and the query."""
    return RegexTokenizer(r"\w+") | FrenchFilter()


def reference_analyzer():
    """The same analysis as four separate Whoosh filters: slower, kept to check that
    FrenchFilter gives exactly the same tokens (tests)."""
    return (RegexTokenizer(r"\w+") | LowercaseFilter() | FoldFilter()
            | StopFilter(stoplist=FRENCH_STOP_WORDS, minsize=1)
            | StemFilter(stemfn=_stemmer.stem, lang=None, ignore=None, cachesize=50000))


def analyse(text: str) -> list[str]:
    """The index terms of a text (tests, diagnostics)."""
    return [token.text for token in french_analyzer()(text)]
