"""The `seedcheck` command as a user runs it: a real subprocess of the installed console script."""

import shutil
import subprocess
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def run(venv_bin: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(venv_bin / "seedcheck"), *args], capture_output=True, text=True, cwd=cwd, timeout=60
    )


def test_seeds_lists_the_five_real_seeds(venv_bin):
    result = run(venv_bin, "seeds", "--seeds", str(SEEDS))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "000_f39f399e16e5c1d8  Putin Is Ready to Give Up Venezuela for the Right Price" in out
    assert "2019-05-05 · 1000 words · The Moscow Times (Opinion)" in out
    assert "https://www.nbcnews.com/news/latino/analysis-are-u-s-russia-cuba-going-work-break-impasse-n1002171" in out
    assert "5 seeds in" in out
    assert result.stderr == ""


def test_seeds_exits_non_zero_and_lists_every_problem(venv_bin, tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(SEEDS / "003_fabef78c0f05ce39.txt", folder)
    (folder / "empty.txt").write_text("")
    (folder / "seeds.yml").write_text(
        "seeds:\n  - file: missing.txt\n  - file: 003_fabef78c0f05ce39.txt\n"
        "    originals:\n      - url: file:///etc/passwd\n"
    )
    result = run(venv_bin, "seeds", "--seeds", str(folder))
    assert result.returncode == 1
    assert "003_fabef78c0f05ce39  Putin's Syrian Playbook Won't Work in Venezuela" in result.stdout
    assert "3 problem(s)" in result.stderr
    assert f"{folder / 'empty.txt'}:1: file is empty" in result.stderr
    assert f"{folder / 'seeds.yml'}:2: entry 'missing.txt' names a file that does not exist" in result.stderr
    assert "seeds.yml:5: URL 'file:///etc/passwd' is not http(s)" in result.stderr


def test_default_seeds_folder_is_relative_to_cwd(venv_bin, tmp_path):
    shutil.copytree(SEEDS, tmp_path / "seeds")
    result = run(venv_bin, "seeds", cwd=tmp_path)
    assert result.returncode == 0 and "5 seeds in seeds" in result.stdout
