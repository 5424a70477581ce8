"""`seedcheck demo` and `seedcheck run`, end to end, as real subprocesses.

The demo runs once per module (a demo site, a real pywb, a real crawl and build, about 5 s);
the tests read what it left. `run` crawls the misbehaving test web server.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from archive.app.demo import DemoError, DemoOptions, run_demo
from archive.app.demo.articles import ARTICLES, EDITS, HOST, REMOVED, TELESCOPES
from archive.app.demo.copies import COPIES
from archive.app.demo.site import BANNER, DemoSite
from archive.db.store import seed_report
from archive.warc.writer import iter_captures, warc_files
from tests.browser import start_server, stop_server

BIN = Path(sys.executable).parent
pytestmark = pytest.mark.timeout(120)


def seedcheck(*args: str, timeout: float = 100, cwd: Path | None = None,
              ) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "seedcheck"), *args], capture_output=True, text=True,
                          timeout=timeout, cwd=cwd)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    folder = tmp_path_factory.mktemp("demo")
    # A relative --data, as README invites: pywb runs in a folder of its own and must cope.
    result = seedcheck("demo", "--data", "data", "--no-serve", cwd=folder)
    data = folder / "data"
    assert result.returncode == 0, result.stdout + result.stderr
    return data, result


def db_rows(data: Path, sql: str, *params: object) -> list[sqlite3.Row]:
    with sqlite3.connect(data / "seedcheck.db") as db:
        db.row_factory = sqlite3.Row
        return db.execute(sql, params).fetchall()


def test_every_demo_seed_gets_the_verdict_it_was_made_to_show(demo):
    data, result = demo
    report = {seed["id"]: seed for seed in seed_report(data / "seedcheck.db")}
    assert sorted(report) == sorted(c.seed_id for c in COPIES)
    found = {}
    for seed_id, seed in report.items():
        best = [c for c in seed["comparisons"] if c["id"] == seed["best"]]
        found[seed_id] = best[0]["verdict"] if best else None
    assert found == {c.seed_id: c.verdict for c in COPIES}
    assert {c.verdict for c in COPIES} == {"faithful", "padded", "excerpt", "altered", "different"}
    assert "UNEXPECTED" not in result.stdout
    assert f"browse it with `seedcheck serve --data {data}`" in result.stdout


def test_the_archive_stands_in_for_the_removed_page_and_keeps_the_edited_one(demo):
    data, _ = demo
    rows = db_rows(data, "SELECT url, source, archive, status, captured_at FROM captures "
                         "WHERE url LIKE ? AND record_type != 'metadata'", f"http://{HOST}:%")
    archived = {r["url"] for r in rows if r["source"] == "archive"}
    assert len(archived) == len(ARTICLES)                     # one earlier capture of each
    assert all(r["archive"] == "demo-archive" for r in rows if r["source"] == "archive")
    assert all(r["captured_at"].startswith("2026-03-") for r in rows if r["source"] == "archive")
    live = {r["url"]: r["status"] for r in rows
            if r["source"] == "live" and not r["url"].endswith("/robots.txt")}
    assert sorted(live.values()) == [200, 200, 200, 200, 404]
    # The removed page's seed is compared with the archived capture, the live 404 is not an article.
    excerpt = next(c for c in COPIES if c.article is TELESCOPES)
    best = db_rows(data, "SELECT source, verdict FROM comparisons WHERE seed_id = ? AND best = 1",
                   excerpt.seed_id)
    assert [tuple(r) for r in best] == [("archive", "excerpt")]
    # The edited page: the seed is compared with both versions, the archived one is best.
    altered = next(c for c in COPIES if c.article.key in EDITS)
    versions = db_rows(data, "SELECT source, verdict, best FROM comparisons WHERE seed_id = ? "
                             "ORDER BY source", altered.seed_id)
    assert [(r["source"], r["verdict"], r["best"]) for r in versions] == [
        ("archive", "altered", 1), ("live", "altered", 0)]
    log = [json.loads(line) for path in (data / "crawls").glob("*.jsonl")
           for line in path.read_text().splitlines()]
    gone = [line for line in log if line["url"].endswith(TELESCOPES.path)]
    assert gone[0]["source"] == "archive" and "404" in gone[0]["reason"]


def test_demo_warcs_pass_warcio_check_and_hold_the_archive_captures(demo):
    data, _ = demo
    files = warc_files(data / "warcs")
    history = sorted((data / "pywb" / "collections").rglob("*.warc.gz"))
    assert files and history
    result = subprocess.run([str(BIN / "warcio"), "check", *map(str, files + history)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    sources = [c.source_uri for path in files for c in iter_captures(path, with_body=False)
               if c.record_type in ("response", "revisit") and c.source_uri]
    assert len(sources) == len(ARTICLES)       # unchanged pages' captures are revisits
    assert all("/demo-archive/" in s and "id_/" in s for s in sources)


def test_demo_writes_seeds_a_manifest_and_says_what_each_copy_is(demo):
    data, result = demo
    manifest = json.loads((data / "demo.json").read_text())
    assert [s["expected"] for s in manifest["seeds"]] == [c.verdict for c in COPIES]
    assert {s["live"] for s in manifest["seeds"]} == {"served", "removed"}
    seeds = yaml.safe_load((data / "seeds" / "seeds.yml").read_text())["seeds"]
    assert [s["file"] for s in seeds] == [f"{c.seed_id}.txt" for c in COPIES]
    assert all(s["originals"][0]["url"].startswith(f"http://{HOST}:") for s in seeds)
    padded = (data / "seeds" / "demo-2-padded.txt").read_text()
    assert "Leave a Reply" in padded
    for line in ("== demo site:", "== demo archive:", "== crawl:", "== build:", "== verdicts"):
        assert line in result.stdout


def test_the_demo_in_a_browser_shows_each_verdict_and_the_altered_words(demo, chromium):
    data, _ = demo
    base, process = start_server(data)
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{base}/-/seedcheck")
        shown = {row.get_attribute("data-seed"): row.locator(".sc-badge").inner_text()
                 for row in page.locator("#seeds tbody tr").all()}
        assert shown == {c.seed_id: c.verdict for c in COPIES}
        altered = next(c for c in COPIES if c.verdict == "altered")
        page.goto(f"{base}/-/seedcheck/seed/{altered.seed_id}")
        seed_marks = page.locator(".sc-seed mark.sc-changed").all_inner_texts()
        original_marks = page.locator(".sc-original mark.sc-changed").all_inner_texts()
        assert any("4.2" in m for m in seed_marks) and any("2.4" in m for m in original_marks)
        assert any("Strang" in m for m in seed_marks)
    finally:
        context.close()
        assert stop_server(process) is not None


def test_demo_site_serves_banners_and_removes_pages():
    with DemoSite() as site:
        live = next(a for a in ARTICLES if a.key not in REMOVED)
        with urllib.request.urlopen(f"http://127.0.0.1:{site.port}{live.path}", timeout=5) as r:
            page = r.read().decode()
        assert BANNER in page and live.title in page
        with pytest.raises(urllib.error.HTTPError) as gone:
            urllib.request.urlopen(f"http://127.0.0.1:{site.port}{TELESCOPES.path}", timeout=5)
        assert gone.value.code == 404
        assert site.url(live) == f"http://{HOST}:{site.port}{live.path}"


def test_demo_refuses_a_folder_it_did_not_write(tmp_path):
    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(DemoError, match="not a demo folder"):
        run_demo(DemoOptions(data_dir=tmp_path, serve=False), echo=lambda line: None)
    assert (tmp_path / "precious.txt").read_text() == "keep me"


def test_run_crawls_and_builds_without_serving(tmp_path, webserver):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "001_page.txt").write_text("# A test page\n\nBy A. Writer\n\nMay 5, 2019\n\n"
                                        "Some words of a copy.\n")
    (seeds / "002_gone.txt").write_text("# A gone page\n\nMay 6, 2019\n\nOther words.\n")
    entries = [{"file": "001_page.txt", "originals": [{"url": webserver.url("/articles/nbc")}]},
               {"file": "002_gone.txt", "originals": [{"url": webserver.url("/status/410")}]}]
    (seeds / "seeds.yml").write_text(yaml.safe_dump({"seeds": entries}))
    data = tmp_path / "data"
    result = seedcheck("run", "--no-serve", "--seeds", str(seeds), "--data", str(data),
                       "--resolve", "news.test:127.0.0.1", "--no-wayback",
                       "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "== crawl:" in result.stdout and "== build:" in result.stdout
    assert "2 URLs, 2 fetched" in result.stdout
    statuses = db_rows(data, "SELECT url, status FROM captures WHERE record_type = 'response' "
                             "AND url NOT LIKE '%/robots.txt'")
    assert sorted(r["status"] for r in statuses) == [200, 410]
    compared = db_rows(data, "SELECT seed_id, verdict FROM comparisons ORDER BY seed_id")
    assert [r["seed_id"] for r in compared] == ["001_page", "002_gone"]
    assert webserver.count("/articles/nbc") >= 1


def test_run_reports_a_crawl_that_cannot_run(tmp_path):
    empty = tmp_path / "seeds"
    empty.mkdir()
    result = seedcheck("run", "--no-serve", "--seeds", str(empty), "--data", str(tmp_path / "d"))
    assert result.returncode == 1
    assert "the crawl could not run" in result.stderr
