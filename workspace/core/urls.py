"""Absolute links for e-mails and feeds, built from PUBLIC_URL and never from the Host header."""
from __future__ import annotations

from flask import current_app, url_for


def public_url(endpoint: str, **values) -> str:
    base = current_app.config["PUBLIC_URL"]
    with current_app.test_request_context("/", base_url=base):
        return url_for(endpoint, _external=True, **values)


def is_safe_next(target: str | None) -> bool:
    """A `next` target is followed only when it is a path on this site."""
    if not target or not isinstance(target, str):
        return False
    if any(ord(char) < 32 or char in "\\" for char in target):
        return False
    # "/x" is a path on this site; "//host" and "/\host" lead elsewhere in browsers
    return target.startswith("/") and not target.startswith("//")
