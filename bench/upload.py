"""Upload benchmark: one big file through the real stack (gunicorn sync workers, sign-in with
CSRF, the multipart upload form), with the server's memory sampled while it arrives.

Not part of the test suite. Run from the repository root:

    .venv/bin/python bench/upload.py               # 500 MB
    .venv/bin/python bench/upload.py --size-mb 50  # quicker

What it does: a temporary data folder gets `flask db upgrade` and `flask seed`; gunicorn starts
with 2 sync workers on a free local port; the demo coordinator of "reseau-patrimoine-bati"
signs in through /login; the file is streamed from a generator (the client never holds it in
memory) while the RSS of the gunicorn master and workers is read every 50 ms from /proc.
Results are printed and written to bench/results/upload-<timestamp>.json (git-ignored).
gunicorn is stopped and the temporary folder removed at the end, even on error.

1 MB here is 1 MiB (1,048,576 bytes), as in the application's MAX_CONTENT_LENGTH.
Standard library only.
"""
from __future__ import annotations

import argparse
import hashlib
import html.parser
import http.client
import json
import os
import platform
import random
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import datetime
from http.cookies import SimpleCookie
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _support import free_port, venv_tool

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
MB = 1024 * 1024
BLOCK = MB  # the client sends (and hashes) 1 MB at a time
EMAIL = "coordination.patrimoine@demo.lemansmetropole.fr"
PASSWORD = "Mutualisation-2017"
NETWORK = "reseau-patrimoine-bati"
LIBRARY = f"/n/{NETWORK}/documents/"
UPLOAD = f"/n/{NETWORK}/documents/upload"
# No NUL-free text, no known magic number, unknown extension: stored as application/octet-stream
HEADER = b"TILT-BENCH-UPLOAD\x00"
SAMPLE_SECONDS = 0.05




# --- /proc ---------------------------------------------------------------------------------

def proc_status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process in kB ({} once it is gone)."""
    values = {}
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    key, value = line.split(":", 1)
                    values[key] = int(value.split()[0])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return {}
    return values


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time a process has used so far."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def reset_peak_rss(pid: int) -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0), so that the value read after the upload
    is the peak of the upload alone (the sign-in's scrypt hash had pushed it up before)."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def children_of(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            return [int(p) for p in handle.read().split()]
    except (FileNotFoundError, PermissionError):  # no CONFIG_PROC_CHILDREN: scan /proc
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    stat = handle.read()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
        return sorted(found)


class Sampler(threading.Thread):
    """Reads the RSS of the master and of its current workers every 50 ms."""

    def __init__(self, master: int):
        super().__init__(daemon=True)
        self.master = master
        self.samples: list[tuple[float, dict[int, int]]] = []  # (time, {pid: rss kB})
        self._stop_event = threading.Event()
        self._lock = threading.Lock()

    def snapshot(self) -> dict[int, int]:
        rss = {}
        for pid in [self.master] + children_of(self.master):
            status = proc_status(pid)
            if "VmRSS" in status:
                rss[pid] = status["VmRSS"]
        return rss

    def run(self) -> None:
        while not self._stop_event.is_set():
            sample = (time.perf_counter(), self.snapshot())
            with self._lock:
                self.samples.append(sample)
            self._stop_event.wait(SAMPLE_SECONDS)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()

    def window(self, start: float, end: float) -> list[dict[int, int]]:
        with self._lock:
            return [rss for moment, rss in self.samples if start <= moment <= end]


# --- HTTP client with a cookie jar of its own ---------------------------------------------

class HiddenInputs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("type") == "hidden" and attributes.get("name"):
            self.values[attributes["name"]] = attributes.get("value") or ""


def csrf_token(page: bytes) -> str:
    parser = HiddenInputs()
    parser.feed(page.decode("utf-8", "replace"))
    token = parser.values.get("csrf_token")
    if not token:
        raise RuntimeError("no csrf_token hidden input in the page")
    return token


class Client:
    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Accept-Language": "fr", "Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers.update(extra or {})
        return headers

    def _keep_cookies(self, response: http.client.HTTPResponse) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["expires"] and "1970" in morsel["expires"] or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def request(self, method: str, path: str, body=None, headers=None,
                timeout: float = 900) -> tuple[int, dict[str, str], bytes, dict[str, float]]:
        """(status, headers, body, timings) with timings["sent"] and timings["total"]."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            started = time.perf_counter()
            connection.request(method, path, body=body, headers=self._headers(headers))
            sent = time.perf_counter()
            response = connection.getresponse()
            content = response.read()
            done = time.perf_counter()
            self._keep_cookies(response)
            return (response.status, dict(response.headers.items()), content,
                    {"sent": sent - started, "total": done - started})
        finally:
            connection.close()

    def get(self, path: str):
        return self.request("GET", path)

    def post_form(self, path: str, fields: dict[str, str]):
        body = urllib.parse.urlencode(fields).encode()
        return self.request("POST", path, body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Content-Length": str(len(body))})


# --- the file, generated on the fly -----------------------------------------------------------

class GeneratedFile:
    """size bytes: HEADER, then a 1 MB random block repeated with a counter in front of each
    copy. Iterating yields 1 MB chunks and computes the SHA-256 on the way."""

    def __init__(self, size: int, seed: int = 2017):
        self.size = size
        self.block = random.Random(seed).randbytes(BLOCK)
        self.sha256 = ""
        self.client_cpu_seconds = 0.0

    def chunks(self):
        digest = hashlib.sha256()
        cpu = time.process_time()
        remaining, index = self.size, 0
        while remaining > 0:
            chunk = struct.pack(">Q", index) + self.block[8:]
            if index == 0:
                chunk = HEADER + chunk[len(HEADER):]
            chunk = chunk[:remaining]
            digest.update(chunk)
            self.client_cpu_seconds += time.process_time() - cpu
            yield chunk
            cpu = time.process_time()
            remaining -= len(chunk)
            index += 1
        self.sha256 = digest.hexdigest()
        self.client_cpu_seconds += time.process_time() - cpu


def multipart(token: str, filename: str, content: GeneratedFile) -> tuple[str, int, object]:
    """(content type, content length, body iterable) of the upload form, streamed."""
    boundary = "----tilt-bench-" + os.urandom(16).hex()
    if boundary.encode() in content.block + content.block[:len(boundary)] or \
            boundary.encode() in HEADER:
        raise RuntimeError("boundary found in the content; run again")
    head = (f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="csrf_token"\r\n\r\n'
            f"{token}\r\n"
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="files"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    def body():
        yield head
        yield from content.chunks()
        yield tail

    return (f"multipart/form-data; boundary={boundary}", len(head) + content.size + len(tail),
            body())


# --- server -----------------------------------------------------------------------------------

def run_flask(env: dict[str, str], *args: str) -> None:
    result = subprocess.run([venv_tool("flask"), *args], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


def wait_until_up(server: subprocess.Popen, port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode}")
        try:
            status = Client(port).get("/login")[0]
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 60 s")


def stop(server: subprocess.Popen | None) -> None:
    if server is None or server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)  # gunicorn stops its own workers
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# --- the benchmark --------------------------------------------------------------------------

def kb_to_mb(kb: float) -> float:
    return round(kb / 1024, 1)


def upload(client: Client, size: int, filename: str) -> dict:
    status, _, page, _ = client.get(UPLOAD)
    if status != 200:
        raise RuntimeError(f"GET {UPLOAD}: HTTP {status}")
    content = GeneratedFile(size)
    content_type, length, body = multipart(csrf_token(page), filename, content)
    status, headers, _, timings = client.request(
        "POST", UPLOAD, body=body,
        headers={"Content-Type": content_type, "Content-Length": str(length)})
    return {"status": status, "location": headers.get("Location", ""), "size_bytes": size,
            "request_bytes": length, "sha256": content.sha256,
            "send_seconds": round(timings["sent"], 3),
            "total_seconds": round(timings["total"], 3),
            "client_cpu_seconds": round(content.client_cpu_seconds, 3)}


def check_stored(data_dir: Path, sha256: str, size: int) -> dict:
    path = data_dir / "files" / sha256[:2] / sha256[2:4] / sha256
    found = {"path": str(path.relative_to(data_dir)), "exists": path.is_file()}
    if found["exists"]:
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            while chunk := handle.read(4 * MB):
                digest.update(chunk)
        found.update(size_bytes=path.stat().st_size, size_ok=path.stat().st_size == size,
                     sha256_ok=digest.hexdigest() == sha256)
    found["ok"] = bool(found.get("size_ok") and found.get("sha256_ok"))
    leftovers = list((data_dir / "files" / "tmp").glob("*"))
    found["tmp_leftovers"] = [p.name for p in leftovers]
    return found


def memory_report(master: int, idle: dict[int, int], during: list[dict[int, int]],
                  hwm_before: dict[int, int], hwm_after: dict[int, int],
                  cpu_before: dict[int, float | None], cpu_after: dict[int, float | None]
                  ) -> dict:
    pids = sorted({pid for rss in during for pid in rss} | set(idle))
    report = {}
    for pid in pids:
        values = [rss[pid] for rss in during if pid in rss]
        peak = max(values) if values else None
        base = idle.get(pid)
        report[str(pid)] = {
            "role": "master" if pid == master else "worker",
            "idle_rss_mb": kb_to_mb(base) if base is not None else None,
            "peak_rss_mb": kb_to_mb(peak) if peak is not None else None,
            "peak_increase_mb": (kb_to_mb(peak - base) if peak is not None and base is not None
                                 else None),
            # VmHWM: the kernel's high-water mark, catches a peak between two samples
            "hwm_before_mb": kb_to_mb(hwm_before[pid]) if pid in hwm_before else None,
            "hwm_after_mb": kb_to_mb(hwm_after[pid]) if pid in hwm_after else None,
            "hwm_increase_mb": (kb_to_mb(hwm_after[pid] - base)
                                if pid in hwm_after and base is not None else None),
            "samples": len(values),
            "cpu_seconds_during_upload": (
                round(cpu_after[pid] - cpu_before[pid], 2)
                if cpu_after.get(pid) is not None and cpu_before.get(pid) is not None else None),
        }
    return report


def warm_up(client: Client, port: int) -> None:
    """Touch both workers (templates, SQLAlchemy, Babel loaded) before the idle baseline:
    two concurrent clients keep both sync workers busy at once."""
    def visit():
        other = Client(port)
        other.cookies = dict(client.cookies)
        for _ in range(3):
            other.get(LIBRARY)
            other.get(UPLOAD)

    threads = [threading.Thread(target=visit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def benchmark(size_mb: int, keep: bool) -> dict:
    size = size_mb * MB
    load_at_start = round(os.getloadavg()[0], 2)  # other work on the machine skews timings
    data_dir = Path(tempfile.mkdtemp(prefix="tilt-bench-upload-"))
    server = None
    sampler = None
    try:
        env = dict(os.environ,
                   FLASK_APP="wsgi",
                   WORKSPACE_ENV="development",
                   WORKSPACE_DATA_DIR=str(data_dir),
                   WORKSPACE_SECRET_KEY=os.urandom(24).hex(),
                   WORKSPACE_MAX_CONTENT_LENGTH=str(size + 10 * MB),
                   WORKSPACE_DOCUMENTS_QUOTA_MB=str(size_mb * 4 + 1024),
                   WORKSPACE_MAIL_TRANSPORT="file",
                   WORKSPACE_JOBS_WORKER_THREAD="false")
        for name in ("WORKSPACE_SQLALCHEMY_DATABASE_URI", "WORKSPACE_DATABASE_URL"):
            env.pop(name, None)  # always the SQLite file of the temporary folder
        print(f"data dir {data_dir}: flask db upgrade, flask seed", flush=True)
        run_flask(env, "db", "upgrade")
        run_flask(env, "seed")

        port = free_port()
        command = [venv_tool("gunicorn"), "-w", "2", "-k", "sync", "--timeout", "600",
                   "-b", f"127.0.0.1:{port}", "wsgi:app"]
        log = open(data_dir / "gunicorn.log", "wb")
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        wait_until_up(server, port)
        workers = children_of(server.pid)
        print(f"gunicorn master {server.pid}, workers {workers}, port {port}", flush=True)

        client = Client(port)
        status, _, page, _ = client.get("/login")
        status, headers, _, _ = client.post_form("/login", {
            "csrf_token": csrf_token(page), "email": EMAIL, "password": PASSWORD, "next": ""})
        if status != 302:
            raise RuntimeError(f"sign-in failed: HTTP {status}")

        # reference points (they also warm both workers up)
        warm_up(client, port)
        get_times = []
        for _ in range(10):
            status, _, _, timings = client.get(LIBRARY)
            if status != 200:
                raise RuntimeError(f"GET {LIBRARY}: HTTP {status}")
            get_times.append(timings["total"])
        small = [upload(client, MB, "petit.bin") for _ in range(5)]
        if any(item["status"] != 302 for item in small):
            raise RuntimeError(f"1 MB upload failed: {small}")

        sampler = Sampler(server.pid)
        sampler.start()
        time.sleep(2)  # idle baseline: 2 s, after warm-up
        idle_start = time.perf_counter()
        time.sleep(1)
        idle_samples = sampler.window(idle_start, time.perf_counter())
        idle = {pid: statistics.median(rss[pid] for rss in idle_samples if pid in rss)
                for pid in {p for rss in idle_samples for p in rss}}
        hwm_reset = {pid: reset_peak_rss(pid) for pid in idle}
        hwm_before = {pid: proc_status(pid).get("VmHWM", 0) for pid in idle}

        cpu_before = {pid: cpu_seconds(pid) for pid in idle}
        print(f"uploading {size_mb} MB ...", flush=True)
        started = time.perf_counter()
        big = upload(client, size, "gros.bin")
        ended = time.perf_counter()
        time.sleep(0.3)
        hwm_after = {pid: proc_status(pid).get("VmHWM", 0)
                     for pid in [server.pid] + children_of(server.pid)}
        cpu_after = {pid: cpu_seconds(pid) for pid in hwm_after}
        sampler.stop()
        during = sampler.window(started, ended + 0.3)
        memory = memory_report(server.pid, idle, during, hwm_before, hwm_after, cpu_before,
                               cpu_after)

        document = {}
        if big["location"]:
            target = urllib.parse.urlsplit(big["location"]).path
            status, _, page, _ = client.get(target)
            document = {"path": target, "status": status,
                        "created": "/documents/" in target and target.rstrip("/").split("/")[-1]
                        .isdigit() and status == 200}
        stored = check_stored(data_dir, big["sha256"], size)

        workers_mem = [m for m in memory.values() if m["role"] == "worker"]
        peak_increase = max((m["peak_increase_mb"] or 0) for m in workers_mem) if workers_mem \
            else None
        hwm_increase = max((m["hwm_increase_mb"] or 0) for m in workers_mem) if workers_mem \
            else None
        return {
            "date": datetime.now().isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                        "python": platform.python_version(),
                        "load_average_1min_at_start": load_at_start},
            "command": " ".join([".venv/bin/python", "bench/upload.py", "--size-mb",
                                 str(size_mb)]),
            "server_command": " ".join(["gunicorn"] + command[1:]),
            "size_mb": size_mb,
            "upload": {**big, "throughput_mb_s": round(size_mb / big["total_seconds"], 1),
                       "wall_seconds": round(ended - started, 3)},
            "document": document,
            "stored_file": stored,
            "memory": memory,
            "hwm_reset_before_upload": all(hwm_reset.values()),
            "worker_peak_increase_mb": peak_increase,
            "worker_hwm_increase_mb": hwm_increase,
            "aim_peak_increase_mb": 100,
            "aim_met": peak_increase is not None and max(peak_increase, hwm_increase) < 100,
            "reference": {
                "upload_1mb_seconds": [item["total_seconds"] for item in small],
                "upload_1mb_median_seconds": round(statistics.median(
                    item["total_seconds"] for item in small), 3),
                "get_library_seconds": [round(t, 4) for t in get_times],
                "get_library_median_seconds": round(statistics.median(get_times), 4),
            },
        }
    except BaseException:
        if server is not None and (data_dir / "gunicorn.log").exists():
            tail = (data_dir / "gunicorn.log").read_text(errors="replace")[-3000:]
            print(f"--- gunicorn log (end) ---\n{tail}", file=sys.stderr)
        raise
    finally:
        if sampler is not None and sampler.is_alive():
            sampler.stop()
        stop(server)
        if keep:
            print(f"kept {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def print_table(result: dict) -> None:
    up, ref = result["upload"], result["reference"]
    rows = [
        ("file", f"{result['size_mb']} MB (gros.bin)"),
        ("load average at start", f"{result['machine']['load_average_1min_at_start']} "
                                  f"({result['machine']['cpus']} CPUs)"),
        ("HTTP status", f"{up['status']} -> {result['document'].get('path', '')} "
                        f"({result['document'].get('status', '-')})"),
        ("upload time", f"{up['total_seconds']:.2f} s (body sent in {up['send_seconds']:.2f} s)"),
        ("throughput", f"{up['throughput_mb_s']} MB/s"),
        ("client CPU (generate+hash)", f"{up['client_cpu_seconds']:.2f} s"),
        ("stored file", f"{result['stored_file']['path'][:24]}… "
                        f"{'OK size+sha256' if result['stored_file']['ok'] else 'WRONG'}"
                        f"{', tmp not empty' if result['stored_file']['tmp_leftovers'] else ''}"),
        ("1 MB upload (median of 5)", f"{ref['upload_1mb_median_seconds'] * 1000:.0f} ms"),
        ("GET library (median of 10)", f"{ref['get_library_median_seconds'] * 1000:.1f} ms"),
    ]
    width = max(len(r[0]) for r in rows)
    print()
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
    print()
    print(f"  {'process (MB, s)':<16}{'idle RSS':>10}{'peak RSS':>10}{'increase':>10}"
          f"{'HWM after':>11}{'CPU':>7}")
    def cell(value, width):
        return f"{'-' if value is None else value:>{width}}"

    for pid, mem in result["memory"].items():
        print(f"  {mem['role'] + ' ' + pid:<16}{cell(mem['idle_rss_mb'], 10)}"
              f"{cell(mem['peak_rss_mb'], 10)}{cell(mem['peak_increase_mb'], 10)}"
              f"{cell(mem['hwm_after_mb'], 11)}{cell(mem['cpu_seconds_during_upload'], 7)}")
    print(f"\n  worker peak increase: {result['worker_peak_increase_mb']} MB sampled every 50 ms,"
          f" {result['worker_hwm_increase_mb']} MB by VmHWM "
          f"(aim < 100 MB: {'met' if result['aim_met'] else 'NOT met'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=500, help="size of the big file (MiB)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data folder")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that `finally` cleans up
    result = benchmark(args.size_mb, args.keep)
    print_table(result)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"upload-{datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"\n  written to {out.relative_to(ROOT)}")
    ok = result["upload"]["status"] == 302 and result["stored_file"]["ok"] and \
        result["document"].get("created")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
