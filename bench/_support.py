"""Small pieces the benchmarks share: the virtualenv's tools, a free port, a clean
environment pointing the workspace at a temporary data folder, percentiles."""
from __future__ import annotations

import os
import shutil
import socket
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def venv_tool(name: str) -> str:
    """The console script next to the running interpreter (.venv/bin/flask, .venv/bin/gunicorn)."""
    candidate = Path(sys.executable).parent / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if not found:
        sys.exit(f"{name} not found next to {sys.executable} nor on PATH")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(data_dir: Path) -> dict[str, str]:
    """This process's environment without WORKSPACE_* settings, pointed at `data_dir`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKSPACE_")}
    env.update(WORKSPACE_ENV="development", WORKSPACE_DATA_DIR=str(data_dir),
               WORKSPACE_MAIL_TRANSPORT="file", PYTHONDONTWRITEBYTECODE="1")
    return env


def percentile(values: list[float], fraction: float) -> float:
    """The value under which `fraction` of the values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def median(values: list[float]) -> float:
    return statistics.median(values)
