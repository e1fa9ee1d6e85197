"""Background work of the libraries: text extraction, orphan sweep."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from workspace.core.models import utcnow
from workspace.documents import storage
from workspace.documents.models import (
    EXTRACTION_DONE,
    EXTRACTION_TOO_LARGE,
    Blob,
    DocumentText,
    DocumentVersion,
)
from workspace.extensions import db


def extraction_limits():
    from workspace.documents.extraction import ExtractionLimits

    config = current_app.config
    return ExtractionLimits(timeout_seconds=config["EXTRACTION_TIMEOUT_SECONDS"],
                            cpu_seconds=int(config["EXTRACTION_TIMEOUT_SECONDS"]),
                            memory_bytes=config["EXTRACTION_MEMORY_MB"] * 1024 * 1024,
                            max_output_chars=config["EXTRACTION_MAX_CHARS"])


def extract_version(payload: dict) -> None:
    """Extract the text of one version in a child process with limits; record the outcome
    (done, too large, failed with its reason, or no text in this format)."""
    from workspace.documents.extraction import extract_text

    version = db.session.get(DocumentVersion, payload["version_id"])
    if version is None:
        return  # purged since
    result = extract_text(storage.blob_path(version.blob_sha256), version.mime,
                          extraction_limits())
    version.extraction_status = result.status
    version.extraction_reason = result.reason[:500]
    version.extracted_at = utcnow()
    text = db.session.get(DocumentText, version.id)
    if result.status in (EXTRACTION_DONE, EXTRACTION_TOO_LARGE):
        if text is None:
            text = DocumentText(version_id=version.id)
            db.session.add(text)
        text.text, text.page_count = result.text, len(result.pages)
    elif text is not None:
        db.session.delete(text)


def known_blobs() -> set[str]:
    return set(db.session.scalars(select(Blob.sha256)))


def sweep_orphans(payload: dict | None = None) -> int:
    return storage.sweep(known_blobs(), current_app.config["DOCUMENTS_ORPHAN_GRACE_SECONDS"])
