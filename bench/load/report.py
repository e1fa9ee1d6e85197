"""From the Locust records, the /proc samples and the probe's delays to the results of each
window (a step, the peak), and the summary printed at the end of bench/capacity.py."""
from __future__ import annotations

from _support import median, percentile


def window_result(record: dict, sampler, probe) -> dict:
    """A Locust window with the CPU, memory and freshness measured over the same seconds.
    CPU per request divides by every request of the window, the probe's included."""
    start, end = record["start"], record["end"]
    processes = sampler.window(start, end)
    requests = sum(e["requests"] for e in record["entries"].values()) + sum(
        start <= t <= end for t in probe.request_times)
    workers = {r: v for r, v in processes.items() if r.startswith("gunicorn worker")}
    backends = {r: v for r, v in processes.items() if r.startswith("postgres backend")}
    jobs = [v for r, v in processes.items() if r.startswith("job worker")]
    job = {key: sum(v.get(key, 0.0) for v in jobs) for key in ("cpu_s", "children_cpu_s")}
    job["rss_max_mb"] = max((v["rss_max_mb"] for v in jobs), default=None)
    seconds = end - start

    def per_request(cpu: float) -> float | None:
        return round(cpu / requests * 1000, 2) if requests else None

    workers_cpu = sum(v["cpu_s"] for v in workers.values())
    job_cpu = job.get("cpu_s", 0.0) + job.get("children_cpu_s", 0.0)
    backends_cpu = sum(v["cpu_s"] for v in backends.values())
    result = {key: value for key, value in record.items() if key not in ("start", "end")}
    result.update({
        "window_seconds": round(seconds, 1), "requests_incl_probe": requests,
        "cpu": {
            "gunicorn_workers_s": round(workers_cpu, 2),
            "gunicorn_workers_ms_per_request": per_request(workers_cpu),
            "job_worker_s": round(job_cpu, 2),
            "job_worker_ms_per_request": per_request(job_cpu),
            "job_worker_children_s": job.get("children_cpu_s", 0.0),
            "postgres_backends_s": round(backends_cpu, 2),
            "postgres_backends_ms_per_request": per_request(backends_cpu) if backends else None,
            "locust_s": processes.get("locust", {}).get("cpu_s"),
            "gunicorn_master_s": processes.get("gunicorn master", {}).get("cpu_s"),
            "share_of_2_cores_workers": round(workers_cpu / seconds / 2, 3)},
        "job_workers": len(jobs),
        "memory_mb": {
            "gunicorn_master": processes.get("gunicorn master", {}).get("rss_max_mb"),
            "gunicorn_workers": sorted(v["rss_max_mb"] for v in workers.values()),
            "job_worker": job.get("rss_max_mb"),
            "locust": processes.get("locust", {}).get("rss_max_mb"),
            "postgres_backends": {"count": len(backends),
                                  "rss_sum_mb": round(sum(v["rss_max_mb"]
                                                          for v in backends.values()), 1),
                                  "anon_sum_mb": round(sum(v["anon_max_mb"]
                                                           for v in backends.values()), 1)}
            if backends else None},
        "freshness": freshness([s for s in probe.samples if start <= s["at"] <= end]),
    })
    return result


def freshness(samples: list[dict]) -> dict:
    """p50 / p95 / max seconds from the form's answer to the first search that finds it,
    per kind; `not_found`: still not found after the probe's limit."""
    result = {}
    for kind in ("post", "document"):
        mine = [s for s in samples if s["kind"] == kind and not s.get("interrupted")]
        found = [s["seconds"] for s in mine if s["seconds"] is not None]
        result[kind] = {"count": len(mine), "not_found": len(mine) - len(found)} | ({
            "p50_s": round(median(found), 2), "p95_s": round(percentile(found, 0.95), 2),
            "max_s": round(max(found), 2)} if found else {})
    return result


def capacity(steps: list[dict]) -> int | None:
    """The largest number of members of a passing step, every smaller step passing too."""
    best = None
    for step in steps:
        if not step["passed"]:
            break
        best = step["users"]
    return best


# --- the printed summary ------------------------------------------------------------------

def print_summary(report: dict) -> None:
    print(f"\nCapacity on {report['database']['kind']} "
          f"(load average at start {_load(report['machine']['load_average_start'])}, "
          f"end {_load(report['machine']['load_average_end'])})")
    print(f"{'members':>8}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}{'fail':>6}"
          f"{'web ms/req':>11}{'jobs ms/req':>12}{'db ms/req':>10}{'fresh post p50/p95':>20}"
          f"  passed")
    for step in report["steps"]:
        total, cpu, fresh = step["total"], step["cpu"], step["freshness"]["post"]
        print(f"{step['users']:>8}{total['rps']:>8.1f}{total['p50_ms']:>7.0f}"
              f"{total['p95_ms']:>7.0f}{total['p99_ms']:>7.0f}"
              f"{total['failures'] + step['sign_in_failures']:>6}"
              f"{_num(cpu['gunicorn_workers_ms_per_request']):>11}"
              f"{_num(cpu['job_worker_ms_per_request']):>12}"
              f"{_num(cpu['postgres_backends_ms_per_request']):>10}"
              f"{_fresh(fresh):>20}  {'yes' if step['passed'] else 'NO'}")
    found = report["capacity_members"]
    print(f"\nLargest step with p95 <= {report['settings']['p95_limit_ms']:.0f} ms and no "
          f"failure: {f'{found} members' if found else 'none (the first step failed)'}")
    chosen = next((s for s in reversed(report["steps"]) if s["passed"]), None) or \
        (report["steps"][0] if report["steps"] else None)
    if chosen:
        _print_kinds(chosen, report["in_process"])
    peak = report.get("peak")
    if peak:
        readers, registrations = peak["readers_total"], peak["registrations"]
        check = peak["check"]
        print(f"\nPeak: {peak['registrants']} registrations within {peak['peak_seconds']:.0f} s "
              f"while {peak['readers']} members read")
        print(f"  readers: p95 {readers['p95_ms']:.0f} ms, {readers['requests']} requests, "
              f"{readers['failures']} failures")
        print(f"  registrations: p50 {registrations['p50_ms']:.0f} ms, p95 "
              f"{registrations['p95_ms']:.0f} ms, {registrations['requests']} requests, "
              f"{registrations['failures']} failures")
        print(f"  in the database: {check['registrations']} registrations of "
              f"{check['distinct_members']} members, {check['confirmed']} confirmed, "
              f"counter {check['confirmed_count']}: {'exact' if check['exact'] else 'WRONG'}")
    if report.get("errors"):
        print("\nErrors (first 10):")
        for error in report["errors"][:10]:
            print(f"  {error['occurrences']:>5} x {error['method']} {error['name']}: "
                  f"{error['error'][:120]}")


def _print_kinds(step: dict, in_process: dict) -> None:
    print(f"\nPer page kind at {step['users']} members ({step['window_seconds']:.0f} s window; "
          f"in-process: SQL statements and CPU ms of one request)")
    print(f"{'kind':<20}{'req':>6}{'req/s':>7}{'p50':>7}{'p95':>7}{'p99':>7}{'fail':>6}"
          f"{'SQL':>6}{'CPU ms':>8}")
    for name, entry in step["entries"].items():
        alone = in_process.get(name.removesuffix(" (peak)"), {})
        count = alone.get("repeat_view", alone.get("statements", "-"))
        print(f"{name:<20}{entry['requests']:>6}{entry['rps']:>7.2f}{entry['p50_ms']:>7.0f}"
              f"{entry['p95_ms']:>7.0f}{entry['p99_ms']:>7.0f}{entry['failures']:>6}"
              f"{count:>6}{_num(alone.get('cpu_ms')):>8}")


def _num(value) -> str:
    return "-" if value is None else f"{value:.1f}"


def _fresh(entry: dict) -> str:
    if "p50_s" not in entry:
        return f"- ({entry['not_found']} lost)" if entry["not_found"] else "-"
    return f"{entry['p50_s']:.2f} / {entry['p95_s']:.2f} s"


def _load(values) -> str:
    return " ".join(f"{v:.2f}" for v in values)
