"""The child process that parses one file and prints one JSON object on stdout:
``{"status": ..., "pages": [...], "reason": ...}``.

Run by ``runner.extract_text`` under resource limits, as
``python -P .../extraction/child.py PATH MIME`` with the limits as JSON in the
``EXTRACTION_LIMITS`` environment variable (``python -m workspace.documents.extraction.child
PATH MIME`` works too, by hand). It imports only the standard library, pypdf and defusedxml:
launched by path, it registers the parent packages as bare namespaces, because importing
``workspace`` would run the app package's ``__init__``, which imports Flask (about 0.2 s
and 20 MB per document for nothing).
"""
from __future__ import annotations

import importlib
import json
import os
import sys
import types

LIMIT_NAMES = {"timeout_seconds", "cpu_seconds", "memory_bytes", "max_output_chars",
               "max_input_bytes", "max_zip_entries", "max_unzipped_bytes", "max_zip_ratio"}


def _register_packages_without_running_them() -> None:
    """Make ``workspace`` and ``workspace.documents`` empty packages pointing at their
    folders, so that importing this package's modules skips their ``__init__`` (Flask)."""
    here = os.path.dirname(os.path.abspath(__file__))
    folders = [os.path.dirname(os.path.dirname(here)), os.path.dirname(here), here]
    for name, folder in zip(("workspace", "workspace.documents", "workspace.documents.extraction"),
                            folders, strict=False):
        if name not in sys.modules:
            package = types.ModuleType(name)
            package.__path__ = [folder]
            sys.modules[name] = package


if __name__ == "__main__" and not __package__:
    _register_packages_without_running_them()

from workspace.documents.extraction.common import (  # noqa: E402
    DONE,
    FAILED,
    LIMITS_ENV,
    MEMORY_EXIT,
    TOO_LARGE,
    UNSUPPORTED,
    ExtractionFailure,
    OutputFull,
    PageSink,
)
from workspace.documents.extraction.formats import READERS, normalise_mime  # noqa: E402
from workspace.documents.extraction.reasons import (  # noqa: E402
    OUT_OF_MEMORY,
    TOO_DEEP,
    UNREADABLE,
    UNSUPPORTED_FORMAT,
    too_long_reason,
)


def extract(path: str, mime: str, limits: dict) -> dict:
    """Run the reader for ``mime`` and turn its outcome into the JSON-ready result."""
    reader = READERS.get(normalise_mime(mime))
    if reader is None:
        return {"status": UNSUPPORTED, "pages": [], "reason": UNSUPPORTED_FORMAT}
    module_name, function_name, argument = reader
    module = importlib.import_module(f"workspace.documents.extraction.{module_name}")
    function = getattr(module, function_name)
    sink = PageSink(limits["max_output_chars"])
    try:
        if argument is None:
            function(path, sink, limits)
        else:
            function(path, sink, limits, argument)
    except OutputFull:
        pass
    except ExtractionFailure as failure:
        return {"status": FAILED, "pages": [], "reason": failure.reason}
    except RecursionError:
        return {"status": FAILED, "pages": [], "reason": TOO_DEEP}
    except MemoryError:
        raise
    except Exception:  # noqa: BLE001 - an unforeseen bug or malformation: reported, logged
        import traceback
        traceback.print_exc(limit=8)
        return {"status": FAILED, "pages": [], "reason": UNREADABLE}
    pages = sink.pages() or [""]
    if sink.truncated:
        return {"status": TOO_LARGE, "pages": pages,
                "reason": too_long_reason(limits["max_output_chars"])}
    return {"status": DONE, "pages": pages, "reason": sink.note}


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: child.py PATH MIME", file=sys.stderr)
        return 2
    limits = json.loads(os.environ.get(LIMITS_ENV) or "{}")
    if set(limits) != LIMIT_NAMES:  # run by hand: complete with the defaults
        from workspace.documents.extraction.limits import ExtractionLimits
        limits = {**vars(ExtractionLimits()), **limits}
    result = extract(argv[1], argv[2], limits)
    sys.stdout.buffer.write(json.dumps(result, ensure_ascii=False,
                                       separators=(",", ":")).encode("utf-8"))
    sys.stdout.buffer.flush()
    return 0


def _report_memory_error() -> int:
    """Memory ran out: say so in JSON if that still fits, else exit with MEMORY_EXIT."""
    try:
        sys.stdout.buffer.write(json.dumps(
            {"status": FAILED, "pages": [], "reason": OUT_OF_MEMORY}).encode())
        sys.stdout.buffer.flush()
        return 0
    except BaseException:  # noqa: BLE001 - even reporting failed: out of memory
        os._exit(MEMORY_EXIT)


if __name__ == "__main__":
    try:
        code = main(sys.argv)
    except MemoryError:
        code = _report_memory_error()
    sys.exit(code)
