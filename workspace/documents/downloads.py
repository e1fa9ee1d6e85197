"""Serving stored files: always through an access-checked view, as attachments, with
ranges and ETags; inline only for PDF and raster images, never HTML or SVG."""
from __future__ import annotations

from pathlib import Path

from flask import abort, current_app
from PIL import Image, UnidentifiedImageError

from workspace.core.downloads import send_file
from workspace.documents import sniff, storage
from workspace.documents.models import DocumentVersion

DOWNLOAD_CSP = "default-src 'none'; sandbox"
PREVIEW_CSP = ("default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; "
               "object-src 'self'; frame-ancestors 'self'")
THUMBNAIL_SIZE = (320, 320)


def _path(version: DocumentVersion) -> Path:
    path = storage.blob_path(version.blob_sha256)
    if not path.is_file():
        current_app.logger.error("stored file missing: %s (version %s)", path, version.id)
        abort(404)
    return path


def _finish(response, csp: str):
    response.headers["Content-Security-Policy"] = csp
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-cache"  # revalidate with the ETag
    return response


def send_version(version: DocumentVersion):
    response = send_file(_path(version), mimetype=version.mime, as_attachment=True,
                         download_name=version.filename, conditional=True,
                         etag=version.blob_sha256, last_modified=version.uploaded_at)
    return _finish(response, DOWNLOAD_CSP)


def send_preview(version: DocumentVersion):
    if version.mime not in sniff.PREVIEWABLE:
        abort(404)
    response = send_file(_path(version), mimetype=version.mime, as_attachment=False,
                         download_name=version.filename, conditional=True,
                         etag=version.blob_sha256, last_modified=version.uploaded_at)
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return _finish(response, PREVIEW_CSP)


def send_thumbnail(version: DocumentVersion):
    """A small PNG of a raster image, made once and kept next to the store."""
    if version.mime not in sniff.INLINE_IMAGES:
        abort(404)
    target = Path(current_app.config["DATA_DIR"]) / "thumbnails" / f"{version.blob_sha256}.png"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with Image.open(_path(version)) as image:
                image.thumbnail(THUMBNAIL_SIZE)
                temporary = target.with_suffix(".tmp")
                image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB").save(
                    temporary, "PNG")
                temporary.replace(target)
        except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError):
            abort(404)
    response = send_file(target, mimetype="image/png", conditional=True,
                         etag=f"thumb-{version.blob_sha256}")
    return _finish(response, DOWNLOAD_CSP.replace("; sandbox", ""))
