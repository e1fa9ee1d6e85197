"""The served stack of the load test, as in production: its settings, a database of its own
(PostgreSQL or SQLite), gunicorn, the job worker, Redis for the sign-in throttling; and the
CPU and memory of every process, read from /proc while the load runs.

Every process is started in a session of its own and stopped by its process group, so that
nothing is left running after an error or Ctrl-C (`Processes.stop_all` in a `finally`).
"""
from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from _support import ROOT, environment, venv_tool

POSTGRES_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/0"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def production_environment(data_dir: Path, database_url: str, key_prefix: str) -> dict:
    """WORKSPACE_ENV=production with what `_refuse_weak_production_config` asks for.

    One departure, said in bench/README.md: e-mails are written to DATA_DIR/outbox
    (MAIL_TRANSPORT=file), as no mail server listens on the bench machine; the worker still
    renders every e-mail. The rate-limit keys get a prefix of their own in the shared Redis.
    """
    env = environment(data_dir)
    env.update(WORKSPACE_ENV="production", WORKSPACE_SECRET_KEY=secrets.token_urlsafe(48),
               WORKSPACE_PUBLIC_URL="https://tilt-charge.example",
               WORKSPACE_RATELIMIT_STORAGE_URI=REDIS_URL,
               WORKSPACE_RATELIMIT_KEY_PREFIX=key_prefix)
    if database_url:
        env["WORKSPACE_DATABASE_URL"] = database_url
    return env


# --- the database -------------------------------------------------------------------------

def create_postgres_database(name: str) -> str:
    """A fresh database on the local server (trust authentication); its URL."""
    _postgres_admin(f'CREATE DATABASE "{name}"')
    return POSTGRES_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def drop_postgres_database(name: str) -> None:
    _postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _postgres_admin(statement: str) -> None:
    import psycopg

    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres",
                         autocommit=True) as connection:
        connection.execute(statement)


def postgres_backends(name: str) -> list[int]:
    """Process ids of the server's backends connected to the database."""
    import psycopg

    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres",
                         autocommit=True) as connection:
        rows = connection.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s "
                                  "AND pid <> pg_backend_pid()", (name,)).fetchall()
    return [row[0] for row in rows]


def clear_redis_keys(prefix: str) -> int:
    """Delete the keys the run left in Redis (failed sign-ins, if any)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"*{prefix}*"))
    if keys:
        client.delete(*keys)
    return len(keys)


# --- processes ----------------------------------------------------------------------------

@dataclass
class Processes:
    """The processes this run started, each the leader of its own process group."""
    started: list[subprocess.Popen] = field(default_factory=list)

    def start(self, command: list[str], env: dict, log: Path) -> subprocess.Popen:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("ab"),
                                   stderr=subprocess.STDOUT, start_new_session=True)
        self.started.append(process)
        return process

    def stop(self, process: subprocess.Popen, timeout: float = 30) -> None:
        """SIGTERM to its group (gunicorn stops its workers, the job worker its job), then
        SIGKILL to whatever is left of the group."""
        if process.poll() is None:
            _signal_group(process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=timeout)
        _signal_group(process.pid, signal.SIGKILL)
        process.wait()

    def stop_all(self) -> None:
        while self.started:
            self.stop(self.started.pop())


def _signal_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)


def start_gunicorn(processes: Processes, env: dict, port: int, log: Path):
    """2 sync workers, from the repository's folder so that gunicorn.conf.py's start-up
    checks run; returns once the sign-in page answers."""
    server = processes.start([venv_tool("gunicorn"), "-w", "2", "-k", "sync", "-b",
                              f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
                             env, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited: see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5):
                return server
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 60 s")


def start_worker(processes: Processes, env: dict, log: Path):
    return processes.start([venv_tool("flask"), "--app", "wsgi", "worker"], env, log)


def children(pid: int) -> list[int]:
    """The live children of a process (gunicorn's workers), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


# --- CPU and memory -----------------------------------------------------------------------

def read_process(pid: int) -> dict | None:
    """CPU seconds (its own, and of its children it waited for: the extraction children
    of the job worker) and memory (VmRSS, RssAnon in MiB) of a process, or None if gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    memory = {}
    for line in status.splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "RssAnon"):
            memory[name] = int(value.split()[0]) / 1024
    if "VmRSS" not in memory:  # a zombie: exited, its times no longer its own
        return None
    # fields 14-17 of stat (utime, stime, cutime, cstime): 11-14 after the name
    utime, stime, cutime, cstime = (int(v) / CLOCK_TICKS for v in stat[11:15])
    return {"pid": pid, "cpu": utime + stime, "children_cpu": cutime + cstime,
            "rss_mb": memory["VmRSS"], "anon_mb": memory.get("RssAnon", 0.0)}


class Sampler(threading.Thread):
    """Reads every `every` seconds the processes `roles()` names ({role: pid}); the samples
    are (time, {role: read_process(pid)})."""

    def __init__(self, roles, every: float = 0.5):
        super().__init__(daemon=True, name="proc-sampler")
        self.roles, self.every = roles, every
        self.samples: list[tuple[float, dict]] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            roles = self.roles()
            now = time.time()
            reading = {role: read_process(pid) for role, pid in roles.items()}
            self.samples.append((now, {k: v for k, v in reading.items() if v}))
            self.stopping.wait(self.every)

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=10)

    def window(self, start: float, end: float) -> dict:
        """Per role: CPU seconds used between start and end (from the samples around them,
        of the same process: Locust's runs follow each other under one role) and the
        largest RSS seen."""
        inside = [reading for t, reading in self.samples if start <= t <= end]
        result = {}
        for role in {role for reading in inside for role in reading}:
            pid = next(r[role]["pid"] for r in reversed(inside) if role in r)
            mine = [(t, r[role]) for t, r in self.samples
                    if role in r and r[role]["pid"] == pid]
            first = ([m for m in mine if m[0] <= start][-1:] or mine[:1])[0][1]
            last = ([m for m in mine if m[0] >= end][:1] or mine[-1:])[0][1]
            seen = [m for t, m in mine if start <= t <= end] + [first, last]
            result[role] = {
                "cpu_s": round(last["cpu"] - first["cpu"], 3),
                "children_cpu_s": round(last["children_cpu"] - first["children_cpu"], 3),
                "rss_max_mb": round(max(m["rss_mb"] for m in seen), 1),
                "anon_max_mb": round(max(m["anon_mb"] for m in seen), 1)}
        return result

class Tracked:
    """The processes to sample: {role: pid}. gunicorn's workers are read from /proc at each
    sample (a worker that dies is replaced); PostgreSQL's backends of the run's database
    every few seconds, through one connection of its own (to another database, so that it
    is not among them)."""

    def __init__(self, servers: list, workers: list, database: str | None):
        """One gunicorn and one job worker per host (host 1 first)."""
        self.servers, self.workers, self.database = servers, workers, database
        self.locust = None
        self.backends: list[int] = []
        self.backends_read_at = 0.0

    def __call__(self) -> dict[str, int]:
        roles = {}
        pairs = zip(self.servers, self.workers, strict=True)
        for number, (server, worker) in enumerate(pairs, start=1):
            suffix = "" if number == 1 else f" host{number}"
            roles[f"gunicorn master{suffix}"] = server.pid
            roles[f"job worker{suffix}"] = worker.pid
            roles.update({f"gunicorn worker {pid}": pid for pid in children(server.pid)})
        if self.locust is not None and self.locust.poll() is None:
            roles["locust"] = self.locust.pid
        if self.database:
            if time.monotonic() - self.backends_read_at > 5:
                self.backends = postgres_backends(self.database)
                self.backends_read_at = time.monotonic()
            roles.update({f"postgres backend {pid}": pid for pid in self.backends})
        return roles
