"""archive.app.terminal: text from outside reaches the terminal with its controls visible.

A seed title and a `Location` header carry escape sequences (retitle the window, clear the
screen, a bidirectional override); `seedcheck seeds` and a real `seedcheck crawl` against the
test web server print them as `\\x1b…`, never as the bytes a terminal obeys.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from archive.app.terminal import clean, visible
from tests.test_crawl import crawl, write_seeds
from tests.webserver import WebServer

BIN = Path(sys.executable).parent
HOSTILE = "\x1b]0;PWNED\x07\x1b[2J\x1b[1A\u202eevil\x9b31m\r"
RAW = ("\x1b", "\x07", "\u202e", "\x9b")


def test_controls_become_visible_and_progress_keeps_its_own():
    assert visible(f"a{HOSTILE}b") == "a\\x1b]0;PWNED\\x07\\x1b[2J\\x1b[1A\\u202eevil\\x9b31m\\rb"
    assert visible("tab\there, new\nline, café, статья") == "tab\there, new\nline, café, статья"
    assert clean(f"\rcrawl: 3 URLs {HOSTILE}\x1b[K") == (
        "\rcrawl: 3 URLs \\x1b]0;PWNED\\x07\\x1b[2J\\x1b[1A\\u202eevil\\x9b31m\\r\x1b[K")


def test_seeds_prints_a_hostile_title_harmlessly(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "evil.txt").write_text(f"# A title {HOSTILE} here\n\nBy A. Writer\n\n"
                                    "A paragraph of the article, long enough to count.\n")
    result = subprocess.run([str(BIN / "seedcheck"), "seeds", "--seeds", str(seeds)],
                            capture_output=True, text=True, timeout=60)
    assert "A title \\x1b]0;PWNED\\x07" in result.stdout
    assert not any(c in result.stdout + result.stderr for c in RAW)


def test_crawl_prints_a_hostile_location_harmlessly(tmp_path):
    with WebServer() as server:
        server.redirect("/moved", "/gone\x1b]0;PWNED\x07\x1b[2J\x9b31m")  # latin-1 on the wire
        seeds = tmp_path / "seeds"
        write_seeds(seeds, [[(f"http://news.test:{server.port}/moved", "original")]])
        result = crawl(seeds, tmp_path / "data")
    assert result.returncode == 0, result.stderr
    assert "news.test" in result.stdout + result.stderr
    assert not any(c in result.stdout + result.stderr for c in RAW)
