"""A window of Locust's statistics as a record of the load test: per page kind, and over
all of them, requests, failures, requests per second and response times in ms.

Locust keeps each response time rounded (to 2 significant digits above 100 ms) with its
count; the percentiles here are read from those counts, over all the entries merged.
"""
from __future__ import annotations

import time

PEAK_SUFFIX = " (peak)"  # the registrants' page kinds in the peak scenario


def window_record(stats, start: float, excluded: tuple[str, ...], **fields) -> dict:
    """The record of the window opened at `start` (epoch seconds) and closed now. Kinds in
    `excluded` (sign-in) are left out of the totals."""
    end = time.time()
    duration = end - start
    by_name: dict[str, list] = {}
    for (name, _method), entry in stats.entries.items():
        if entry.num_requests:  # the kinds of the window (a reset keeps every entry)
            by_name.setdefault(name, []).append(entry)
    measured = [e for name, group in by_name.items() if name not in excluded for e in group]
    record = {**fields, "start": start, "end": end,
              "total": summary(measured, duration),
              "entries": {name: summary(group, duration)
                          for name, group in sorted(by_name.items())},
              "errors": [{"method": e.method, "name": e.name, "error": str(e.error),
                          "occurrences": e.occurrences} for e in stats.errors.values()]}
    if fields.get("type") == "peak":
        record["readers_total"] = summary(
            [e for name, group in by_name.items()
             if name not in excluded and not name.endswith(PEAK_SUFFIX) for e in group],
            duration)
        record["registrations"] = summary(by_name.get("register" + PEAK_SUFFIX, []),
                                          duration)
    return record


def summary(entries: list, seconds: float) -> dict:
    """Requests, failures, rate and response times (ms) of one or more Locust entries."""
    times: dict[int, int] = {}
    for entry in entries:
        for value, count in entry.response_times.items():
            times[value] = times.get(value, 0) + count
    requests = sum(e.num_requests for e in entries)
    total_ms = sum(e.total_response_time for e in entries)
    return {"requests": requests, "failures": sum(e.num_failures for e in entries),
            "rps": round(requests / seconds, 2) if seconds else 0.0,
            "p50_ms": percentile(times, 0.50), "p95_ms": percentile(times, 0.95),
            "p99_ms": percentile(times, 0.99),
            "mean_ms": round(total_ms / requests, 1) if requests else 0.0,
            "max_ms": round(max((e.max_response_time or 0 for e in entries), default=0), 1),
            "mean_bytes": round(sum(e.total_content_length for e in entries) / requests)
            if requests else 0}


def percentile(times: dict[int, int], fraction: float) -> float:
    """The smallest response time under which `fraction` of the requests fall."""
    total = sum(times.values())
    if not total:
        return 0.0
    seen = 0
    for value in sorted(times):
        seen += times[value]
        if seen >= fraction * total:
            return float(value)
    return float(max(times))
