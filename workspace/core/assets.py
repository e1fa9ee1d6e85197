"""Static files under fingerprinted names, cached for a year and sent compressed.

Every file of `static/` and Bootstrap's files (shipped by the pinned Bootstrap-Flask package,
whose own `/bootstrap/static/` route is no longer linked) get a name carrying the first
12 hex digits of their SHA-256: `/assets/css/app.3f2a1b9c0d1e.css`. The name changes when
the content does, so a browser may keep the file for a year without asking again
(`Cache-Control: public, max-age=31536000, immutable`); a page, always `no-store`, names
the current version. An address whose digest is not the current one answers 404 (never
today's content under yesterday's name, which caches would keep for a year).

`url_for('static', filename=...)` in templates gives the fingerprinted address of a known
file, so a template never spells a digest and a new file of `static/` needs nothing more;
an unknown file keeps Flask's `/static/` address (revalidated at each use).

The manifest is read when the application is built (a few files, well under a megabyte);
a changed file of `static/` is seen at the next start. Each file is compressed once per
process and encoding (Brotli, else gzip), on first request, and kept in memory.
"""
from __future__ import annotations

import gzip
import hashlib
import mimetypes
import threading
from dataclasses import dataclass
from pathlib import Path

import brotli
from flask import Flask, current_app, request, url_for
from werkzeug.wrappers import Request, Response

EXTENSION = "tilt.assets"
URL_PREFIX = "/assets"
CACHE_FOREVER = "public, max-age=31536000, immutable"
# Bootstrap-Flask's copy of Bootstrap 5 (its blueprint's static folder) under our names.
BOOTSTRAP_FILES = {
    "vendor/bootstrap/css/bootstrap.min.css": "css/bootstrap.min.css",
    "vendor/bootstrap/js/bootstrap.min.js": "js/bootstrap.min.js",
    "vendor/bootstrap/umd/popper.min.js": "umd/popper.min.js",
}
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")
ENCODINGS = ("br", "gzip")


@dataclass(frozen=True)
class Asset:
    """One static file: its logical name (`css/app.css`) and its fingerprinted one."""
    name: str
    path: Path
    digest: str
    mimetype: str

    @property
    def fingerprinted(self) -> str:
        stem, dot, suffix = self.name.rpartition(".")
        if not dot or "/" in suffix:
            return f"{self.name}.{self.digest}"
        return f"{stem}.{self.digest}.{suffix}"

    @property
    def compressible(self) -> bool:
        return self.mimetype.startswith(COMPRESSIBLE)


class Manifest:
    """The assets of one application, by logical and by fingerprinted name, and their
    compressed bodies once asked for."""

    def __init__(self, files: dict[str, Path]):
        self.by_name: dict[str, Asset] = {}
        for name, path in sorted(files.items()):
            data = path.read_bytes()
            mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
            self.by_name[name] = Asset(name, path, hashlib.sha256(data).hexdigest()[:12],
                                       mimetype)
        self.by_fingerprint = {asset.fingerprinted: asset for asset in self.by_name.values()}
        self._bodies: dict[tuple[str, str | None], bytes] = {}
        self._lock = threading.Lock()

    def body(self, asset: Asset, encoding: str | None) -> bytes:
        """The file's bytes in `encoding` (None: as stored), compressed once."""
        key = (asset.name, encoding)
        with self._lock:
            cached = self._bodies.get(key)
        if cached is not None:
            return cached
        data = asset.path.read_bytes()
        if encoding == "br":
            data = brotli.compress(data, quality=11)
        elif encoding == "gzip":
            data = gzip.compress(data, compresslevel=9, mtime=0)
        with self._lock:
            self._bodies[key] = data
        return data


def collect_files(app: Flask) -> dict[str, Path]:
    """Logical name → file: everything under `static/`, then Bootstrap's files."""
    files: dict[str, Path] = {}
    if app.static_folder:
        root = Path(app.static_folder)
        for path in root.rglob("*"):
            if path.is_file() and not path.name.startswith("."):
                files[path.relative_to(root).as_posix()] = path
    bootstrap = app.blueprints.get("bootstrap")
    if bootstrap is not None and bootstrap.static_folder:
        for name, relative in BOOTSTRAP_FILES.items():
            path = Path(bootstrap.static_folder) / relative
            if path.is_file():
                files[name] = path
    return files


def manifest(app: Flask | None = None) -> Manifest:
    return (app or current_app).extensions[EXTENSION]


def static_url_for(endpoint: str, **values) -> str:
    """`url_for`, except that a known file of `static/` gets its fingerprinted address."""
    if endpoint == "static" and "filename" in values:
        asset = manifest().by_name.get(values["filename"])
        if asset is not None:
            root = request.url_root if values.get("_external") else request.script_root + "/"
            return f"{root}{URL_PREFIX.strip('/')}/{asset.fingerprinted}"
    return url_for(endpoint, **values)


class AssetMiddleware:
    """Serves `/assets/<fingerprinted name>` before Flask: a file is the same for everyone,
    so no session is opened (Flask would add `Vary: Cookie`, and a session cookie that
    changes would make the browser's copy useless) and no database is touched."""

    def __init__(self, wsgi_app, manifest: Manifest):
        self.wsgi_app, self.manifest = wsgi_app, manifest

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.startswith(URL_PREFIX + "/"):
            return self.wsgi_app(environ, start_response)
        return self.serve(Request(environ), path[len(URL_PREFIX) + 1:])(environ, start_response)

    def serve(self, request: Request, name: str) -> Response:
        """A fingerprinted file, compressed as the browser accepts, cached for a year."""
        found = self.manifest.by_fingerprint.get(name)
        if found is None or request.method not in ("GET", "HEAD"):
            response = Response("Not Found", status=404, mimetype="text/plain")
            response.headers["Cache-Control"] = "no-store"
            response.headers["X-Content-Type-Options"] = "nosniff"
            return response
        encoding = None
        if found.compressible:
            encoding = request.accept_encodings.best_match(ENCODINGS)
        response = Response(self.manifest.body(found, encoding), mimetype=found.mimetype)
        if encoding:
            response.headers["Content-Encoding"] = encoding
        response.headers["Cache-Control"] = CACHE_FOREVER
        response.headers["Vary"] = "Accept-Encoding"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.set_etag(f"{found.digest}-{encoding or 'identity'}")
        return response.make_conditional(request)


def is_public_file() -> bool:
    """Whether this request asks for a file every visitor may keep (not a page)."""
    return request.endpoint in ("static", "bootstrap.static")


def init_assets(app: Flask) -> None:
    app.extensions[EXTENSION] = files = Manifest(collect_files(app))
    app.wsgi_app = AssetMiddleware(app.wsgi_app, files)  # type: ignore[method-assign]
    app.jinja_env.globals["url_for"] = static_url_for
