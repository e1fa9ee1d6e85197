"""Capacity benchmark (issue #19): how many simultaneously active members one host serves
with p95 <= 300 ms and no failure, served as in production, and what a registration peak
does to it.

Not part of the test suite. Run from the repository root:

    .venv/bin/python bench/capacity.py --db postgresql            # full steps, 60 s each
    .venv/bin/python bench/capacity.py --db sqlite --quick        # a few minutes
    .venv/bin/python bench/capacity.py --db postgresql --steps 50,100 --duration 30

What it does:

1. Data: a fresh PostgreSQL database of its own on 127.0.0.1:5432 (user postgres), dropped
   at the end, or SQLite in the temporary data folder; `flask db upgrade`; then the corpus
   is built in-process with the application's models and services (bench/load/corpus.py):
   6 networks, 600 members, long (200 posts) and short topics, small and 5 MB documents
   with their stored files and extracted text, meetings open for answers, a workshop with
   room for every registrant of the peak; `flask search rebuild`.
2. SQL statements and CPU time per request of each page kind, in-process
   (bench/load/inprocess.py).
3. The stack, as in production (WORKSPACE_ENV=production): gunicorn with 2 sync workers on a
   free port, the job worker (`flask worker`), Redis on 127.0.0.1:6379 for the sign-in
   throttling (a key prefix of the run's own, its keys deleted at the end).
4. Locust (bench/load/locustfile.py) in steps of simultaneously active members, each step's
   window measured after its members have signed in; it stops after the first step whose
   p95 over all requests passes the limit or that has a failure. Meanwhile: CPU and memory of
   every process from /proc (bench/load/stack.py) and the delay before a new post or document
   is found by the search page (bench/load/probe.py).
5. The peak: a few hundred members register to one workshop within a minute while others
   read; then the database must hold exactly one confirmed registration per registrant.

Results: bench/results/capacity-<db>-<timestamp>.json (git-ignored), and a summary. Every
process started is stopped, the database dropped and the folder removed at the end, even on
error or Ctrl-C (`--keep` keeps the folder and the PostgreSQL database). Exit status 1 when
the run is incomplete or the peak's registrations are not exact.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "load"))  # the Locust file's modules
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _support import RESULTS, ROOT, free_port, venv_tool
from load import corpus, inprocess, report, stack
from load.probe import FreshnessProbe

LOCUSTFILE = ROOT / "bench" / "load" / "locustfile.py"
FULL = {"steps": "25,50,100,150,200,300,400,500,600,800", "duration": 60,
        "registrants": 300, "peak_readers": 50, "peak_seconds": 60}
QUICK = {"steps": "25,50,100,200", "duration": 20,
         "registrants": 300, "peak_readers": 25, "peak_seconds": 60}


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--quick", action="store_true",
                        help=f"steps {QUICK['steps']} of {QUICK['duration']} s")
    parser.add_argument("--duration", type=float, help="seconds measured per step")
    parser.add_argument("--steps", help="members per step, comma-separated")
    parser.add_argument("--all-steps", action="store_true", help="go on after a failing step")
    parser.add_argument("--p95-limit-ms", type=float, default=300)
    parser.add_argument("--think", default="3,12", help="min,max seconds between actions")
    parser.add_argument("--members", type=int, default=600)
    parser.add_argument("--registrants", type=int)
    parser.add_argument("--peak-readers", type=int)
    parser.add_argument("--peak-seconds", type=float)
    parser.add_argument("--no-peak", action="store_true")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--hosts", type=int, choices=(1, 2, 3), default=1,
                        help="application hosts side by side (PostgreSQL): each its own "
                             "gunicorn, job worker and data folder (search index), sharing "
                             "the database and the file store; members spread over them, the "
                             "probe posts through host 1 and searches through the last")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary data folder and the PostgreSQL database")
    args = parser.parse_args()
    if args.hosts > 1 and args.db != "postgresql":
        parser.error("--hosts 2 or more needs --db postgresql (one database for every host)")
    defaults = QUICK if args.quick else FULL
    for name in ("steps", "duration", "registrants", "peak_readers", "peak_seconds"):
        if getattr(args, name) is None:
            setattr(args, name, defaults[name])
    return args


def prepare(data_dir: Path, env: dict, args) -> tuple[dict, dict]:
    """Migrate, build the corpus, rebuild the search index; the plan and what it took."""
    timings = {}
    started = time.perf_counter()
    flask(env, "db", "upgrade")
    timings["migrate_s"] = round(time.perf_counter() - started, 1)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    from workspace import create_app
    from workspace.extensions import db

    app = create_app()
    started = time.perf_counter()
    plan = corpus.build(app, args.members, args.registrants, args.seed)
    timings["build_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    settled = corpus.settle(app)
    timings["extract_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    flask(env, "search", "rebuild")
    timings["search_rebuild_s"] = round(time.perf_counter() - started, 1)
    settled["periodic_skipped"] = corpus.skip_due_periodic(app)
    with app.app_context():
        db.engine.dispose()
    return plan, timings | {"jobs": settled, "counts": plan["counts"]}


def flask(env: dict, *command: str) -> str:
    """A flask command in the run's environment; its output (RuntimeError if it fails)."""
    result = subprocess.run([venv_tool("flask"), "--app", "wsgi", *command], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"flask {' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def run_locust(scenario: str, tracked, base_url: str, plan_path: Path, run) -> list[dict]:
    """One headless Locust run of the scenario; its records."""
    args, data_dir, processes = run.args, run.data_dir, run.processes
    report_path = data_dir / f"locust-{scenario}.jsonl"
    think_min, think_max = args.think.split(",")
    command = [venv_tool("locust"), "-f", str(LOCUSTFILE), "--headless",
               "--host", base_url.split(",")[0], "--hosts", base_url,
               "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0",
               "--plan", str(plan_path), "--report", str(report_path),
               "--scenario", scenario, "--steps", args.steps,
               "--step-seconds", str(args.duration), "--p95-limit-ms", str(args.p95_limit_ms),
               "--think-min", think_min, "--think-max", think_max,
               "--peak-readers", str(args.peak_readers),
               "--peak-registrants", str(args.registrants),
               "--peak-seconds", str(args.peak_seconds)]
    if args.all_steps:
        command.append("--all-steps")
    log = data_dir / f"locust-{scenario}.log"
    tracked.locust = processes.start(command, os.environ.copy(), log)
    status = tracked.locust.wait()
    processes.started.remove(tracked.locust)
    if status != 0:
        raise RuntimeError(f"locust ({scenario}) exited with {status}: see {log}")
    if not report_path.exists():
        return []
    return [json.loads(line) for line in report_path.read_text().splitlines()]


def check_registrations(plan: dict) -> dict:
    """Exactly one confirmed registration per registrant, and the workshop's counter equal
    to them: nothing lost, nothing twice."""
    from sqlalchemy import select

    from workspace import create_app
    from workspace.auth.models import User
    from workspace.extensions import db
    from workspace.workshops.models import CONFIRMED, Registration, Workshop

    app = create_app()
    with app.app_context():
        workshop_id = plan["peak_workshop"]["id"]
        rows = db.session.execute(select(User.email, Registration.status).join(
            Registration, Registration.user_id == User.id).where(
            Registration.workshop_id == workshop_id)).all()
        workshop = db.session.get(Workshop, workshop_id)
        counters = (workshop.confirmed_count, workshop.waiting_count)
        db.engine.dispose()
    emails = [email for email, _status in rows]
    confirmed = sum(status == CONFIRMED for _email, status in rows)
    expected = set(plan["registrants"])
    return {"expected": len(expected), "registrations": len(rows),
            "distinct_members": len(set(emails)), "confirmed": confirmed,
            "confirmed_count": counters[0], "waiting_count": counters[1],
            "missing": sorted(expected - set(emails))[:20],
            "exact": (len(rows) == len(set(emails)) == confirmed == counters[0]
                      and set(emails) == expected and counters[1] == 0)}


def machine(database: str | None) -> dict:
    versions = {name: metadata.version(name) for name in (
        "locust", "gunicorn", "Flask", "Werkzeug", "SQLAlchemy", "psycopg", "redis")}
    versions["sqlite"] = sqlite3.sqlite_version
    if database:
        import psycopg

        with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres") as connection:
            versions["postgresql"] = connection.execute("SHOW server_version").fetchone()[0]
    import redis

    versions["redis_server"] = redis.Redis.from_url(stack.REDIS_URL).info()["redis_version"]
    return {"cpus": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "load_average_start": os.getloadavg(),
            "versions": versions}


@dataclass
class Run:
    """What one run creates, and removes at its end."""
    args: argparse.Namespace
    data_dir: Path
    database: str | None
    key_prefix: str
    processes: stack.Processes = field(default_factory=stack.Processes)
    threads: list = field(default_factory=list)  # started threads with a stop()

    def clean_up(self) -> None:
        for thread in self.threads:
            thread.stop()
        self.processes.stop_all()
        if self.args.keep:
            print(f"Data kept in {self.data_dir}"
                  + (f", database {self.database}" if self.database else ""))
        else:
            shutil.rmtree(self.data_dir, ignore_errors=True)
            if self.database:
                stack.drop_postgres_database(self.database)
        stack.clear_redis_keys(self.key_prefix)


def measure(run: Run) -> dict:
    """The data, the in-process figures, then the stack under the steps and the peak."""
    args, data_dir = run.args, run.data_dir
    facts = machine(run.database)
    url = stack.create_postgres_database(run.database) if run.database else ""
    env = stack.production_environment(data_dir, url, run.key_prefix)
    print(f"Building the corpus ({args.db}, {data_dir}) ...", flush=True)
    plan, built = prepare(data_dir, env, args)
    print(f"  {built}", flush=True)
    plan_path = data_dir / "plan.json"
    plan_path.write_text(json.dumps(plan, ensure_ascii=False))
    in_process = inprocess.measure(plan)
    urls, servers, workers = [], [], []
    for number, host_env in enumerate(host_environments(env, data_dir, args.hosts), start=1):
        port = free_port()
        urls.append(f"http://127.0.0.1:{port}")
        logs = Path(host_env["WORKSPACE_DATA_DIR"])
        servers.append(stack.start_gunicorn(run.processes, host_env, port,
                                            logs / f"gunicorn-{number}.log"))
        workers.append(stack.start_worker(run.processes, host_env,
                                          logs / f"worker-{number}.log"))
    base_url = ",".join(urls)
    tracked = stack.Tracked(servers, workers, run.database)
    sampler = stack.Sampler(tracked)
    probe = FreshnessProbe(urls[0], plan, search_url=urls[-1])
    for thread in (sampler, probe):
        run.threads.append(thread)
        thread.start()
    print(f"Steps of {args.steps} members, {args.duration:.0f} s each ...", flush=True)
    records = run_locust("steps", tracked, base_url, plan_path, run)
    if not args.no_peak:
        records += run_locust("peak", tracked, base_url, plan_path, run)
    probe.stop()
    sampler.stop()
    facts["load_average_end"] = os.getloadavg()
    return assemble(args, facts, built, in_process, records, sampler, probe, plan)


def host_environments(env: dict, data_dir: Path, hosts: int) -> list[dict]:
    """Host 1 is the prepared folder; each other host gets a data folder of its own with a
    copy of host 1's search index and cursor (an index and its cursor travel together: the
    copy follows the change log from where host 1 stood, as a rebuild would, only sooner),
    and every host the same file store."""
    shared = {**env, "WORKSPACE_FILES_DIR": str(data_dir / "files")}
    environments = [shared]
    for number in range(2, hosts + 1):
        folder = data_dir / f"host{number}"
        shutil.copytree(data_dir / "search", folder / "search")
        environments.append({**shared, "WORKSPACE_DATA_DIR": str(folder)})
    return environments


def assemble(args, facts: dict, built: dict, in_process: dict, records: list[dict], sampler,
             probe, plan: dict) -> dict:
    """The result: each window with its CPU, memory and freshness; the peak's check."""
    steps = [report.window_result(r, sampler, probe) for r in records if r["type"] == "step"]
    peak = next((report.window_result(r, sampler, probe) for r in records
                 if r["type"] == "peak"), None)
    if peak:
        peak["check"] = check_registrations(plan)
    return {
        "benchmark": "capacity", "date": datetime.now().isoformat(timespec="seconds"),
        "machine": facts, "database": {"kind": args.db},
        "settings": {"steps": args.steps, "step_seconds": args.duration,
                     "think_seconds": args.think, "p95_limit_ms": args.p95_limit_ms,
                     "quick": args.quick, "gunicorn": "-w 2 -k sync",
                     "hosts": args.hosts,
                     "registrants": args.registrants, "peak_readers": args.peak_readers,
                     "peak_seconds": args.peak_seconds},
        "corpus": built, "in_process": in_process, "steps": steps,
        "capacity_members": report.capacity(steps), "peak": peak,
        "aborted": [r for r in records if r["type"] == "aborted"],
        "freshness_overall": report.freshness(probe.samples),
        "probe_errors": probe.errors[:20],
        "errors": [e for s in steps + ([peak] if peak else []) for e in s["errors"]],
    }


def main() -> int:
    args = parse_arguments()
    run_id = f"{os.getpid()}_{secrets.token_hex(3)}"
    run = Run(args, Path(tempfile.mkdtemp(prefix="tilt-bench-capacity-")),
              f"tilt_capacity_{run_id}" if args.db == "postgresql" else None,
              f"tilt-capacity-{run_id}")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started ignoring it
    try:
        result = measure(run)
        RESULTS.mkdir(parents=True, exist_ok=True)
        hosts = f"-{args.hosts}hosts" if args.hosts > 1 else ""
        out = RESULTS / f"capacity-{args.db}{hosts}-{datetime.now():%Y%m%d-%H%M%S}.json"
        out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
        report.print_summary(result)
        print(f"\nResults: {out.relative_to(ROOT)}")
        complete = bool(result["steps"]) and not result["aborted"] and (
            args.no_peak or (result["peak"] is not None and result["peak"]["check"]["exact"]))
        return 0 if complete else 1
    finally:
        run.clean_up()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("Interrupted: the processes started were stopped.", file=sys.stderr)
        sys.exit(130)
