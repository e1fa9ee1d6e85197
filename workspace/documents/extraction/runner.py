"""``extract_text``: parse one uploaded file in a separate, resource-limited process.

The child (``child.py``) runs under RLIMIT_AS, RLIMIT_CPU and RLIMIT_FSIZE = 0, with stdin
on /dev/null and a trimmed environment; its stdout is read up to a cap and it is killed at
the wall-clock deadline. Whatever the file does to the child (a decompression bomb, a parser
stuck in a loop, a crash), this process gets back an ``ExtractionResult`` with a French
reason and keeps its own memory.

Threads: ``preexec_fn`` runs between fork and exec, where the Python documentation warns
of deadlocks in threaded programs. Those come from code that imports or takes locks there;
this one only calls ``setrlimit`` on numbers prepared beforehand, so job workers that run in
threads may call ``extract_text``. An ``OSError`` from starting the child (no memory, too
many processes) is raised to the caller: it says nothing about the file, a retry may work.
"""
from __future__ import annotations

import json
import logging
import os
import resource
import selectors
import signal
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

from .common import DONE, FAILED, LIMITS_ENV, MEMORY_EXIT, STATUSES, TOO_LARGE, UNSUPPORTED
from .formats import is_supported, normalise_mime
from .limits import ExtractionLimits, ExtractionResult
from .reasons import (
    CPU_EXCEEDED,
    CRASHED,
    EMPTY_FILE,
    NOT_FOUND,
    OUT_OF_MEMORY,
    OUTPUT_OVERFLOW,
    UNREADABLE,
    UNSUPPORTED_FORMAT,
    input_too_large_reason,
    timeout_reason,
    too_long_reason,
)

__all__ = ["ExtractionLimits", "ExtractionResult", "extract_text"]

log = logging.getLogger(__name__)

CHILD = Path(__file__).with_name("child.py")
# The child gets these variables only: not the secrets (keys, database and mail passwords)
# that the application may hold in its environment.
PASSED_ENV = ("PATH", "LANG", "LC_ALL", "PYTHONPATH", "PYTHONHOME", "PYTHONDONTWRITEBYTECODE")
OUTPUT_SLACK = 64 * 1024          # JSON punctuation around at most 4 bytes per character
STDERR_KEPT = 16 * 1024
READ_SIZE = 64 * 1024


def extract_text(path: str | Path, mime: str, limits: ExtractionLimits | None = None
                 ) -> ExtractionResult:
    """The text of the file at ``path``, read as ``mime`` (sniffed from the content by the
    caller). Never raises for a bad file: the outcome is in ``status`` and ``reason``."""
    limits = limits or ExtractionLimits()
    mime = normalise_mime(mime)
    if not is_supported(mime):
        return ExtractionResult(UNSUPPORTED, [], UNSUPPORTED_FORMAT)
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        return ExtractionResult(FAILED, [], NOT_FOUND)
    if size == 0:
        return ExtractionResult(UNSUPPORTED, [], EMPTY_FILE)
    if size > limits.max_input_bytes:
        return ExtractionResult(TOO_LARGE, [], input_too_large_reason(limits.max_input_bytes))
    return _run_child(path.resolve(), mime, limits)


def _run_child(path: Path, mime: str, limits: ExtractionLimits) -> ExtractionResult:
    # -P: the child's folder is not put on sys.path, so its modules cannot shadow others.
    command = [sys.executable, "-P", str(CHILD), str(path), mime]
    env = {name: os.environ[name] for name in PASSED_ENV if name in os.environ}
    env[LIMITS_ENV] = json.dumps(asdict(limits))
    started = time.monotonic()
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=env, close_fds=True, preexec_fn=_rlimits_setter(limits))
    try:
        stdout, stderr, outcome = _collect(process, limits, started + limits.timeout_seconds)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        process.stdout.close()
        process.stderr.close()
    result = _interpret(process.returncode, stdout, stderr, outcome, limits)
    if result.status == FAILED and result.reason in (CRASHED, UNREADABLE) and stderr:
        log.warning("text extraction of %s (%s) failed, exit %s: %s", path, mime,
                    process.returncode, stderr.decode("utf-8", "replace")[-2000:])
    return result


def _rlimits_setter(limits: ExtractionLimits):
    """The function run in the child before exec: only setrlimit calls on prepared numbers."""
    memory = int(limits.memory_bytes)
    cpu = max(1, int(limits.cpu_seconds))
    setrlimit = resource.setrlimit

    def apply() -> None:
        setrlimit(resource.RLIMIT_AS, (memory, memory))
        setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))  # SIGXCPU, then SIGKILL a second later
        setrlimit(resource.RLIMIT_FSIZE, (0, 0))        # no file may be written
        setrlimit(resource.RLIMIT_CORE, (0, 0))         # nor a core dump on SIGXCPU

    return apply


def _collect(process: subprocess.Popen, limits: ExtractionLimits, deadline: float
             ) -> tuple[bytes, bytes, str]:
    """Read stdout (capped) and the tail of stderr (where a traceback ends) until both close,
    the deadline passes or stdout overflows; the outcome is "", "timeout" or "overflow"."""
    stdout_cap = limits.max_output_chars * 4 + OUTPUT_SLACK
    stdout, stderr = bytearray(), bytearray()
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ, stdout)
        selector.register(process.stderr, selectors.EVENT_READ, stderr)
        while selector.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return bytes(stdout), bytes(stderr), "timeout"
            for key, _ in selector.select(remaining):
                chunk = os.read(key.fd, READ_SIZE)
                if not chunk:
                    selector.unregister(key.fileobj)
                elif key.data is stdout:
                    stdout += chunk
                    if len(stdout) > stdout_cap:
                        return b"", bytes(stderr), "overflow"
                else:
                    stderr += chunk
                    del stderr[:-STDERR_KEPT]
    try:
        process.wait(timeout=max(deadline - time.monotonic(), 0.01))
    except subprocess.TimeoutExpired:  # closed its pipes but lingers
        return bytes(stdout), bytes(stderr), "timeout"
    return bytes(stdout), bytes(stderr), ""


def _interpret(returncode: int, stdout: bytes, stderr: bytes, outcome: str,
               limits: ExtractionLimits) -> ExtractionResult:
    """Turn the way the child ended into a result: its JSON when it wrote one, otherwise a
    reason for the timeout, the signal or the exit code."""
    if outcome == "timeout":
        return ExtractionResult(FAILED, [], timeout_reason(limits.timeout_seconds))
    if outcome == "overflow":
        return ExtractionResult(FAILED, [], OUTPUT_OVERFLOW)
    if returncode == 0:
        parsed = _parse_output(stdout, limits)
        if parsed is not None:
            return parsed
    if returncode == MEMORY_EXIT or b"MemoryError" in stderr:
        return ExtractionResult(FAILED, [], OUT_OF_MEMORY)
    # SIGXCPU at the soft CPU limit, SIGKILL at the hard one (the kernel's OOM killer also
    # sends SIGKILL, but RLIMIT_AS makes the child fail its allocations long before).
    if returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return ExtractionResult(FAILED, [], CPU_EXCEEDED)
    return ExtractionResult(FAILED, [], CRASHED if returncode < 0 else UNREADABLE)


def _parse_output(stdout: bytes, limits: ExtractionLimits) -> ExtractionResult | None:
    """The child's JSON as a result, checked and cut to the budget again; None if garbled."""
    try:
        data = json.loads(stdout)
        status, pages, reason = data["status"], data["pages"], data.get("reason", "")
    except (ValueError, KeyError, TypeError):
        return None
    if (status not in STATUSES or not isinstance(reason, str) or not isinstance(pages, list)
            or not all(isinstance(page, str) for page in pages)):
        return None
    pages, cut = _cut_to_budget(pages, limits.max_output_chars)
    if cut and status == DONE:
        status, reason = TOO_LARGE, too_long_reason(limits.max_output_chars)
    return ExtractionResult(status, pages, reason)


def _cut_to_budget(pages: list[str], max_chars: int) -> tuple[list[str], bool]:
    room, kept = max_chars, []
    for page in pages:
        room -= 1 if kept else 0
        if room < 0:
            return kept, True
        if len(page) > room:
            return kept + [page[:room]], True
        kept.append(page)
        room -= len(page)
    return kept, False
