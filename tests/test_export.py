"""`seedcheck export --wacz`: a WACZ that py-wacz's validator accepts and ReplayWeb.page replays.

Data: two WARC files (one article each; the first with a revisit a day later) written by the
project's writer, two faithful seeds, a real `seedcheck build`. The WACZ is checked by `wacz
validate`, read back file by file, and opened in ReplayWeb.page in Chromium.
"""

import gzip
import hashlib
import json
import subprocess
import sys
import time
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from archive.warc.writer import DigestIndex, WarcConfig, WarcWriter
from tests.articles import NEWS, OPINION
from tests.browser import exchange, seed_text
from tests.pages import moscow_times_page, page_url, telegraph_page
from tests.replay_fixture import ReplayPage

BIN = Path(sys.executable).parent
LIVE = datetime(2026, 11, 21, 22, 30, tzinfo=UTC)
OPINION_URL = page_url("moscow_times", OPINION)
NEWS_URL = page_url("telegraph", NEWS)


def seedcheck(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "seedcheck"), *args], capture_output=True, text=True,
                          timeout=240)


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("export")
    warcs = root / "data" / "warcs"
    warcs.mkdir(parents=True)
    with WarcWriter(WarcConfig(warcs, prefix="opinion"), DigestIndex.open(warcs)) as writer:
        writer.write(exchange(OPINION_URL, moscow_times_page(OPINION), LIVE))
        writer.write(exchange(OPINION_URL, moscow_times_page(OPINION), LIVE + timedelta(days=1)))
    with WarcWriter(WarcConfig(warcs, prefix="news")) as writer:
        archived = datetime(2019, 5, 15, 8, 0, tzinfo=UTC)
        writer.write(exchange(NEWS_URL, telegraph_page(NEWS), archived,
                              source_uri=f"https://web.archive.test/web/20190515080000id_/{NEWS_URL}"))
    seeds = root / "seeds"
    seeds.mkdir()
    (seeds / "opinion.txt").write_text(seed_text(OPINION))
    (seeds / "news.txt").write_text(seed_text(NEWS))
    (seeds / "seeds.yml").write_text(
        f"seeds:\n  - file: opinion.txt\n    originals:\n      - url: {OPINION_URL}\n"
        f"  - file: news.txt\n    originals:\n      - url: {NEWS_URL}\n")
    built = seedcheck("build", "--data", str(root / "data"), "--seeds", str(seeds), "--workers", "0")
    assert built.returncode == 0, built.stderr
    return root / "data"


@pytest.fixture(scope="module")
def wacz(data, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wacz") / "seedcheck.wacz"
    result = seedcheck("export", "--data", str(data), "--wacz", str(out))
    assert result.returncode == 0, result.stderr
    assert f"wrote {out}: 2 seed(s), 3 page(s), 2 WARC file(s)" in result.stdout
    return out


def validate(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "wacz"), "validate", "-f", str(path)], capture_output=True,
                          text=True, timeout=120)


def test_py_wacz_validates_the_package_and_notices_tampering(wacz, tmp_path):
    result = validate(wacz)
    assert result.returncode == 0 and "the passed WACZ is valid" in result.stdout, result.stdout
    tampered = tmp_path / "tampered.wacz"
    with zipfile.ZipFile(wacz) as original, zipfile.ZipFile(tampered, "w") as copy:
        for item in original.infolist():
            body = original.read(item)
            if item.filename == "pages/pages.jsonl":
                body = body.replace(b"Moscow", b"Moskva")
            copy.writestr(item, body)
    assert validate(tampered).returncode == 1


def test_the_package_holds_the_warcs_the_index_the_pages_and_the_evidence(wacz, data):
    with zipfile.ZipFile(wacz) as package:
        names = package.namelist()
        datapackage = json.loads(package.read("datapackage.json"))
        for resource in datapackage["resources"]:     # every file, with its sha256
            digest = hashlib.sha256(package.read(resource["path"])).hexdigest()
            assert resource["hash"] == f"sha256:{digest}"
        assert sorted(r["path"] for r in datapackage["resources"]) == sorted(
            n for n in names if not n.startswith("datapackage"))
        assert datapackage["wacz_version"] == "1.1.1"
        for warc in sorted((data / "warcs").glob("*.warc.gz")):
            assert package.getinfo(f"archive/{warc.name}").compress_type == zipfile.ZIP_STORED
            assert package.read(f"archive/{warc.name}") == warc.read_bytes()
        index = gzip.decompress(package.read("indexes/index.cdx.gz")).decode()
        assert sum(1 for line in index.splitlines() if '"mime": "warc/revisit"' in line) == 1
        header, *pages = [json.loads(line) for line in package.read("pages/pages.jsonl").splitlines()]
        seeds = json.loads(package.read("seedcheck/seeds.json"))
    assert header["format"] == "json-pages-1.0" and header["hasText"] is True
    assert sorted((p["url"], p["ts"][:4]) for p in pages) == sorted(
        [(OPINION_URL, "2026"), (OPINION_URL, "2026"), (NEWS_URL, "2019")])
    opinion = [p for p in pages if p["url"] == OPINION_URL]
    assert all(p["title"] == OPINION.title and OPINION.blocks()[1] in p["text"] for p in opinion)
    assert {s["id"]: s["comparisons"][0]["verdict"] for s in seeds} == {
        "news": "faithful", "opinion": "faithful"}
    assert all(c["differences"] is not None for s in seeds for c in s["comparisons"])


def test_one_seed_takes_only_the_warcs_it_needs(data, tmp_path):
    out = tmp_path / "news.wacz"
    result = seedcheck("export", "--data", str(data), "--wacz", str(out), "--seed", "news")
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(out) as package:
        archived = [n for n in package.namelist() if n.startswith("archive/")]
        seeds = json.loads(package.read("seedcheck/seeds.json"))
    assert [Path(n).name.split("-")[0] for n in archived] == ["news"]
    assert [s["id"] for s in seeds] == ["news"]
    assert validate(out).returncode == 0


def test_export_errors_name_what_is_wrong(data, tmp_path):
    unknown = seedcheck("export", "--data", str(data), "--wacz", str(tmp_path / "x.wacz"),
                        "--seed", "nobody")
    assert unknown.returncode == 1 and "no seed nobody in the database" in unknown.stderr
    empty = seedcheck("export", "--data", str(tmp_path / "none"), "--wacz", str(tmp_path / "y.wacz"))
    assert empty.returncode == 1 and "run `seedcheck build` first" in empty.stderr
    assert not list(tmp_path.glob("*.wacz")) and not list(tmp_path.glob(".*.part"))


def replayed_text(page, contains: str, timeout: float = 60.0) -> str:
    """The text of the frame in which ReplayWeb.page shows the archived page."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                text = frame.evaluate("document.body ? document.body.innerText : ''")
            except Exception:  # a frame navigating away while asked
                continue
            if contains in text:
                return text
        page.wait_for_timeout(250)
    shown = [f.evaluate(DEEP_TEXT)[:300] for f in page.frames if "/replay/" in f.url]
    raise AssertionError(f"ReplayWeb.page did not show {contains!r} within {timeout} s; frames: "
                         f"{[f.url for f in page.frames]}; they show {shown}")


def test_replaywebpage_in_chromium_replays_the_archived_article(wacz, page, tmp_path):
    sentence = OPINION.blocks()[2]
    with ReplayPage(tmp_path / "site", wacz) as replay:
        page.goto(replay.page_for(OPINION_URL))
        text = replayed_text(page, sentence[:80])
    assert OPINION.title in text
    archive_frames = [f.url for f in page.frames if "/replay/w/" in f.url]
    assert any(f.endswith(OPINION_URL) and "mp_/" in f for f in archive_frames), archive_frames


def test_an_exported_wacz_imports_and_builds_the_same_verdicts(data, wacz, tmp_path):
    """seedcheck reads back what it exports: the WACZ as an import into an empty data folder."""
    fresh = tmp_path / "data"
    imported = seedcheck("import", "--data", str(fresh), str(wacz))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert "3 capture(s)" in imported.stdout      # two responses and the revisit
    built = seedcheck("build", "--data", str(fresh), "--seeds", str(data.parent / "seeds"),
                      "--workers", "0")
    assert built.returncode == 0, built.stderr
    report = json.loads(seedcheck("check", "--data", str(fresh), "--json").stdout)
    best = {s["id"]: next(c for c in s["comparisons"] if c["id"] == s["best"]) for s in report}
    assert {seed: c["verdict"] for seed, c in best.items()} == {"news": "faithful", "opinion": "faithful"}
    assert all(c["archive"] == f"imported {wacz.name}" for c in best.values())


DEEP_TEXT = """() => { const parts = [];
  const walk = (root) => {
    const nodes = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node = nodes.nextNode(); node; node = nodes.nextNode()) {
      if (node.nodeType === 3) { if (node.parentElement && node.parentElement.closest('style, script')) continue;
        parts.push(node.textContent); }
      else if (node.shadowRoot) walk(node.shadowRoot);
    } };
  walk(document.body); return parts.join(' ').replace(/\\s+/g, ' '); }"""


def test_replaywebpage_search_finds_the_article_by_its_extracted_text(wacz, page, tmp_path):
    """pages.jsonl carries the extracted text: ReplayWeb.page's search finds the article by a
    phrase of its body (in no title or URL) and shows it in context."""
    phrase = " ".join(OPINION.blocks()[3].split()[3:8])
    assert phrase not in OPINION.title and phrase not in NEWS.title
    with ReplayPage(tmp_path / "site", wacz) as replay:
        page.goto(replay.page_for())
        ui = page.frame_locator("replay-web-page iframe")
        box = ui.get_by_placeholder("Search by Page URL, Title, or Text")
        box.wait_for(timeout=60_000)
        frame = next(f for f in page.frames if "/replay/?source=" in f.url)
        deadline = time.monotonic() + 30
        while OPINION.title not in (listed := frame.evaluate(DEEP_TEXT)) and (
                time.monotonic() < deadline):
            page.wait_for_timeout(250)                               # the list is filled in
        box.fill(phrase)
        deadline = time.monotonic() + 30
        while phrase not in (found := frame.evaluate(DEEP_TEXT)) and time.monotonic() < deadline:
            page.wait_for_timeout(250)
    assert OPINION.title in listed and phrase not in listed     # the list: titles and URLs
    context = found[max(found.find(phrase) - 800, 0):found.find(phrase)]
    assert phrase in found and OPINION.title in context, context   # a match, under its title
