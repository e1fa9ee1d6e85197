"""Receiving multipart forms: file parts stream into the store's temporary folder (hashed on
the way, memory does not grow with an upload), the limits are enforced while the body is read,
and any refusal part-way (too large, too many files or parts, client gone, disk full, any
error) removes every temporary file of the request at once, before the error page is made.

Werkzeug hooks used: ``Request.form_data_parser_class`` and ``FormDataParser.parse`` /
``stream_factory`` (public), and ``Request._get_file_stream``, the documented place to choose
where file parts go. Werkzeug raises one bare 413 for three limits; which one was passed is
told apart here (the body's size by the stream, the parts by counting boundaries), so that the
page says the right reason.
"""
from __future__ import annotations

from typing import IO

from flask import current_app
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser

from workspace.core.errors import ExplainedHTTPError
from workspace.core.inputs import WorkspaceRequest
from workspace.documents.storage import HashingFile, store_root


class UploadRefused(ExplainedHTTPError, RequestEntityTooLarge):
    """413 with the limit that was passed, in words."""


def too_large() -> UploadRefused:
    megabytes = current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
    return UploadRefused(_("Fichier trop volumineux"), _(
        "L'envoi dépasse la taille maximale autorisée (%(mb)d Mo par envoi) : rien n'a été "
        "enregistré. Réduisez le fichier ou envoyez les fichiers en plusieurs fois.",
        mb=megabytes))


def too_many_files(limit: int) -> UploadRefused:
    return UploadRefused(_("Trop de fichiers"), _(
        "Un envoi compte au plus %(max)d fichiers : rien n'a été enregistré. Envoyez les "
        "fichiers en plusieurs fois.", max=limit))


def too_many_parts(limit: int) -> UploadRefused:
    return UploadRefused(_("Formulaire trop long"), _(
        "Le formulaire envoyé compte plus de %(max)d parties : rien n'a été enregistré.",
        max=limit))


def field_too_large(limit: int) -> UploadRefused:
    return UploadRefused(_("Champ trop long"), _(
        "Un champ du formulaire dépasse %(kb)d Ko : rien n'a été enregistré. Raccourcissez "
        "le texte, ou joignez-le en fichier.", kb=limit // 1024))


class _CountingStream:
    """The request body as the parser reads it: a size refusal from Werkzeug's limited
    stream becomes "too large", and the multipart delimiters read so far are counted."""

    def __init__(self, stream: IO[bytes], boundary: bytes):
        self._stream, self._delimiter = stream, b"--" + boundary
        self._tail, self.delimiters = b"", 0

    def read(self, size: int = -1) -> bytes:
        try:
            data = self._stream.read(size)
        except RequestEntityTooLarge:
            raise too_large() from None
        window = self._tail + data  # a delimiter may straddle two reads
        self.delimiters += window.count(self._delimiter)
        self._tail = window[-(len(self._delimiter) - 1):] if data else b""
        return data


class UploadFormParser(FormDataParser):
    """Multipart parsing that counts named file parts against UPLOAD_MAX_FILES and, when it
    fails for any reason, closes (and so deletes) every temporary file it opened."""

    def parse(self, stream, mimetype, content_length, options=None):
        if mimetype != "multipart/form-data" or not (options or {}).get("boundary"):
            return super().parse(stream, mimetype, content_length, options)
        opened: list[IO[bytes]] = []
        named = [0]  # file parts that carry a file name (an empty file input has none)
        limit = current_app.config["UPLOAD_MAX_FILES"]
        make_file = self.stream_factory

        def open_file(**part) -> IO[bytes]:
            if part.get("filename"):
                named[0] += 1
                if named[0] > limit:
                    raise too_many_files(limit)  # before a byte of the extra file is written
            opened.append(make_file(**part))
            return opened[-1]

        counted = _CountingStream(stream, options["boundary"].encode("ascii", "replace"))
        self.stream_factory = open_file
        try:
            _stream, form, files = super().parse(counted, mimetype, content_length, options)
        except BaseException as error:
            _close(opened)
            if type(error) is RequestEntityTooLarge:  # the bare one only: ours say which limit
                raise self._which_limit(counted) from None
            raise
        finally:
            self.stream_factory = make_file
        kept = {id(item.stream) for _name, item in files.items(multi=True)}
        _close([f for f in opened if id(f) not in kept])  # a malformed body drops its files
        return stream, form, files

    def _which_limit(self, counted: _CountingStream) -> UploadRefused:
        """Werkzeug's bare 413 inside the body: too many parts, or one field too long."""
        if self.max_form_parts is not None and counted.delimiters > self.max_form_parts:
            return too_many_parts(self.max_form_parts)
        return field_too_large(self.max_form_memory_size or 0)


def _close(containers: list[IO[bytes]]) -> None:
    for container in containers:
        container.close()  # a HashingFile deletes its temporary file


class StreamingRequest(WorkspaceRequest):
    """The application's request class: uploads go to the store, within the limits."""

    form_data_parser_class = UploadFormParser

    def _get_file_stream(self, total_content_length, content_type, filename=None,
                         content_length=None):
        return HashingFile(store_root() / "tmp")
