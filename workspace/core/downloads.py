"""Files sent to browsers under a name: the name in UTF-8 for browsers that read it
(`filename*`) and a readable ASCII transliteration for the others (`filename`).

Werkzeug's `send_file` keeps only the ASCII letters of a name for `filename`: a Cyrillic or
Greek name ("Отчёт.pdf") became ".pdf". Every view that sends a named file goes through
`send_file` here (same arguments as Flask's).
"""
from __future__ import annotations

import re
from urllib.parse import quote

import flask
from text_unidecode import unidecode

_UNSAFE = re.compile(r'[^A-Za-z0-9 !#$&+\-.^_`|~()\[\]{},;=@]+')
_MAX_NAME = 150


def ascii_filename(name: str, fallback: str = "fichier") -> str:
    """A transliteration of the name in plain ASCII ("Отчёт 2024.pdf" -> "Otchiot 2024.pdf"),
    without quotes, slashes or control characters; the extension is kept."""
    simple = " ".join(_UNSAFE.sub("_", unidecode(name)).split()).strip(" ._") or fallback
    stem, dot, extension = simple.rpartition(".")
    if not dot or not stem.strip(" ._"):
        return simple[:_MAX_NAME]
    return f"{stem.rstrip()[:_MAX_NAME - len(extension) - 1]}.{extension[:20]}"


def set_download_name(response: flask.Response, name: str, as_attachment: bool = True):
    """Content-Disposition with both names (RFC 6266: `filename*` wins where understood)."""
    disposition = "attachment" if as_attachment else "inline"
    names = {"filename": ascii_filename(name)}
    if names["filename"] != name:
        names["filename*"] = f"UTF-8''{quote(name, safe='!#$&+-.^_`|~')}"
    response.headers.set("Content-Disposition", disposition, **names)
    return response


def send_file(path_or_file, *args, download_name: str | None = None,
              as_attachment: bool = False, **kwargs) -> flask.Response:
    """Flask's send_file, with a transliterated ASCII name next to the UTF-8 one."""
    response = flask.send_file(path_or_file, *args, download_name=download_name,
                               as_attachment=as_attachment, **kwargs)
    if download_name is not None:
        set_download_name(response, download_name, as_attachment)
    return response
