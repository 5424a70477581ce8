"""archive.warc.foreign, `seedcheck import` and the build's use of imported archives (issue 14).

The archives are made by the tools that write such files in the wild (warcio, pywb's recorder,
wget, py-wacz) or byte by byte (ARC); see tests/foreign_fixture.py.
"""

import hashlib
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from archive.warc.foreign import read_foreign, read_foreign_at
from archive.warc.reader import WarcError
from archive.warc.urlkey import url_key
from tests.articles import ARTICLES
from tests.browser import start_server, stop_server

BIN = Path(sys.executable).parent
KINDS = ("warcio-1.1", "warcio-1.0", "pywb", "wget", "arc", "wacz", "damaged")


def seedcheck(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "seedcheck"), *args], capture_output=True, text=True,
                          timeout=240)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("kind", KINDS)
def test_each_tools_file_is_read_with_its_page(foreign_archives, kind):
    damage = []
    captures = list(read_foreign(foreign_archives.files[kind], damage.append))
    url, article = foreign_archives.pages[kind]
    (page,) = [c for c in captures if url_key(c.target_uri) == url_key(url)]
    assert page.record_type == "response" and page.status == 200
    assert page.content_type == "text/html"
    assert ARTICLES[article].title.encode() in page.body
    assert page.record_id and page.date.year >= 2019
    assert (damage != []) == (kind == "damaged")


def test_a_damaged_file_is_reported_at_its_offset_and_read_past(foreign_archives):
    damage = []
    urls = [c.target_uri for c in read_foreign(foreign_archives.files["damaged"], damage.append)]
    assert urls == ["http://news.test/filler-1", "http://news.test/after-damage"]
    (error,) = damage
    assert error.offset == foreign_archives.damaged_offset
    assert f"damaged.warc.gz: unreadable record at byte offset {error.offset}" in str(error)


def test_urls_match_in_surt_form():
    assert url_key("http://www.News.test/story/?b=2&a=1") == url_key("https://news.test/story?a=1&b=2")
    assert url_key("http://news.test/a") != url_key("http://news.test/b")


def write_seeds(folder: Path, pages: dict) -> Path:
    """One seed per article, faithful, with the URLs that hold it written as a person might
    (https, a trailing slash, without www.)."""
    folder.mkdir()
    entries = []
    for n, article in enumerate(ARTICLES):
        name = f"seed-{n}.txt"
        lines = [f"# {article.title}", f"By {article.author}",
                 article.published.strftime("%B %d, %Y"), *article.blocks()]
        (folder / name).write_text("\n\n".join(lines) + "\n")
        urls = [url.replace("http://www.", "https://") + "/" for url, a in pages.values()
                if a == n]
        entries.append(f"  - file: {name}\n    originals:\n" + "".join(
            f"      - url: {url}\n        role: original\n" for url in urls))
    (folder / "seeds.yml").write_text("seeds:\n" + "".join(entries))
    return folder


@pytest.fixture(scope="module")
def imported(foreign_archives, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """Every kind imported into one data folder, then built with seeds of their articles."""
    root = tmp_path_factory.mktemp("imported")
    data = root / "data"
    result = seedcheck("import", "--data", str(data),
                       *(str(foreign_archives.files[k]) for k in KINDS))
    seeds = write_seeds(root / "seeds", foreign_archives.pages)
    built = seedcheck("build", "--data", str(data), "--seeds", str(seeds), "--workers", "0")
    assert built.returncode == 0, built.stderr
    return data, result


def compared(data: Path) -> dict[str, tuple]:
    db = sqlite3.connect(data / "seedcheck.db")
    rows = db.execute("SELECT c.final_url, c.verdict, c.source, c.archive, p.warc_file, "
                      "p.record_id FROM comparisons c "
                      "JOIN captures p ON p.record_id = c.record_id").fetchall()
    return {url_key(url): rest for url, *rest in rows}


def test_import_keeps_the_files_and_the_build_compares_the_seeds_with_them(foreign_archives, imported):
    data, result = imported
    assert result.returncode == 1, result.stdout + result.stderr     # the damaged file
    offset = foreign_archives.damaged_offset
    assert f"damaged.warc.gz: unreadable record at byte offset {offset}" in result.stdout
    for path in foreign_archives.files.values():
        assert sha256(data / "imports" / path.name) == sha256(path)   # kept unchanged
    found = compared(data)
    for kind in KINDS:
        url, _ = foreign_archives.pages[kind]
        verdict, source, archive, where, _ = found[url_key(url)]
        name = foreign_archives.files[kind].name
        assert verdict == "faithful", (kind, verdict)
        assert (source, archive) == ("archive", f"imported {name}")
        assert where.startswith(f"imports/{name}")
    db = sqlite3.connect(data / "seedcheck.db")
    problems = db.execute("SELECT file, offset, problem FROM build_problems").fetchall()
    assert [(Path(f).name, o) for f, o, _ in problems] == [("damaged.warc.gz", offset)]


@pytest.mark.parametrize("kind", KINDS)
def test_read_foreign_at_reads_the_record_at_each_offset(foreign_archives, tmp_path, kind):
    path = foreign_archives.files[kind]
    for capture in read_foreign(path, lambda error: None):
        again = read_foreign_at(path.parent, capture.filename, capture.offset)
        assert (again.record_id, again.target_uri, again.body) == (
            capture.record_id, capture.target_uri, capture.body)
    with pytest.raises(WarcError, match="no record at byte offset 1"):
        read_foreign_at(path.parent, path.name if kind != "wacz" else capture.filename, 1)


def test_the_raw_view_shows_imported_pages(foreign_archives, imported):
    data, _ = imported
    base, process = start_server(data)
    try:
        for kind in KINDS:
            url, article = foreign_archives.pages[kind]
            record_id = compared(data)[url_key(url)][4]
            address = f"{base}/-/seedcheck/raw/{quote(record_id.strip('<>'), safe=':')}"
            try:
                answer = urllib.request.urlopen(address, timeout=30)
            except urllib.error.HTTPError as exc:
                raise AssertionError(f"{kind}: {address}: {exc.code} {exc.read()[:200]!r}") from exc
            with answer:
                assert answer.status == 200, kind
                assert ARTICLES[article].title.encode() in answer.read(), kind
                assert "sandbox" in answer.headers["Content-Security-Policy"]
    finally:
        stop_server(process)


def test_importing_again_copies_nothing_and_a_namesake_is_kept_beside(foreign_archives, tmp_path):
    data, given = tmp_path / "data", foreign_archives.files["warcio-1.1"]
    assert seedcheck("import", "--data", str(data), str(given)).returncode == 0
    again = seedcheck("import", "--data", str(data), str(given))
    assert again.returncode == 0 and "already imported" in again.stdout
    namesake = tmp_path / "other" / given.name
    namesake.parent.mkdir()
    namesake.write_bytes(foreign_archives.files["damaged"].read_bytes())
    seedcheck("import", "--data", str(data), str(namesake))
    kept = sorted(p.name for p in (data / "imports").iterdir())
    assert kept == sorted([given.name, f"{sha256(namesake)[:12]}-{given.name}"])
    assert sha256(data / "imports" / given.name) == sha256(given)


def test_what_is_not_an_archive_is_refused_by_name(tmp_path):
    junk = tmp_path / "notes.warc.gz"
    junk.write_bytes(b"these are not records\n" * 20)
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    result = seedcheck("import", "--data", str(tmp_path / "data"), str(junk), str(text),
                       str(tmp_path / "missing.warc"))
    assert result.returncode == 1
    assert f"{junk}: nothing readable" in result.stdout
    assert f"{text}: not a .warc" in result.stdout
    assert f"{tmp_path / 'missing.warc'}: no such file" in result.stdout
    assert not (tmp_path / "data" / "imports").exists() or not any((tmp_path / "data" / "imports").iterdir())


def test_bytes_that_only_look_like_an_arc_header_are_no_record(tmp_path):
    """Five space-separated fields parse as an ARC header; without a URL they are not one
    (a gzip member read from its second byte once returned such a record)."""
    (tmp_path / "odd.arc").write_bytes(b"\x8b\xe9n@ 1.2.3.4 20190509093000 text/html 5\nhello\n")
    with pytest.raises(WarcError, match="no record at byte offset 0"):
        read_foreign_at(tmp_path, "odd.arc", 0)
