"""README stays true: its command reference is what `--help` prints, its quick start what CI runs."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_command_reference_is_current():
    result = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", "README.md"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, "README is out of date: run `make docs`\n" + result.stderr


def test_every_command_is_documented():
    from archive.app.cli import cli

    readme = (ROOT / "README.md").read_text()
    for name in cli.commands:
        assert f"### seedcheck {name}\n" in readme


def test_quick_start_has_the_two_commands_ci_runs():
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci
