"""Response headers that every page carries: CSP, no sniffing, referrer, caching."""
from __future__ import annotations

from flask import Flask, Response
from flask_login import current_user

from workspace.core.assets import is_public_file

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if is_public_file():  # the same for everyone: the session is not even read
        return response
    if current_user and current_user.is_authenticated:
        # pages: never stored; files sent by a view may choose "private, no-cache" (ETag)
        if "private" not in headers.get("Cache-Control", ""):
            headers["Cache-Control"] = "private, no-store"
        headers.add("Vary", "Cookie")
    return response


def init_security(app: Flask) -> None:
    app.after_request(set_security_headers)
    if app.config.get("PROXY_FIX_X_FOR"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = int(app.config["PROXY_FIX_X_FOR"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n)
