"""Excerpts of the shown hits: the words the query looks for, highlighted in the text read
again from the database (only the page's ten hits, on at most HIGHLIGHT_CHARS characters)."""
from __future__ import annotations

from markupsafe import Markup, escape
from whoosh import highlight
from whoosh.query import Query

from workspace.core.excerpts import cut, tidy_lines
from workspace.search.registry import SearchDoc

HIGHLIGHT_CHARS = 60_000  # of a hit's text analysed to find its excerpt (a long file...)


def highlighted_words(query: Query, the_searcher) -> frozenset[str]:
    """The index terms of the text field the query looks for, prefixes expanded (as
    Whoosh's highlighter takes them)."""
    field = the_searcher.schema["text"]
    return frozenset(field.from_bytes(text) for _name, text in query.existing_terms(
        the_searcher.reader(), fieldname="text", expand=True))


class _MarkFormatter(highlight.Formatter):
    """Escaped text with the matched words in <mark>."""

    between = " … "

    def _text(self, text):
        return str(escape(text))

    def format(self, fragments, replace=False):
        """Fragments joined by " … ", and "…" where a fragment cuts its text."""
        shown = []
        for fragment in fragments:
            html = self.format_fragment(fragment, replace=replace).strip()
            if fragment.startchar > 0:
                html = "…" + html
            if fragment.endchar < len(fragment.text):
                html += "…"
            shown.append(html)
        return " ".join(shown)

    def format_token(self, text, token, replace=False):
        return f"<mark>{escape(highlight.get_text(text, token, replace))}</mark>"


_FRAGMENTER = highlight.ContextFragmenter(maxchars=240, surround=60)


def excerpt(doc: SearchDoc, words: frozenset[str], analyzer) -> tuple[Markup, int | None]:
    """Highlighted words of the text; for a file, the first page where they appear.
    Highlighting analyses the text again, so only its first HIGHLIGHT_CHARS characters
    are looked at: past them, the excerpt is the beginning of the text."""
    parts = doc.text.split("\f")
    budget = HIGHLIGHT_CHARS
    for number, part in enumerate(parts):
        if budget <= 0:
            break
        part = part[:budget]
        budget -= len(part)
        snippet = highlight.highlight(part, words, analyzer, _FRAGMENTER, _MarkFormatter(),
                                      top=2) if part.strip() and words else ""
        if snippet:
            return Markup(snippet), (number if len(parts) > 1 and number > 0 else None)
    return Markup(escape(cut(tidy_lines(doc.text.replace("\f", "\n")), 240))), None
