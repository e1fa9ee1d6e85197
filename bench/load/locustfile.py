"""Simulated members of the networks, for bench/capacity.py, which writes the plan (accounts
and addresses of each network), serves the stack and reads the report this file writes.

A member signs in once through the /login form (CSRF token read from the page), then,
after each action, thinks for `--think-min` to `--think-max` seconds. Actions, by share:
reading (dashboard, forum index, long and short topics, search, library, documents,
previews, downloads of small and 5 MB files, meetings), answering a meeting, replying to a
topic (5 %), uploading a file (1 %). A member uses only the addresses of their networks.
Requests are named by page kind, so the statistics are per kind. An answer other than the
expected one (200 for a page, 302 for a form) is a failure; redirects are not followed
silently, they are requested as the page they lead to.

Two scenarios (`--scenario`), each run by the shape below:

- steps: for each number of simultaneously active members in `--steps`, the new members
  sign in, `--settle-seconds` pass, then statistics are reset and measured for
  `--step-seconds`; the step's record is written. It stops after the first step whose
  p95 over all requests passes `--p95-limit-ms` or that has a failure, its members'
  sign-ins included (`--all-steps` goes on).
- peak: `--peak-readers` members read as above while `--peak-registrants` other members
  of the large network, signed in beforehand, each register to the workshop of the plan at
  a random moment of the same `--peak-seconds` window (the workshop page, the form, the
  page it leads to).

Records are JSON lines in `--report`: the window's start and end (epoch seconds), and per
page kind: requests, failures, requests/s, p50, p95, p99, mean and max in ms
(bench/load/windows.py).
"""
from __future__ import annotations

import itertools
import json
import random
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import gevent
from browser import behind_proxy, csrf_token, member_address, referer, send_cookies_over_http
from locust import HttpUser, LoadTestShape, between, constant, events, task
from locust.exception import StopUser
from windows import PEAK_SUFFIX, window_record

PLAN: dict = {}
STATE = {"settled": 0, "sign_in_failures": 0, "peak_start": None, "registered": 0}
_members = itertools.count()
_registrants = itertools.count()
TIMEOUT = 60  # seconds a request may take before it counts as a failure
RAMP_LIMIT = 300  # seconds the members of a step may take to sign in
SIGN_IN = ("sign-in page", "sign-in")


@events.init_command_line_parser.add_listener
def _options(parser) -> None:
    parser.add_argument("--plan", required=True, help="the corpus plan (JSON)")
    parser.add_argument("--report", required=True, help="where records are appended")
    parser.add_argument("--scenario", choices=("steps", "peak"), default="steps")
    parser.add_argument("--steps", default="25,50,100,150,200,300")
    parser.add_argument("--step-seconds", type=float, default=60)
    parser.add_argument("--settle-seconds", type=float, default=5)
    parser.add_argument("--arrival-rate", type=float, default=10,
                        help="members starting (and signing in) per second")
    parser.add_argument("--p95-limit-ms", type=float, default=300)
    parser.add_argument("--all-steps", action="store_true")
    parser.add_argument("--think-min", type=float, default=3)
    parser.add_argument("--think-max", type=float, default=12)
    parser.add_argument("--peak-readers", type=int, default=50)
    parser.add_argument("--peak-registrants", type=int, default=300)
    parser.add_argument("--peak-seconds", type=float, default=60)
    parser.add_argument("--hosts", default="",
                        help="comma-separated addresses of the hosts: each member uses one "
                             "(by its number), as a load balancer without sticky sessions "
                             "would spread them; empty: --host")


@events.init.add_listener
def _configure(environment, **_kwargs) -> None:
    options = environment.parsed_options
    PLAN.update(json.loads(Path(options.plan).read_text()))
    Member.wait_time = between(options.think_min, options.think_max)
    Registrant.fixed_count = options.peak_registrants


# --- a member's browser ---------------------------------------------------------------

class Browser(HttpUser):
    """Signs in once; pages and forms with the expected answers."""
    abstract = True

    def sign_in_as(self, email: str, number: int) -> None:
        hosts = [url for url in self.environment.parsed_options.hosts.split(",") if url]
        if hosts:
            self.host = self.client.base_url = hosts[number % len(hosts)]
        behind_proxy(self.client, member_address(number))
        try:
            html = self.page("/login", SIGN_IN[0])
            location = self.form("/login", {"csrf_token": csrf_token(html) or "",
                                            "email": email, "password": PLAN["password"]},
                                 SIGN_IN[1], "/login")
        finally:
            STATE["settled"] += 1
        if location is None:
            STATE["sign_in_failures"] += 1
            raise StopUser()

    def page(self, path: str, name: str, expect: int = 200) -> str | None:
        """GET; the body when the answer is `expect`, else a failure and None."""
        send_cookies_over_http(self.client)
        with self.client.get(path, name=name, allow_redirects=False, timeout=TIMEOUT,
                             catch_response=True) as response:
            if response.status_code != expect:
                response.failure(f"HTTP {response.status_code} (expected {expect})")
                return None
            return response.text if expect == 200 and _is_html(response) else ""

    def form(self, path: str, data: dict, name: str, from_path: str,
             files: dict | None = None) -> str | None:
        """POST a form as the browser would from `from_path`; the redirect's target, or a
        failure and None (a form shown again with errors answers 200: a failure too)."""
        send_cookies_over_http(self.client)
        with self.client.post(path, data=data, files=files, name=name, timeout=TIMEOUT,
                              allow_redirects=False, catch_response=True,
                              headers={"Referer": referer(self.host, from_path)}) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or "/login" in location:
                response.failure(f"HTTP {response.status_code} {location} (expected 302)")
                return None
            return location


def _is_html(response) -> bool:
    return response.headers.get("Content-Type", "").startswith("text/html")


class Member(Browser):
    """A member of one or more networks, reading and sometimes writing."""
    wait_time = between(3, 12)

    def on_start(self) -> None:
        members = PLAN["members"]
        index = next(_members) % len(members)
        if self.environment.parsed_options.scenario == "peak":  # the registrants come first
            index = len(members) - 1 - index
        self.slugs = members[index]["networks"]
        self.sign_in_as(members[index]["email"], index)

    def network(self) -> tuple[str, dict]:
        slug = random.choice(self.slugs)
        return slug, PLAN["networks"][slug]

    @task(13)
    def dashboard(self) -> None:
        self.page("/", "dashboard")

    @task(10)
    def forum_index(self) -> None:
        slug, _ = self.network()
        self.page(f"/n/{slug}/forum/", "forum index")

    @task(14)
    def long_topic(self) -> None:
        slug, net = self.network()
        topic = random.choice(net["long_topics"])
        self.page(f"/n/{slug}/forum/t/{topic['id']}?page={random.randint(1, topic['pages'])}",
                  "topic (long)")

    @task(16)
    def short_topic(self) -> None:
        slug, net = self.network()
        self.page(f"/n/{slug}/forum/t/{random.choice(net['short_topics'])['id']}",
                  "topic (short)")

    @task(12)
    def search(self) -> None:
        kind = random.choices(("words", "phrase", "typo"), weights=(2, 1, 1))[0]
        self.page(f"/search?q={quote(random.choice(PLAN['queries'][kind]))}",
                  f"search ({kind})")

    @task(8)
    def library(self) -> None:
        slug, net = self.network()
        if random.random() < 0.5:
            self.page(f"/n/{slug}/documents/", "library")
        else:
            folder = random.choice(list(net["folders"].values()))
            self.page(f"/n/{slug}/documents/folders/{folder}", "folder")

    @task(6)
    def document(self) -> None:
        slug, net = self.network()
        document = random.choice(net["pdfs"] + net["notes"] + net["large"])
        self.page(f"/n/{slug}/documents/{document}", "document")

    @task(4)
    def preview(self) -> None:
        slug, net = self.network()
        self.page(f"/n/{slug}/documents/{random.choice(net['pdfs'])}/preview", "preview (PDF)")

    @task(4)
    def small_download(self) -> None:
        slug, net = self.network()
        document = random.choice(net["pdfs"] + net["notes"])
        self.page(f"/n/{slug}/documents/{document}/download", "download (small)")

    @task(2)
    def large_download(self) -> None:
        slug, net = self.network()
        self.page(f"/n/{slug}/documents/{random.choice(net['large'])}/download",
                  "download (5 MB)")

    @task(5)
    def answer_meeting(self) -> None:
        slug, net = self.network()
        path = f"/n/{slug}/meetings/{random.choice(net['meetings'])}"
        html = self.page(path, "meeting")
        if html is not None:
            location = self.form(f"{path}/rsvp", {
                "csrf_token": csrf_token(html) or "",
                "answer": random.choice(("yes", "no", "maybe"))}, "meeting answer", path)
            if location:
                self.page(location, "meeting")

    @task(5)
    def reply(self) -> None:
        slug, net = self.network()
        is_long = random.random() < 0.5
        topic = random.choice(net["long_topics" if is_long else "short_topics"])
        kind = "topic (long)" if is_long else "topic (short)"
        path = f"/n/{slug}/forum/t/{topic['id']}" + (f"?page={topic['pages']}" if is_long
                                                      else "")
        html = self.page(path, kind)
        if html is not None:
            location = self.form(f"/n/{slug}/forum/t/{topic['id']}/reply", {
                "csrf_token": csrf_token(html) or "",
                "body": random.choice(PLAN["replies"])}, "reply", path)
            if location:
                self.page(location, kind)

    @task(1)
    def upload(self) -> None:
        slug, net = self.network()
        path = f"/n/{slug}/documents/upload?folder={net['folders']['notes']}"
        html = self.page(path, "upload form")
        if html is not None:
            name = f"note-{uuid.uuid4().hex[:12]}.md"
            body = f"# Note {name}\n\n{random.choice(PLAN['replies'])}\n".encode()
            location = self.form(path, {"csrf_token": csrf_token(html) or ""}, "upload", path,
                                 files={"files": (name, body, "text/markdown")})
            if location:
                self.page(location, "document")


class Registrant(Browser):
    """A member of the large network who registers once, at a random moment of the peak."""
    fixed_count = 0  # set from --peak-registrants
    wait_time = constant(0.5)

    def on_start(self) -> None:
        number = next(_registrants)
        self.moment = random.uniform(0, self.environment.parsed_options.peak_seconds)
        self.done = False
        email = PLAN["registrants"][number]
        self.sign_in_as(email, len(PLAN["members"]) + number)

    @task
    def register(self) -> None:
        if self.done or STATE["peak_start"] is None:
            return
        gevent.sleep(max(0.0, STATE["peak_start"] + self.moment - time.time()))
        self.done = True
        workshop = PLAN["peak_workshop"]
        path = f"/n/{workshop['network']}/workshops/{workshop['id']}"
        html = self.page(path, "workshop" + PEAK_SUFFIX)
        if html is not None:
            location = self.form(f"{path}/register", {"csrf_token": csrf_token(html) or ""},
                                 "register" + PEAK_SUFFIX, path)
            if location:
                self.page(location, "workshop" + PEAK_SUFFIX)
        STATE["registered"] += 1


# --- the scenarios --------------------------------------------------------------------

class Scenario(LoadTestShape):
    """Steps of simultaneously active members, or the registration peak (see above)."""

    def __init__(self) -> None:
        super().__init__()
        self.step = 0
        self.ramp_start = self.ready_at = self.window_start = None
        self.ramp_seconds = 0.0
        self.failures_at_ramp = 0

    def tick(self):
        options = self.runner.environment.parsed_options
        if options.scenario == "peak":
            return self._peak(options)
        return self._steps(options)

    def _steps(self, options):
        steps = [int(value) for value in options.steps.split(",")]
        if self.step >= len(steps):
            return None
        target = steps[self.step]
        if self.window_start is None:
            if not self._open_window(target, options):
                return None
        elif time.time() - self.window_start >= options.step_seconds:
            record = self._record("step", users=target, p95_limit_ms=options.p95_limit_ms)
            record["passed"] = (record["total"]["p95_ms"] <= options.p95_limit_ms
                                and record["total"]["failures"] == 0
                                and record["sign_in_failures"] == 0)
            _write(options.report, record)
            self.step += 1
            self.ramp_start = self.ready_at = self.window_start = None
            if self.step >= len(steps) or not (record["passed"] or options.all_steps):
                return None
            target = steps[self.step]
        return target, options.arrival_rate, [Member]

    def _peak(self, options):
        total = options.peak_readers + options.peak_registrants
        if self.window_start is None:
            if not self._open_window(total, options):
                return None
            if self.window_start is not None:
                STATE["peak_start"] = self.window_start
        else:
            elapsed = time.time() - self.window_start
            finished = STATE["registered"] >= options.peak_registrants - \
                STATE["sign_in_failures"]
            if (elapsed >= options.peak_seconds and finished) or \
                    elapsed > options.peak_seconds + 120:
                _write(options.report, self._record(
                    "peak", readers=options.peak_readers,
                    registrants=options.peak_registrants, peak_seconds=options.peak_seconds,
                    registrations_done=STATE["registered"]))
                return None
        return total, options.arrival_rate, [Member, Registrant]

    def _open_window(self, target: int, options) -> bool:
        """Wait until `target` members have signed in (or given up), then `--settle-seconds`;
        then reset the statistics and open the window. False: sign-in took too long."""
        now = time.time()
        if self.ramp_start is None:
            self.ramp_start, self.failures_at_ramp = now, STATE["sign_in_failures"]
        if self.ready_at is None and STATE["settled"] >= target:
            self.ready_at = now
        if self.ready_at is not None and now - self.ready_at >= options.settle_seconds:
            self.runner.stats.reset_all()
            self.window_start = time.time()
            self.ramp_seconds = self.window_start - self.ramp_start
        elif now - self.ramp_start > RAMP_LIMIT:
            _write(options.report, {"type": "aborted", "users": target,
                                    "reason": f"sign-in of {target} members not done within "
                                              f"{RAMP_LIMIT} s", "settled": STATE["settled"]})
            return False
        return True

    def _record(self, kind: str, **fields) -> dict:
        record = window_record(self.runner.stats, self.window_start, SIGN_IN, type=kind,
                               **fields)
        record.update(ramp_seconds=round(self.ramp_seconds, 1),  # the sign-ins before it:
                      sign_in_failures=STATE["sign_in_failures"] - self.failures_at_ramp)
        return record


def _write(path: str, record: dict) -> None:
    with open(path, "a", encoding="utf-8") as report:
        report.write(json.dumps(record, ensure_ascii=False) + "\n")
