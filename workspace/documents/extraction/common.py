"""What the format readers share inside the child process (the failure exceptions, text
cleaning, the page sink that enforces the output budget), and the few names that the child
and the runner must agree on."""
from __future__ import annotations

import re
import unicodedata

# Result statuses and the page separator of ExtractionResult.text (limits.py).
DONE, FAILED, TOO_LARGE, UNSUPPORTED = "done", "failed", "too_large", "unsupported"
STATUSES = frozenset({DONE, FAILED, TOO_LARGE, UNSUPPORTED})
PAGE_SEPARATOR = "\f"

LIMITS_ENV = "EXTRACTION_LIMITS"  # the child's limits, as JSON
MEMORY_EXIT = 86                  # the child ran out of memory and could not even report it


class ExtractionFailure(Exception):
    """The file cannot be extracted; ``reason`` is shown to users."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class OutputFull(Exception):
    """The output budget is spent: stop reading, keep what was collected."""


# C0 controls except \t \n \f (\r is turned into \n first), DEL, C1 controls, and lone
# surrogates, which a broken PDF font map can produce and UTF-8 cannot encode.
_UNWANTED = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_RETURNS = re.compile("\r\n?")


def clean(text: str) -> str:
    if "\r" in text:
        text = _RETURNS.sub("\n", text)
    return _UNWANTED.sub("", text)


class PageSink:
    """Collects cleaned text page by page and raises ``OutputFull`` once the joined text
    (pages and their separators) would exceed ``max_chars``."""

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self.note = ""          # a reason that goes with a "done" result
        self.truncated = False  # a reader dropped input on purpose: the result is "too_large"
        self._pages: list[list[str]] = []
        self._used = 0

    def new_page(self) -> None:
        if self._pages:
            self._spend(1)  # the "\f" that will separate it from the previous page
        self._pages.append([])

    def write(self, text: str) -> None:
        if not text:
            return
        text = clean(text)
        if not self._pages:
            self._pages.append([])
        room = self.max_chars - self._used
        if len(text) > room:
            self._pages[-1].append(text[:max(room, 0)])
            self._used = self.max_chars
            self.truncated = True
            raise OutputFull
        self._pages[-1].append(text)
        self._used += len(text)

    def reset(self) -> None:
        self._pages.clear()
        self._used = 0

    def pages(self) -> list[str]:
        """The pages in Unicode NFC without trailing blanks, cut again to the budget in
        case normalisation made them longer."""
        pages = [unicodedata.normalize("NFC", "".join(parts)).rstrip() for parts in self._pages]
        room, kept = self.max_chars, []
        for page in pages:
            if kept:
                room -= 1
            if room < 0:
                self.truncated = True
                break
            if len(page) > room:
                page, self.truncated = page[:room], True
            kept.append(page)
            room -= len(page)
        return kept

    def _spend(self, count: int) -> None:
        if self._used + count > self.max_chars:
            self.truncated = True
            raise OutputFull
        self._used += count
