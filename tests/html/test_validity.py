"""The Nu HTML Checker (vnu, the W3C's validator) finds no error on the main pages, for a
member and a coordinator, on the demo data.

vnu is a Java program (`vnu.jar` of the npm package vnu-jar, installed by `make install-dev`
into .venv/vnu; or VNU_JAR). Without Java or the jar the test is skipped, except under CI,
where it fails (tests/conftest.py `require`)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import require
from tests.main_pages import COORDINATOR, MEMBER, load_demo, main_pages

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = Path(os.environ.get(
    "VNU_JAR", ROOT / ".venv/vnu/node_modules/vnu-jar/build/dist/vnu.jar"))


def vnu_errors(files: list[Path]) -> list[str]:
    """Every error vnu reports on these files, as 'file:line: message'."""
    java = shutil.which("java")
    require(java is not None, "Java is not installed (apt-get install default-jre-headless)")
    require(VNU_JAR.is_file(), f"vnu.jar is missing at {VNU_JAR} (make install-dev)")
    result = subprocess.run([java, "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always",
                             *map(str, files)], capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m['message']}"
            for m in messages if m["type"] == "error"
            or m.get("subType") == "fatal"]


@pytest.fixture
def demo(app):
    load_demo()
    return app


def test_main_pages_are_valid_html(demo, tmp_path, login):
    from workspace.auth.models import User
    from workspace.extensions import db

    files = []
    for email, coordinator in ((MEMBER, False), (COORDINATOR, True)):
        client = demo.test_client()
        login(client, db.session.query(User).filter_by(email=email).one(),
              password="Mutualisation-2017")
        for number, path in enumerate(main_pages(demo, coordinator)):
            response = client.get(path)
            assert response.status_code == 200, path
            target = tmp_path / f"{'coordinator' if coordinator else 'member'}-{number:02d}.html"
            target.write_bytes(response.data)
            files.append((target, path))
    errors = vnu_errors([target for target, _ in files])
    names = {target.name: path for target, path in files}
    shown = [f"{names.get(line.split(':', 1)[0], '?')} {line}" for line in errors]
    assert not shown, "\n".join(shown)
