"""The limits around the child process: output budget, input size, wall clock, CPU, and how
each way a child can end becomes a French reason."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import fields

import pytest

from workspace.documents.extraction import ExtractionLimits, child, extract_text
from workspace.documents.extraction.runner import (
    CHILD,
    LIMITS_ENV,
    MEMORY_EXIT,
    _collect,
    _interpret,
)

from .support import FIXTURES

PDF = "application/pdf"
ROOT = FIXTURES.parents[2]


@pytest.fixture(scope="module")
def slow_html(tmp_path_factory):
    """A legitimate 16 MB page of links that html.parser needs several seconds to read."""
    path = tmp_path_factory.mktemp("slow") / "annuaire.html"
    row = '<tr><td class="commune"><a href="/c/1"><span lang="fr">Ça</span></a></td></tr>\n'
    path.write_text("<table>" + row * 200_000 + "</table>", encoding="utf-8")
    return path


def test_output_beyond_the_budget_is_truncated_and_too_large():
    full = extract_text(FIXTURES / "atelier.pdf", PDF).pages
    budget = len(full[0]) + 1 + 20  # page 1, the separator, 20 characters of page 2
    result = extract_text(FIXTURES / "atelier.pdf", PDF, ExtractionLimits(max_output_chars=budget))
    assert result.status == "too_large"
    assert result.reason == (
        f"Texte trop long : seuls les {budget} premiers caractères sont conservés.")
    assert result.pages == [full[0], full[1][:20]]


def test_the_child_applies_the_limits_it_is_given():
    env = {**os.environ, LIMITS_ENV: json.dumps({"max_output_chars": 12})}
    completed = subprocess.run([sys.executable, "-P", str(CHILD), str(FIXTURES / "atelier.odt"),
                                "application/vnd.oasis.opendocument.text"],
                               capture_output=True, env=env, timeout=60, check=True)
    output = json.loads(completed.stdout)
    assert (output["status"], output["pages"]) == ("too_large", ["Atelier « én"])


def test_file_over_the_input_limit_is_not_opened():
    result = extract_text(FIXTURES / "atelier.pdf", PDF,
                          ExtractionLimits(max_input_bytes=10 * 1024))
    assert (result.status, result.pages) == ("too_large", [])
    assert result.reason == "Fichier trop volumineux pour en extraire le texte (plus de 10 Ko)."


def test_missing_file_fails_without_raising(tmp_path):
    result = extract_text(tmp_path / "parti.pdf", PDF)
    assert (result.status, result.reason) == ("failed", "Fichier introuvable.")


def test_wall_clock_timeout_kills_the_child(slow_html):
    result = extract_text(slow_html, "text/html", ExtractionLimits(timeout_seconds=0.5))
    assert (result.status, result.reason) == ("failed", "Délai d'extraction dépassé (0,5 s).")


def test_cpu_limit_stops_the_child(slow_html):
    result = extract_text(slow_html, "text/html", ExtractionLimits(cpu_seconds=1))
    assert (result.status, result.reason) == (
        "failed", "Temps de calcul dépassé pour extraire ce fichier.")


def test_runaway_output_is_cut_off_not_buffered():
    process = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdout.write('x' * 10**8)"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        stdout, _, outcome = _collect(process, ExtractionLimits(max_output_chars=1000),
                                      time.monotonic() + 60)
    finally:
        process.kill()
        process.wait()
        process.stdout.close()
        process.stderr.close()
    assert (outcome, stdout) == ("overflow", b"")


def test_child_knows_every_limit():
    """The child skips loading the dataclass when it receives every limit by name."""
    assert {field.name for field in fields(ExtractionLimits)} == child.LIMIT_NAMES


@pytest.mark.parametrize(("returncode", "stderr", "reason"), [
    (-signal.SIGXCPU, b"", "Temps de calcul dépassé pour extraire ce fichier."),
    (-signal.SIGKILL, b"", "Temps de calcul dépassé pour extraire ce fichier."),
    (MEMORY_EXIT, b"", "Mémoire insuffisante pour extraire ce fichier."),
    (1, b"Traceback ...\nMemoryError\n", "Mémoire insuffisante pour extraire ce fichier."),
    (-signal.SIGSEGV, b"", "L'extraction s'est arrêtée brutalement."),
    (1, b"Traceback ...\nImportError: no pypdf\n", "Le fichier n'a pas pu être lu."),
])
def test_abnormal_child_endings_get_a_french_reason(returncode, stderr, reason):
    result = _interpret(returncode, b"", stderr, "", ExtractionLimits())
    assert (result.status, result.pages, result.reason) == ("failed", [], reason)


@pytest.mark.parametrize("stdout", [b"", b"{", b'{"status": "hacked", "pages": []}',
                                    b'{"status": "done", "pages": [1, 2]}'])
def test_garbled_child_output_is_a_failure(stdout):
    result = _interpret(0, stdout, b"", "", ExtractionLimits())
    assert (result.status, result.reason) == ("failed", "Le fichier n'a pas pu être lu.")


def test_parent_enforces_the_budget_even_if_the_child_does_not():
    stdout = json.dumps({"status": "done", "pages": ["a" * 8, "b" * 8], "reason": ""}).encode()
    result = _interpret(0, stdout, b"", "", ExtractionLimits(max_output_chars=10))
    assert (result.status, result.pages) == ("too_large", ["a" * 8, "b"])


def test_child_loads_neither_flask_nor_the_app():
    """Launched by path, the child must not run workspace/__init__.py (which imports Flask)."""
    probe = ("import runpy, sys\n"
             "sys.argv = sys.argv[1:]\n"
             "try:\n    runpy.run_path(sys.argv[0], run_name='__main__')\n"
             "except SystemExit:\n    pass\n"
             "print('\\n' + ' '.join(sorted(sys.modules)))")
    completed = subprocess.run([sys.executable, "-P", "-c", probe, str(CHILD),
                                str(FIXTURES / "atelier.pdf"), PDF],
                               capture_output=True, timeout=60, check=True, text=True)
    result, modules = completed.stdout.rstrip("\n").rsplit("\n", 1)
    assert json.loads(result)["status"] == "done"
    loaded = set(modules.split())
    assert "pypdf" in loaded and "workspace.documents.extraction.pdf" in loaded
    assert not {"flask", "werkzeug", "sqlalchemy", "config"} & loaded


def test_child_also_runs_as_a_module_by_hand():
    completed = subprocess.run(
        [sys.executable, "-m", "workspace.documents.extraction.child",
         str(FIXTURES / "communes.xlsx"),
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
        capture_output=True, timeout=60, check=True, cwd=ROOT)
    assert "chaudières à condensation" in json.loads(completed.stdout)["pages"][0]
    assert completed.stderr == b""


def test_child_does_not_inherit_the_application_secrets(monkeypatch, tmp_path):
    """A parser exploited by a hostile file must not find the secret key in its environment."""
    from workspace.documents.extraction import runner

    spy = tmp_path / "spy.py"
    spy.write_text("import json, os\nprint(json.dumps({'status': 'done', "
                   "'pages': sorted(os.environ), 'reason': ''}))\n")
    monkeypatch.setattr(runner, "CHILD", spy)
    monkeypatch.setenv("WORKSPACE_SECRET_KEY", "ne-pas-divulguer")
    result = extract_text(FIXTURES / "atelier.pdf", PDF)
    assert result.status == "done"
    assert LIMITS_ENV in result.pages and "WORKSPACE_SECRET_KEY" not in result.pages
