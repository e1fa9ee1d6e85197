"""What a file really is, from its first bytes (and, for zip containers, their entries),
never from its name alone."""
from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from flask_babel import lazy_gettext as _l

PDF = "application/pdf"
ODT, ODS, ODP = ("application/vnd.oasis.opendocument.text",
                 "application/vnd.oasis.opendocument.spreadsheet",
                 "application/vnd.oasis.opendocument.presentation")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
OLE = "application/x-ole-storage"  # legacy .doc/.xls/.ppt
ZIP, TEXT, MARKDOWN, CSV, HTML, SVG, XML = ("application/zip", "text/plain", "text/markdown",
                                            "text/csv", "text/html", "image/svg+xml",
                                            "application/xml")
OCTET = "application/octet-stream"
INLINE_IMAGES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
PREVIEWABLE = INLINE_IMAGES | {PDF}
EXECUTABLE = {"application/x-msdownload", "application/x-executable", "application/x-elf",
              "application/x-mach-binary", "application/x-sh"}

# extension -> the family of types its content must belong to
EXTENSION_FAMILIES = {
    "pdf": {PDF},
    "odt": {ODT}, "ods": {ODS}, "odp": {ODP},
    "docx": {DOCX}, "xlsx": {XLSX}, "pptx": {PPTX},
    "doc": {OLE}, "xls": {OLE}, "ppt": {OLE},
    "png": {"image/png"}, "jpg": {"image/jpeg"}, "jpeg": {"image/jpeg"},
    "gif": {"image/gif"}, "webp": {"image/webp"},
    "txt": {TEXT}, "md": {TEXT, MARKDOWN}, "csv": {TEXT, CSV},
    "html": {HTML}, "htm": {HTML}, "svg": {SVG}, "zip": {ZIP, ODT, ODS, ODP, DOCX, XLSX, PPTX},
}
TEXT_EXTENSIONS = {"md": MARKDOWN, "csv": CSV}

LABELS = {PDF: "PDF", ODT: _l("Texte ODF"), ODS: _l("Classeur ODF"),
          ODP: _l("Présentation ODF"), DOCX: "Word", XLSX: "Excel", PPTX: "PowerPoint",
          OLE: _l("Office (ancien format)"), ZIP: _l("Archive ZIP"), TEXT: _l("Texte"),
          MARKDOWN: "Markdown", CSV: "CSV", HTML: "HTML", SVG: _l("Image SVG"),
          "image/png": _l("Image PNG"), "image/jpeg": _l("Image JPEG"),
          "image/gif": _l("Image GIF"), "image/webp": _l("Image WebP"),
          OCTET: _l("Fichier binaire")}


@dataclass(frozen=True)
class Sniffed:
    mime: str
    matches_name: bool  # False: the extension promises another kind of file
    is_dangerous: bool  # executables: refused outright


def extension_of(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist()[:5000])
            if "mimetype" in names:
                with archive.open("mimetype") as entry:  # never unpack a huge entry
                    declared = entry.read(100).decode("ascii", "replace").strip()
                if declared in (ODT, ODS, ODP):
                    return declared
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return DOCX
                if any(n.startswith("xl/") for n in names):
                    return XLSX
                if any(n.startswith("ppt/") for n in names):
                    return PPTX
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        pass
    return ZIP


def _text_kind(head: bytes, extension: str) -> str | None:
    """TEXT/HTML/SVG/XML if the first bytes look like text, else None."""
    if b"\x00" in head:
        return None
    sample = head[:4096]
    for encoding in ("utf-8", "cp1252"):
        try:
            text = sample.decode(encoding)
            break
        except UnicodeDecodeError as error:
            if encoding == "utf-8" and error.start > len(sample) - 4:
                text = sample[:error.start].decode("utf-8")  # cut inside a character
                break
    else:
        return None
    lowered = text.lstrip("\ufeff \t\r\n").lower()
    if lowered.startswith(("<!doctype html", "<html", "<head", "<body", "<script", "<iframe")):
        return HTML
    if "<svg" in lowered[:1000] and lowered.startswith(("<svg", "<?xml", "<!doctype svg")):
        return SVG
    if lowered.startswith("<?xml"):
        return XML
    if "<script" in lowered or "<html" in lowered:
        return HTML
    return TEXT_EXTENSIONS.get(extension, TEXT)


def sniff(path: Path, head: bytes, filename: str) -> Sniffed:
    extension = extension_of(filename)
    mime = None
    if head.startswith(b"%PDF-"):
        mime = PDF
    elif head.startswith(b"PK\x03\x04"):
        mime = _zip_kind(path)
    elif head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        mime = OLE
    elif head.startswith((b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xcf\xfa\xed\xfe", b"#!")):
        return Sniffed("application/x-executable", False, True)
    else:
        kind = filetype.guess(head)
        mime = kind.mime if kind is not None else _text_kind(head, extension) or OCTET
    family = EXTENSION_FAMILIES.get(extension)
    matches = family is None or mime in family
    return Sniffed(mime, matches, mime in EXECUTABLE)


def label(mime: str) -> str:
    return str(LABELS.get(mime, mime))


# The small mark shown before a document's title in lists (documents/library.html): a
# family and its short name; the full type is in the "Type" column.
ICON_FAMILIES = {PDF: ("pdf", "PDF"), ODT: ("text", "ODT"), DOCX: ("text", "DOC"),
                 ODS: ("sheet", "ODS"), XLSX: ("sheet", "XLS"), CSV: ("sheet", "CSV"),
                 ODP: ("slides", "ODP"), PPTX: ("slides", "PPT"), OLE: ("text", "DOC"),
                 TEXT: ("plain", "TXT"), MARKDOWN: ("plain", "MD"), ZIP: ("archive", "ZIP"),
                 HTML: ("plain", "HTML"), XML: ("plain", "XML"), SVG: ("image", "SVG")}


def icon(mime: str | None) -> tuple[str, str]:
    """(family, short name) of a type, for its mark in lists."""
    if mime in ICON_FAMILIES:
        return ICON_FAMILIES[mime]
    if mime and mime.startswith("image/"):
        return "image", mime.split("/", 1)[1][:4].upper()
    return "other", "—"
