"""Where the document fixtures are, the hostile-file generator, and a memory probe."""
from __future__ import annotations

import importlib.util
import resource
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "documents"
HOSTILE = FIXTURES / "hostile"


def _load_generator():
    spec = importlib.util.spec_from_file_location("make_hostile", FIXTURES / "make_hostile.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_hostile = _load_generator()


def peak_memory_mib() -> float:
    """This process's peak resident memory (children excluded)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
