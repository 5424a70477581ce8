"""archive.seeds.intake and the pages: seeds named in any language, and the files a seeds or
WARC folder must not get read (names that are not UTF-8, links out of the folder, 50 MB).

Real files, a real `seedcheck seeds` and `seedcheck build` (peak memory measured), a real
`seedcheck serve` whose home page links lead to each seed's compare page.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import sys
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archive.warc.writer import Exchange, WarcConfig, WarcWriter
from tests.articles import NEWS
from tests.browser import start_server, stop_server
from tests.memory import run_measured
from tests.pages import telegraph_page

BIN = Path(sys.executable).parent
NAMES = ("café", "статья", "my article", "report(1)", "a+b")
URL = "https://news.test/2019/05/14/story/"
LIMIT_MB = 500


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("names")
    seeds, warcs = root / "seeds", root / "data" / "warcs"
    seeds.mkdir()
    warcs.mkdir(parents=True)
    text = f"# {NEWS.title}\n\n" + "\n\n".join(NEWS.blocks()) + "\n"
    manifest = ["seeds:"]
    for name in NAMES:
        (seeds / f"{name}.txt").write_text(text)
        manifest += [f"  - file: {name}.txt", "    originals:", f"      - url: {URL}"]
    (seeds / "seeds.yml").write_text("\n".join(manifest) + "\n")
    with open(os.path.join(os.fsencode(seeds), b"caf\xe9-latin1.txt"), "w") as fh:
        fh.write(text)
    (seeds / "passwd.txt").symlink_to("/etc/passwd")
    (seeds / "huge.txt").write_text(text * (50 * 1024 * 1024 // len(text)))
    with WarcWriter(WarcConfig(directory=warcs, prefix="names")) as writer:
        written = writer.write(Exchange(
            url=URL, date=datetime(2026, 11, 21, tzinfo=UTC), method="GET",
            request_headers=[("Host", "news.test")], request_body=b"", protocol="HTTP/1.1",
            status=200, reason="OK", response_headers=[("Content-Type", "text/html")],
            body=telegraph_page(NEWS).encode(), ip_address="127.0.0.1"))
    shutil.copy(warcs / written.filename, os.path.join(os.fsencode(warcs), b"copy\xff.warc.gz"))
    return seeds, root / "data"


def test_seeds_lists_every_name_and_refuses_what_it_must_not_read(folders):
    seeds, _ = folders
    result, peak = run_measured([str(BIN / "seedcheck"), "seeds", "--seeds", str(seeds)])
    assert result.returncode == 1
    for name in NAMES:
        assert re.search(rf"^{re.escape(name)}  ", result.stdout, re.M), name
    assert "5 seeds in" in result.stdout
    problems = result.stderr
    assert "caf\\xe9-latin1.txt: file name is not UTF-8; rename the file" in problems
    assert "passwd.txt: a symbolic link to /etc/passwd, outside the seeds folder" in problems
    assert re.search(r"huge\.txt: [\d,]+ bytes: over the 1,048,576-byte limit of a seed", problems)
    assert "root:" not in result.stdout + problems
    assert peak < LIMIT_MB, f"seeds peaked at {peak:.0f} MB"


def test_build_and_pages_serve_every_seed_by_its_name(folders):
    seeds, data = folders
    result, peak = run_measured([str(BIN / "seedcheck"), "build", "--data", str(data),
                                 "--seeds", str(seeds), "--workers", "0"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert peak < LIMIT_MB, f"build peaked at {peak:.0f} MB"
    assert "copy\\xff.warc.gz: file name is not UTF-8; skipped" in result.stdout
    db = sqlite3.connect(data / "seedcheck.db")
    assert sorted(r[0] for r in db.execute("select id from seeds")) == sorted(NAMES)
    assert db.execute("select count(*) from seeds where raw like '%root:%'").fetchone() == (0,)
    base, process = start_server(data)
    try:
        with urllib.request.urlopen(f"{base}/-/seedcheck", timeout=30) as response:
            home = response.read().decode()
        links = re.findall(r'href="(/-/seedcheck/seed/[^"?]+)"', home)
        assert len(set(links)) == len(NAMES), links
        for link in set(links):
            with urllib.request.urlopen(base + link, timeout=30) as response:
                assert response.status == 200 and NEWS.title in response.read().decode()
    finally:
        stop_server(process)
