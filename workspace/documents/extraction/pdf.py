"""PDF through pypdf, one page of text per PDF page.

A PDF that cannot be opened, or whose pages all fail, is "failed"; when only some pages
fail the others are kept and the result says the extraction is partial. pypdf's own
limits (75 MB per decompressed stream, 300 MB of decoding work per stream...) stop most
decompression bombs; the child's memory limit stops the rest.
"""
from __future__ import annotations

import logging
import warnings

from .common import ExtractionFailure, PageSink
from .reasons import (
    PDF_BOMB,
    PDF_CIPHER_UNSUPPORTED,
    PDF_NO_TEXT,
    PDF_PARTIAL,
    PDF_UNREADABLE,
    PROTECTED,
)


def extract_pdf(path: str, sink: PageSink, limits: dict) -> None:
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError

    reader, page_count = _open(path)
    failed = limited = 0
    for number in range(page_count):
        sink.new_page()
        try:
            text = reader.pages[number].extract_text()
        except LimitReachedError:
            failed, limited = failed + 1, limited + 1
            continue
        except MemoryError:
            raise
        except FileNotDecryptedError:
            raise ExtractionFailure(PROTECTED) from None
        except DependencyError:
            raise ExtractionFailure(PDF_CIPHER_UNSUPPORTED) from None
        except Exception:  # noqa: BLE001 - one broken page must not lose the others
            failed += 1
            continue
        sink.write(text)

    if failed == page_count:
        raise ExtractionFailure(PDF_BOMB if limited else PDF_UNREADABLE)
    if failed:
        sink.note = PDF_PARTIAL
    elif not any(sink.pages()):
        sink.note = PDF_NO_TEXT


def _open(path: str):
    """The reader and its page count, or the reason why the file cannot be opened."""
    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError

    # Malformed files make pypdf log and warn a lot; the child's stderr is for crashes.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    warnings.simplefilter("ignore")
    # Text extraction never needs to run the jbig2dec program on an image.
    pypdf.overwrite_configuration(jbig2dec_binary=None)
    try:
        reader = pypdf.PdfReader(path, strict=False)  # tries the empty user password itself
        page_count = len(reader.pages)
    except FileNotDecryptedError:
        raise ExtractionFailure(PROTECTED) from None
    except DependencyError:  # AES needs the cryptography package, not installed
        raise ExtractionFailure(PDF_CIPHER_UNSUPPORTED) from None
    except LimitReachedError:
        raise ExtractionFailure(PDF_BOMB) from None
    except (MemoryError, RecursionError):
        raise
    except Exception:  # noqa: BLE001 - pypdf raises many kinds of errors on broken files
        raise ExtractionFailure(PDF_UNREADABLE) from None
    if page_count == 0:
        raise ExtractionFailure(PDF_UNREADABLE)
    return reader, page_count
