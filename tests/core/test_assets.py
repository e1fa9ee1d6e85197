"""Static files: fingerprinted names, a year of caching, compressed; pages stay no-store."""
from __future__ import annotations

import gzip
import re

import brotli

from workspace.core.assets import CACHE_FOREVER, Manifest


def _asset_links(page: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/assets/[^"]+)"', page)


def test_every_page_links_bootstrap_and_our_files_under_fingerprinted_names(client):
    links = _asset_links(client.get("/login").get_data(as_text=True))
    names = {re.sub(r"\.[0-9a-f]{12}\.", ".", link) for link in links}
    assert {"/assets/vendor/bootstrap/css/bootstrap.min.css", "/assets/css/app.css",
            "/assets/img/favicon.svg", "/assets/vendor/bootstrap/js/bootstrap.min.js",
            "/assets/js/app.js"} <= names
    assert "/bootstrap/static/" not in client.get("/login").get_data(as_text=True)


def test_a_file_is_cached_a_year_and_sent_compressed_as_the_browser_accepts(
        client, make_user, login):
    login(client, make_user())  # signed in: the file stays public all the same
    css = next(link for link in _asset_links(client.get("/").get_data(as_text=True))
               if "bootstrap.min" in link and link.endswith(".css"))
    plain = client.get(css, headers={"Accept-Encoding": ""})
    assert plain.status_code == 200 and b".btn{" in plain.data
    assert plain.headers["Cache-Control"] == CACHE_FOREVER
    assert "Cookie" not in plain.headers.get("Vary", "")
    assert "Set-Cookie" not in plain.headers
    br = client.get(css, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert br.headers["Content-Encoding"] == "br"
    assert brotli.decompress(br.data) == plain.data
    assert len(br.data) < len(plain.data) / 5
    gz = client.get(css, headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(gz.data) == plain.data
    again = client.get(css, headers={"Accept-Encoding": "gzip",
                                     "If-None-Match": gz.headers["ETag"]})
    assert again.status_code == 304


def test_an_address_with_another_digest_is_not_found(client):
    link = _asset_links(client.get("/login").get_data(as_text=True))[0]
    stale = re.sub(r"\.[0-9a-f]{12}\.", ".000000000000.", link)
    assert client.get(stale).status_code == 404
    assert client.get("/assets/css/app.css").status_code == 404


def test_a_changed_file_gets_another_name(tmp_path):
    style = tmp_path / "app.css"
    style.write_text("body{color:red}")
    before = Manifest({"css/app.css": style}).by_name["css/app.css"].fingerprinted
    style.write_text("body{color:blue}")
    after = Manifest({"css/app.css": style}).by_name["css/app.css"].fingerprinted
    assert before != after
    assert re.fullmatch(r"css/app\.[0-9a-f]{12}\.css", after)


def test_pages_stay_no_store_and_are_compressed(client, make_user, login):
    login(client, make_user())
    page = client.get("/directory", headers={"Accept-Encoding": "gzip, br"})
    assert page.headers["Cache-Control"] == "private, no-store"
    assert page.headers["Content-Encoding"] == "br"
    assert b"</html>" in brotli.decompress(page.data)


def test_unknown_static_files_keep_flask_address(app):
    from workspace.core.assets import static_url_for

    with app.test_request_context("/"):
        assert static_url_for("static", filename="no/such.css") == "/static/no/such.css"
        assert static_url_for("static", filename="css/app.css").startswith("/assets/css/app.")
