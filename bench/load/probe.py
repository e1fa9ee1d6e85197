"""How long a new post or document takes to become searchable while the load runs.

A member of its own (the plan's probe account) alternately replies to a topic and uploads a
Markdown note, each holding a word nobody else writes, then asks the search page for that
word every `poll` seconds until the page counts a result. The delay runs from the answer
of the form (the transaction is committed before it) to the first search that finds it:
the job worker's poll, the indexing job (and, for a document, the text extraction before
it), the index commit and the search's view of the new index version.
"""
from __future__ import annotations

import itertools
import random
import string
import threading
import time
from urllib.parse import quote

import requests
from browser import behind_proxy, csrf_token, referer, result_count, send_cookies_over_http

PROBE_ADDRESS = "10.255.255.1"


class ProbeError(Exception):
    pass


class FreshnessProbe(threading.Thread):
    def __init__(self, base_url: str, plan: dict, every: float = 5.0, poll: float = 0.25,
                 give_up: float = 60.0, search_url: str | None = None):
        super().__init__(daemon=True, name="freshness-probe")
        self.base_url, self.plan = base_url, plan
        # with several hosts: written through the first, searched through another
        self.search_url = search_url or base_url
        self.every, self.poll, self.give_up = every, poll, give_up
        # {"kind", "at", "seconds"}: seconds None when not found in time (or stopped)
        self.samples: list[dict] = []
        self.errors: list[str] = []
        self.request_times: list[float] = []  # one per request, to count them per window
        self.stopping = threading.Event()
        self.session = requests.Session()
        behind_proxy(self.session, PROBE_ADDRESS)

    def run(self) -> None:
        try:
            self._sign_in()
        except (requests.RequestException, ProbeError) as error:
            self.errors.append(f"sign-in: {error}")
            return
        for kind in itertools.cycle(("post", "document")):
            started = time.time()
            try:
                self.samples.append(self._measure(kind))
            except (requests.RequestException, ProbeError) as error:
                self.errors.append(f"{kind}: {error}")
            if self.stopping.wait(max(0.0, self.every - (time.time() - started))):
                return

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=self.give_up + 30)

    def _request(self, method: str, path: str, expect: int, base: str | None = None,
                 **kwargs) -> requests.Response:
        self.request_times.append(time.time())
        send_cookies_over_http(self.session)
        response = self.session.request(method, (base or self.base_url) + path,
                                        allow_redirects=False, timeout=60, **kwargs)
        if response.status_code != expect:
            raise ProbeError(f"{method} {path}: HTTP {response.status_code}")
        return response

    def _form(self, path: str, from_path: str, data: dict, **kwargs) -> None:
        html = self._request("GET", from_path, 200).text
        self._request("POST", path, 302, data={"csrf_token": csrf_token(html) or "", **data},
                      headers={"Referer": referer(self.base_url, from_path)}, **kwargs)

    def _sign_in(self) -> None:
        self._form("/login", "/login", {"email": self.plan["probe"]["email"],
                                        "password": self.plan["password"]})

    def _measure(self, kind: str) -> dict:
        word = "".join(random.choices(string.ascii_lowercase, k=14))
        slug = self.plan["probe"]["network"]
        network = self.plan["networks"][slug]
        if kind == "post":
            topic = network["short_topics"][0]["id"]
            self._form(f"/n/{slug}/forum/t/{topic}/reply", f"/n/{slug}/forum/t/{topic}",
                       {"body": f"Mesure de fraîcheur de la recherche : {word}."})
        else:
            path = f"/n/{slug}/documents/upload?folder={network['folders']['notes']}"
            note = f"# Mesure de fraîcheur\n\nLe mot de cette note : {word}.\n".encode()
            self._form(path, path, {}, files={"files": (f"fraicheur-{word}.md", note,
                                                        "text/markdown")})
        committed = time.time()
        while time.time() - committed < self.give_up:
            page = self._request("GET", f"/search?q={quote(word)}", 200,
                                 base=self.search_url).text
            if result_count(page):
                return {"kind": kind, "at": committed, "seconds": time.time() - committed}
            if self.stopping.wait(self.poll):
                break
        return {"kind": kind, "at": committed, "seconds": None,
                "interrupted": self.stopping.is_set()}
