"""Archived originals against a real pywb: fallback, WARC fields, rate limits, captures, resolve.

pywb serves WARC files a first `seedcheck crawl` of the test site wrote, plus captures at
chosen dates (`tests.pywb_fixture`). Then the site changes (a page removed, one edited, one
redirected home, a host down) and the crawls here fetch live pages and archived captures.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from archive.seeds.candidates import Found, add_candidates
from archive.warc.crawllog import read_lines
from archive.warc.writer import Capture, iter_captures, warc_files
from crawler.cdx import link_original, parse_cdx, restore_headers, select
from tests.articles import ARTICLES
from tests.pywb_fixture import (
    BIN,
    DATED,
    DECOYS,
    FAST,
    RIGHT,
    ArchivedSite,
    crawl,
    given,
    write_seeds,
)
from tests.webserver import article_html, marked

pytestmark = pytest.mark.timeout(120)
PATHS = ("/gone", "/changed", "/moved", "/old", "/nothing", "/dated")


@dataclass
class Crawled:
    site: ArchivedSite
    data: Path
    seeds: Path
    result: subprocess.CompletedProcess
    lines: dict[str, dict]
    records: dict[str, Capture]

    def line(self, path: str, host: str = "news.test") -> dict:
        return self.lines[self.site.url(path, host)]

    def used(self, path: str, host: str = "news.test") -> Capture:
        line = self.line(path, host)
        best = next(a for a in line["archived"] if a["archive"] == (line["archive"] or "local")
                    and "closest" in a["choice"])
        return self.records[best["record_id"]]


def read_back(data: Path) -> dict[str, Capture]:
    return {c.record_id: c for p in warc_files(data / "warcs") for c in iter_captures(p)}


def crawled(site: ArchivedSite, root: Path, originals: list[str], *extra: str,
            down: bool = False) -> Crawled:
    seeds = write_seeds(root / "seeds", [{
        "name": "000_main.txt", "title": ARTICLES[2].title, "date": "May 5, 2019",
        "paragraphs": list(ARTICLES[2].paragraphs), "originals": [given(u) for u in originals]}])
    result = crawl(seeds, root / "data", "--no-wayback", *extra, down=down)
    assert result.returncode == 0, result.stderr + result.stdout
    (log,) = sorted((root / "data" / "crawls").glob("*.jsonl"))
    lines = {line["url"]: line for line in read_lines(log)}
    return Crawled(site, root / "data", seeds, result, lines, read_back(root / "data"))


@pytest.fixture(scope="module")
def fallback(archived_site, tmp_path_factory) -> Crawled:
    site = archived_site
    site.server.remove("/gone")
    site.server.set_page("/changed", marked(article_html(2), "second version"))
    site.server.redirect("/moved", "/", 301)
    urls = [site.url("/story", "down.test"), *map(site.url, PATHS)]
    return crawled(site, tmp_path_factory.mktemp("fallback"), urls, "--archive",
                   f"local={site.proxy.cdx_url}", "--captures", "first,closest,latest",
                   down=True)


def test_host_down_uses_the_archived_capture_recorded_the_pywb_way(fallback):
    site, line = fallback.site, fallback.line("/story", "down.test")
    assert line["outcome"] == "failed" and line["error"] == "refused"  # the live fetch
    assert line["used"] == "archive" and line["source"] == "archive"
    assert line["archive"] == "local"
    assert line["reason"].startswith("live fetch failed (refused): using the local capture of")
    capture = fallback.used("/story", "down.test")
    (earlier,) = [c for p in site.earlier for c in iter_captures(p)
                  if c.target_uri == site.url("/story", "down.test")]
    assert capture.target_uri == site.url("/story", "down.test")
    assert capture.date == earlier.date.replace(microsecond=0)  # the capture time, not now
    stamp = f"{earlier.date:%Y%m%d%H%M%S}"
    assert capture.source_uri == (f"http://127.0.0.1:{site.proxy.port}/archive/{stamp}id_/"
                                  f"{site.url('/story', 'down.test')}")
    assert capture.status == 200 and capture.body == site.server.body("/story")
    names = {k.lower() for k, _ in capture.headers}
    assert "content-type" in names
    assert not names & {"link", "memento-datetime", "content-location"}
    (meta,) = [c for c in fallback.records.values()
               if c.record_type == "metadata" and c.concurrent_to == capture.record_id]
    fields = dict(meta.fields)
    assert fields["archive"] == "local" and fields["capture-timestamp"] == stamp
    assert fields["lookup"].startswith(site.proxy.cdx_url + "?url=")
    assert fields["target-date"] == "2019-05-05" and "closest" in fields["choice"]


def test_a_frontier_worker_falls_back_to_the_archive_the_same_way(fallback, redis_server,
                                                                  tmp_path):
    site = fallback.site
    urls = [site.url("/story", "down.test"), site.url("/gone")]
    run = crawled(site, tmp_path, urls, "--archive", f"local={site.proxy.cdx_url}",
                  "--captures", "first,closest,latest", "--frontier", redis_server.url,
                  "-s", "SEEDCHECK_WORKER_ID=w1", down=True)
    for url in urls:  # the live fetch and the archive lookups of a URL stay in one worker
        line, alone = run.lines[url], fallback.lines[url]
        assert line["used"] == alone["used"] == "archive"
        assert line["reason"] == alone["reason"] and line["archive"] == "local"
        entry = next(a for a in line["archived"] if "closest" in a["choice"])
        capture = run.records[entry["record_id"]]
        assert capture.target_uri == url
        assert capture.source_uri.startswith(f"http://127.0.0.1:{site.proxy.port}/archive/")
        assert Path(capture.filename).name.startswith("seedcheck-w1-")


def test_page_gone_and_home_page_redirect_fall_back_with_their_reason(fallback):
    gone, moved = fallback.line("/gone"), fallback.line("/moved")
    assert gone["status"] == 404 and gone["used"] == "archive"
    assert gone["reason"].startswith("live page gone (HTTP 404): using the local capture")
    assert moved["status"] == 200 and moved["final_url"] == fallback.site.url("/")
    assert moved["used"] == "archive" and "redirects to the home page" in moved["reason"]
    assert fallback.used("/moved").body == article_html(0, "wordpress").encode()


def test_archived_redirect_is_followed_inside_the_archive(fallback):
    site, line = fallback.site, fallback.line("/old")
    assert line["used"] == "archive" and "redirects to the home page" in line["reason"]
    hop, page = [a for a in line["archived"] if "closest" in a["choice"]]
    assert (hop["status"], page["status"]) == (301, 200)
    assert page["source_url"].endswith("id_/" + site.url("/moved"))
    redirect, target = fallback.records[hop["record_id"]], fallback.records[page["record_id"]]
    assert redirect.target_uri == site.url("/old")
    assert ("Location", "/moved") in redirect.headers or (
        "Location", site.url("/moved")) in redirect.headers
    assert target.target_uri == site.url("/moved") and target.status == 200


def test_no_capture_anywhere_is_a_clear_outcome(fallback):
    line = fallback.line("/nothing")
    assert line["outcome"] == "fetched" and line["status"] == 404
    assert line["used"] is None and line["source"] == "live"
    assert "no archived capture to fall back on (local: no capture" in line["reason"]
    assert [a["record_id"] for a in line["archived"]] == [None]


def test_closest_capture_to_the_seed_date_among_several(fallback):
    line = fallback.line("/dated")
    chosen = {a["choice"]: a["timestamp"] for a in line["archived"]}
    assert chosen == {"first": "20180110080000", "closest": "20190509093000",
                      "latest": "20200603140000"}
    assert line["used"] == "archive"
    capture = fallback.used("/dated")
    assert b"capture-2019" in capture.body and capture.date == DATED[1][0]


def test_changed_page_keeps_live_and_archived_and_the_build_compares_both(fallback, tmp_path):
    line = fallback.line("/changed")
    assert line["used"] == "live" and line["reason"] is None
    live = fallback.records[line["record_id"]]
    assert b"second version" in live.body
    assert b"first version" in fallback.used("/changed").body
    result = subprocess.run([str(BIN / "seedcheck"), "build", "--data", str(fallback.data),
                             "--seeds", str(fallback.seeds), "--workers", "0"],
                            capture_output=True, text=True, timeout=90)
    assert result.returncode == 0, result.stderr
    db = sqlite3.connect(fallback.data / "seedcheck.db")
    rows = db.execute("SELECT source, archive, captured_at FROM captures WHERE url = ? AND "
                      "record_type = 'response' AND status = 200 ORDER BY source",
                      [fallback.site.url("/changed")]).fetchall()
    assert [(s, a) for s, a, _ in rows] == [("archive", "local"), ("live", None)]
    compared = db.execute("SELECT source, verdict FROM comparisons WHERE url = ? ORDER BY source",
                          [fallback.site.url("/changed")]).fetchall()
    assert [s for s, _ in compared] == ["archive", "live"]


def test_archive_answering_429_is_waited_for_then_used(fallback):
    answers = [status for path, status in fallback.site.proxy.answered if "/cdx?" in path]
    assert answers[0] == 429 and answers.count(429) == 1
    assert all(status == 200 for status in answers[1:])
    lookups = [a for line in fallback.lines.values() for a in line["archived"]]
    assert not any("429" in (a["error"] or "") for a in lookups)
    refused = [c for c in fallback.records.values() if c.status == 429]
    assert refused and refused[0].target_uri.startswith(fallback.site.proxy.cdx_url)


def test_every_warc_passes_warcio_check(fallback):
    files = [*warc_files(fallback.data / "warcs"), *fallback.site.earlier]
    result = subprocess.run([str(BIN / "warcio"), "check", *map(str, files)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_memento_timegate_closest_to_the_given_date(archived_site, tmp_path):
    site = archived_site
    result = crawled(site, tmp_path, [site.url("/dated")], "--at", "2020-06-01",
                     "--memento", f"mem={site.wayback.timegate_url}")
    (archived,) = result.line("/dated")["archived"]
    assert archived["archive"] == "mem" and archived["timestamp"] == "20200603140000"
    capture = result.records[archived["record_id"]]
    assert b"capture-2020" in capture.body and capture.date == DATED[2][0]
    assert capture.source_uri == site.wayback.timegate_url + site.url("/dated")
    check = subprocess.run([str(BIN / "warcio"), "check", *map(str, warc_files(tmp_path /
                                                                                "data" / "warcs"))],
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout


def test_captures_command_lists_what_the_archive_holds(archived_site):
    site = archived_site
    result = subprocess.run([str(BIN / "seedcheck"), "captures", site.url("/dated"),
                             "--no-wayback", "--archive", f"local={site.wayback.cdx_url}"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"local: {site.wayback.cdx_url}?url=")
    rows = [line.split() for line in lines[1:-1]]
    assert [r[0] + " " + r[1] for r in rows] == [f"{d:%Y-%m-%d %H:%M:%S}" for d, _ in DATED]
    assert all(r[2] == "200" and r[3] == "text/html" and r[6] == "local" for r in rows)
    assert lines[-1].strip() == "3 capture(s)"
    missing = subprocess.run([str(BIN / "seedcheck"), "captures", "http://x.test/",
                              "--no-wayback", "--archive", "gone=http://127.0.0.1:9/cdx"],
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 1 and "lookup failed" in missing.stdout
    assert json.dumps(rows)  # rows are plain strings


def test_resolve_finds_the_right_url_among_decoys(archived_site, tmp_path):
    site = archived_site
    guess = site.url("/2019/05/05/moscow-trade/")  # a wrong guess: it only names the site
    seeds = write_seeds(tmp_path / "seeds", [
        {"name": "000_resolve.txt", "title": ARTICLES[0].title, "date": "May 5, 2019",
         "paragraphs": list(ARTICLES[0].paragraphs),
         "originals": [{"url": guess, "role": "original", "confidence": "candidate"}]},
        {"name": "001_known.txt", "title": "Known", "date": "May 5, 2019",
         "paragraphs": ["A seed whose original is given."],
         "originals": [given(site.url(DECOYS[0]))]}])
    manifest = seeds / "seeds.yml"
    command = [str(BIN / "seedcheck"), "resolve", "--seeds", str(seeds), "--data",
               str(tmp_path / "data"), "--no-wayback", "--archive",
               f"local={site.wayback.cdx_url}", "--resolve", "news.test:127.0.0.1"]
    for name, value in FAST.items():
        command += ["-s", f"{name}={value}"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=90)
    assert result.returncode == 0, result.stderr + result.stdout
    out = result.stdout
    assert "001_known" not in out  # its URL is given: nothing to resolve
    assert f"query {site.wayback.cdx_url}?url=" in out and "2019%2F05%2F05" in out
    assert f"candidate {site.url(RIGHT)}" in out
    assert f"candidate {site.url(DECOYS[0])}" in out  # a good slug, the wrong text
    assert site.url(DECOYS[2]) not in out  # filed under another day
    entries = yaml.safe_load(manifest.read_text())["seeds"]
    urls = {o["url"]: o for o in entries[0]["originals"]}
    assert set(urls) == {guess, site.url(RIGHT)}
    assert urls[site.url(RIGHT)]["confidence"] == "candidate"
    assert urls[site.url(RIGHT)]["score"] >= 0.9
    assert entries[1]["originals"] == [given(site.url(DECOYS[0]))]
    assert manifest.read_text().startswith("# test manifest\n")


def test_unreachable_archive_costs_one_request_and_every_line_says_so(archived_site, tmp_path):
    site = archived_site
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        dead = probe.getsockname()[1]
    urls = [site.url("/changed"), site.url("/gone"), site.url("/nothing")]
    result = crawled(site, tmp_path, urls, "--archive", f"dead=http://127.0.0.1:{dead}/x/cdx")
    entries = [a for line in result.lines.values() for a in line["archived"]]
    assert [a["error"] for a in entries] == ["refused"] * 3
    assert sum("not asked" in a["detail"] for a in entries) == 2
    assert "no archived capture to fall back on (dead: refused)" in result.line("/nothing")[
        "reason"]
    assert result.line("/changed")["used"] == "live"


def test_wayback_style_answers_are_read_and_restored():
    wayback = json.dumps([["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest",
                           "length"],
                          ["com,example)/a", "20190514101112", "https://example.com/a",
                           "text/html", "200", "ABC", "1234"],
                          ["com,example)/a", "20190601000000", "https://example.com/a",
                           "warc/revisit", "-", "ABC", "500"]])
    rows = parse_cdx(wayback, "wayback")
    assert [(r.timestamp, r.status, r.length) for r in rows] == [
        ("20190514101112", 200, 1234), ("20190601000000", None, 500)]
    assert [c for c, _ in select(rows, ["first", "closest", "latest"], None)] == [
        "first,closest,latest"]
    headers = [("Server", "nginx"), ("Date", "Sat, 21 Nov 2026 10:00:00 GMT"),
               ("Content-Type", "text/html; charset=utf-8"),
               ("X-Archive-Orig-Date", "Tue, 14 May 2019 10:11:12 GMT"),
               ("X-Archive-Orig-Set-Cookie", "a=1"), ("X-Archive-Orig-Set-Cookie", "b=2"),
               ("X-Archive-Orig-Content-Length", "999"), ("Memento-Datetime", "x"),
               ("Link", "<https://example.com/a>; rel=\"original\""),
               ("X-Archive-Src", "crawl.warc.gz"),
               ("Location", "https://web.archive.org/web/20190514101112id_/https://example.com/b")]
    assert restore_headers(headers) == [
        ("Date", "Tue, 14 May 2019 10:11:12 GMT"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2"),
        ("Content-Type", "text/html; charset=utf-8"), ("Location", "https://example.com/b")]
    assert link_original('<https://example.com/a>; rel="original", <x>; rel="timegate"') == (
        "https://example.com/a")


def test_manifest_keeps_comments_order_and_given_urls(tmp_path):
    manifest = tmp_path / "seeds.yml"
    manifest.write_text(
        "# my notes\nseeds:\n  - file: 000_a.txt  # first\n    originals:\n"
        "      - url: https://a.test/given\n        confidence: given\n"
        "      - url: https://a.test/guess\n        confidence: candidate\n"
        "        note: a person's guess\n    published: 2019-05-05\n\n"
        "  - file: 001_b.txt\n    author: B\n")
    done = add_candidates(manifest, "000_a.txt", [Found("https://a.test/given", 0.9),
                                                  Found("https://a.test/guess", 0.8),
                                                  Found("https://a.test/new", 0.7)])
    assert done[0].endswith("is given: left as it is")
    add_candidates(manifest, "001_b.txt", [Found("https://b.test/x", 0.6, note="found")])
    text = manifest.read_text()
    assert text.startswith("# my notes\nseeds:\n  - file: 000_a.txt  # first\n")
    doc = yaml.safe_load(text)["seeds"]
    assert [(o["url"], o["confidence"], o.get("score")) for o in doc[0]["originals"]] == [
        ("https://a.test/given", "given", None), ("https://a.test/guess", "candidate", 0.8),
        ("https://a.test/new", "candidate", 0.7)]
    assert doc[0]["originals"][1]["note"] == "a person's guess"
    assert str(doc[0]["published"]) == "2019-05-05" and doc[1]["author"] == "B"
    assert doc[1]["originals"] == [{"url": "https://b.test/x", "role": "original",
                                    "confidence": "candidate", "score": 0.6, "note": "found"}]
