"""What a simulated member's browser does the same way in the Locust file and in the
freshness probe: it comes through the TLS reverse proxy of production, and reads the CSRF
token of a form from the page.

Production trusts one proxy (PROXY_FIX_X_FOR=1): each member's requests carry the
`X-Forwarded-For` of their own address and `X-Forwarded-Proto: https`, as the proxy would
send them. The application then sees an https request: its session cookie is `Secure` and
Flask-WTF checks that a form's `Referer` is of the same https origin, so the client sends
its cookies over the bench's plain-HTTP connection (the proxy's TLS is the part not
simulated: `send_cookies_over_http`) and a `Referer` with each form, as a browser does.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
_RESULTS = re.compile(r'id="search-results-title"[^>]*>\s*([\d\s\u202f\xa0]+)')


def behind_proxy(session, address: str) -> None:
    """Headers of the reverse proxy for a member at `address`."""
    session.headers.update({"X-Forwarded-For": address, "X-Forwarded-Proto": "https"})


def send_cookies_over_http(session) -> None:
    """Before each request: the cookies the application set `Secure` are sent over the
    plain-HTTP connection too. (A cookie policy on the session's jar is not enough:
    requests copies the cookies into a jar of the default policy for each request.)"""
    for cookie in session.cookies:
        cookie.secure = False


def member_address(number: int) -> str:
    """A private address of its own for member `number` (10.0.0.1, 10.0.0.2, ...)."""
    number += 1
    return f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"


def referer(base_url: str, path: str) -> str:
    """The https address of a page, as the browser behind the proxy knows it."""
    return f"https://{urlsplit(base_url).netloc}{path}"


def csrf_token(html: str) -> str | None:
    found = _CSRF.search(html or "")
    return (found.group(1) or found.group(2)) if found else None


def result_count(html: str) -> int | None:
    """The number of results the search page announces, or None when it shows none."""
    found = _RESULTS.search(html or "")
    if not found:
        return None
    digits = re.sub(r"\D", "", found.group(1))
    return int(digits) if digits else None
