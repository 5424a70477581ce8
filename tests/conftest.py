"""Shared pytest setup. Fixture modules of each part are listed as plugins here."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# One line per fixture module; each part of the project keeps its fixtures in its own module.
pytest_plugins: list[str] = [
    "tests.webserver",
    "tests.browser",
    "tests.pywb_fixture",
    "tests.foreign_fixture",
    "tests.redis_server",
]


@pytest.fixture
def repo_root() -> Path:
    return ROOT


@pytest.fixture
def venv_bin() -> Path:
    """Where `seedcheck` and the other console scripts of this environment live."""
    return Path(sys.executable).parent
