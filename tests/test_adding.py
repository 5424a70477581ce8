"""`seedcheck add`: seed files and original URLs into the seed folder, seeds.yml kept as written."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from archive.seeds.adding import AddError, add
from archive.seeds.parse import load_seeds

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent
SEED = "004_52e3e712fd693400"


@pytest.fixture
def seeds(tmp_path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", folder)
    return folder


def kept_in_order(before: str, after: str) -> bool:
    """Every line of `before` is in `after`, in the same order."""
    lines = iter(after.splitlines())
    return all(any(line == other for other in lines) for line in before.splitlines())


def test_adding_a_url_keeps_the_manifest_as_written(seeds):
    before = (seeds / "seeds.yml").read_text()
    result = subprocess.run([str(BIN / "seedcheck"), "add", "https://news.test/2019/05/07/a",
                             "--seed", SEED, "--role", "repost", "--seeds", str(seeds)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "added given https://news.test/2019/05/07/a (repost)" in result.stdout
    after = (seeds / "seeds.yml").read_text()
    assert kept_in_order(before, after) and after.count("\n") == before.count("\n") + 3
    assert after.count("#") == before.count("#")               # every comment kept
    seed = load_seeds(seeds).get(SEED)
    added = next(u for u in seed.urls if u.url == "https://news.test/2019/05/07/a")
    assert (added.role, added.confidence) == ("repost", "given")
    # Added again: nothing changes.
    assert "left as it is" in add(seeds, "https://news.test/2019/05/07/a", SEED)[0]
    assert (seeds / "seeds.yml").read_text() == after


def test_a_given_url_confirms_a_candidate(seeds):
    manifest = seeds / "seeds.yml"
    candidate = next(u for s in load_seeds(seeds).seeds for u in s.urls
                     if u.confidence == "candidate")
    owner = next(s for s in load_seeds(seeds).seeds if candidate in s.urls)
    add(seeds, candidate.url, owner.id)
    again = next(u for u in load_seeds(seeds).get(owner.id).urls if u.url == candidate.url)
    assert again.confidence == "given" and "score" not in manifest.read_text().split(
        candidate.url, 1)[1].split("- url:", 1)[0]


def test_adding_a_seed_file_copies_it_and_gives_it_an_entry(seeds, tmp_path):
    new = tmp_path / "copy.md"
    new.write_text("# A new copy\n\nBy A. Writer\n\nMay 9, 2019\n\nThe copied words.\n")
    before = (seeds / "seeds.yml").read_text()
    done = add(seeds, str(new))
    assert (seeds / "copy.md").read_text() == new.read_text()
    assert any("new entry for copy.md" in line for line in done)
    assert kept_in_order(before, (seeds / "seeds.yml").read_text())
    assert load_seeds(seeds).get("copy").title == "A new copy"
    add(seeds, "https://news.test/copy", "copy.md")
    assert [u.url for u in load_seeds(seeds).get("copy").urls] == ["https://news.test/copy"]


@pytest.mark.parametrize(("target", "seed", "message"), [
    ("ftp://news.test/a", SEED, r"is not http\(s\)"),
    ("https://news.test/a", None, "give --seed ID"),
    ("https://news.test/a", "nobody", "no seed 'nobody'"),
    ("missing.txt", None, "no such file"),
])
def test_bad_input_is_refused_with_a_reason_and_changes_nothing(seeds, target, seed, message):
    before = (seeds / "seeds.yml").read_text()
    with pytest.raises(AddError, match=message):
        add(seeds, target, seed)
    assert (seeds / "seeds.yml").read_text() == before


def test_the_command_exits_1_on_bad_input(seeds):
    result = subprocess.run([str(BIN / "seedcheck"), "add", "https://news.test/a",
                             "--seeds", str(seeds)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "give --seed ID" in result.stderr
