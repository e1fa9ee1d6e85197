"""Which reader handles which MIME type. Readers are named, not imported, so that the
parent process can tell "unsupported" without loading pypdf or defusedxml."""
from __future__ import annotations

ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

# MIME type -> (module of this package, function, extra argument or None)
READERS: dict[str, tuple[str, str, str | None]] = {
    "application/pdf": ("pdf", "extract_pdf", None),
    ODT: ("odf", "extract_odf", "text"),
    ODS: ("odf", "extract_odf", "spreadsheet"),
    ODP: ("odf", "extract_odf", "presentation"),
    DOCX: ("ooxml", "extract_docx", None),
    XLSX: ("ooxml", "extract_xlsx", None),
    PPTX: ("ooxml", "extract_pptx", None),
    "text/plain": ("plain", "extract_plain", None),
    "text/markdown": ("plain", "extract_plain", None),
    "text/csv": ("plain", "extract_plain", None),
    "text/html": ("plain", "extract_html", None),
}

# Other names that sniffers and browsers give to the same formats.
ALIASES = {
    "application/x-pdf": "application/pdf",
    "text/x-markdown": "text/markdown",
    "text/x-csv": "text/csv",
    "application/csv": "text/csv",
    "application/xhtml+xml": "text/html",
}


def normalise_mime(mime: str) -> str:
    """'Text/HTML; charset=utf-8' -> 'text/html'."""
    base = (mime or "").split(";", 1)[0].strip().lower()
    return ALIASES.get(base, base)


def is_supported(mime: str) -> bool:
    return normalise_mime(mime) in READERS
