"""The zip bombs, too big to commit, built once per run."""
from __future__ import annotations

from pathlib import Path

import pytest

from .support import make_hostile


@pytest.fixture(scope="session")
def zip_bombs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("zip-bombs")
    return {
        "honest": make_hostile.write_zip_bomb(folder / "bombe.odt"),
        "lying": make_hostile.write_zip_bomb(folder / "bombe-menteuse.odt", lying=True),
    }
