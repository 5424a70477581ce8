"""`seedcheck build` (archive.build.builder): WARCs written by the project's own writer, crawl logs and
seed folders made here, built into a real database and read back."""

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from archive.build.builder import BuildOptions, build, format_summary
from archive.build.progress import Progress
from archive.warc.writer import DigestIndex, Exchange, WarcConfig, WarcWriter, read_capture
from tests.articles import ANALYSIS, NEWS, OPINION
from tests.pages import moscow_times_page, nbc_page, page_url, soft_404_page, telegraph_page

T0 = datetime(2026, 11, 21, 22, 30, tzinfo=UTC)
OLD_URL = "http://themoscowtimes.test/opinion/a65487"          # redirects to the article
MT_URL = page_url("moscow_times", OPINION)
MT_PDF = MT_URL + "/pdf"                                          # a soft 404 (status 200)
NBC_URL = page_url("nbc", ANALYSIS)
TELEGRAPH_URL = page_url("telegraph", NEWS)
WAYBACK = "https://web.archive.test/web/20190514120000id_/" + TELEGRAPH_URL
REPOST_URL = "https://patriotnews.test/2019/05/16/us-and-russia/"  # failed: DNS

HTML = [("Content-Type", "text/html; charset=utf-8")]


def exchange(url, body, *, status=200, headers=HTML, when=T0, source_uri=None):
    host = url.split("/")[2]
    return Exchange(
        url=url, date=when, method="GET",
        request_headers=[("Host", host), ("User-Agent", "seedcheck-test")], request_body=b"",
        protocol="HTTP/1.1", status=status, reason={200: "OK", 301: "Moved Permanently"}.get(status, "X"),
        response_headers=list(headers), body=body.encode() if isinstance(body, str) else body,
        ip_address="127.0.0.1", source_uri=source_uri,
    )


def seed_text(article, paragraphs=None, extra=()):
    lines = [f"# {article.title}", f"By {article.author}", article.published.strftime("%B %d, %Y")]
    return "\n\n".join([*lines, *(paragraphs or article.blocks()), *extra]) + "\n"


def altered(article):
    swaps = {"more than an hour": "less than an hour", "Rebecca Hale": "Rebecca Hall",
             "Three weeks": "Five weeks"}
    out = []
    for block in article.blocks():
        for old, new in swaps.items():
            block = block.replace(old, new)
        out.append(block)
    assert out != article.blocks()
    return out


def write_seeds(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "faithful.txt").write_text(seed_text(OPINION))
    (folder / "padded.txt").write_text(seed_text(NEWS, extra=(
        "Leave a Reply", "rgomez says: This is exactly what everyone predicted back in January. Nobody listened.",
        "Marta V. says: Interesting piece, but the author skips over the oil contracts entirely.")))
    (folder / "altered.txt").write_text(seed_text(ANALYSIS, altered(ANALYSIS)))
    (folder / "seeds.yml").write_text(
        "seeds:\n"
        f"  - file: faithful.txt\n    originals:\n      - url: {OLD_URL}\n        role: original\n"
        f"      - url: {MT_PDF}\n        role: original\n"
        f"  - file: padded.txt\n    originals:\n      - url: {TELEGRAPH_URL}\n        role: original\n"
        f"      - url: {REPOST_URL}\n        role: repost\n"
        f"  - file: altered.txt\n    originals:\n      - url: {NBC_URL}\n        role: original\n"
    )
    return folder


def log_line(crawl_id, url, **fields):
    line = {"crawl_id": crawl_id, "time": "2026-11-21T22:30:05Z", "url": url, "seed_ids": [],
            "roles": ["original"], "outcome": "fetched", "source": "live", "archive": None,
            "reason": None, "final_url": url, "status": 200, "record_id": None, "warc_file": None,
            "redirects": [], "error": None, "detail": None}
    line.update(fields)
    return json.dumps(line) + "\n"


def write_crawl_a(data: Path) -> dict:
    """Crawl A: a 301 → 200 chain, a soft 404, an altered seed's original, an archive capture."""
    warcs = data / "warcs"
    warcs.mkdir(parents=True, exist_ok=True)
    config = WarcConfig(directory=warcs, prefix="crawl-a", is_part_of="20261121T223000Z")
    index = DigestIndex.open(warcs)
    with WarcWriter(config, index) as writer:
        moved = writer.write(exchange(OLD_URL, "<html>moved</html>", status=301,
                                      headers=[*HTML, ("Location", MT_URL)]))
        article = writer.write(exchange(MT_URL, moscow_times_page(OPINION), when=T0 + timedelta(seconds=1)))
        soft = writer.write(exchange(MT_PDF, soft_404_page(), when=T0 + timedelta(seconds=2)))
        nbc = writer.write(exchange(NBC_URL, nbc_page(ANALYSIS), when=T0 + timedelta(seconds=3)))
        archived = writer.write(exchange(
            TELEGRAPH_URL, telegraph_page(NEWS), when=datetime(2019, 5, 14, 12, tzinfo=UTC), source_uri=WAYBACK))
        writer.write_metadata(archived.record_id, TELEGRAPH_URL, datetime(2019, 5, 14, 12, tzinfo=UTC),
                              [("archive", "Wayback Test"), ("timemap", WAYBACK)])
    crawl = "20261121T223000Z"
    (data / "crawls").mkdir(exist_ok=True)
    (data / "crawls" / f"{crawl}.jsonl").write_text(
        log_line(crawl, OLD_URL, final_url=MT_URL, record_id=article.record_id,
                 warc_file=article.filename, redirects=[OLD_URL, MT_URL])
        + log_line(crawl, MT_PDF, record_id=soft.record_id, warc_file=soft.filename)
        + log_line(crawl, NBC_URL, record_id=nbc.record_id, warc_file=nbc.filename)
        + log_line(crawl, TELEGRAPH_URL, source="archive", archive="Wayback Test",
                   record_id=archived.record_id, warc_file=archived.filename)
        + log_line(crawl, REPOST_URL, outcome="failed", status=None, final_url=None,
                   error="dns", detail="patriotnews.test: no such host")
        + '{"crawl_id": "20261121T223000Z", "url": "https://torn.te'  # a crawl killed mid-line
    )
    return {"moved": moved, "article": article, "soft": soft, "nbc": nbc, "archived": archived}


def write_crawl_b(data: Path) -> dict:
    """Crawl B, a day later: the same chain again, stored as revisits of crawl A's records."""
    warcs = data / "warcs"
    config = WarcConfig(directory=warcs, prefix="crawl-b", is_part_of="20261122T223000Z")
    later = T0 + timedelta(days=1)
    with WarcWriter(config, DigestIndex.open(warcs)) as writer:
        moved = writer.write(exchange(OLD_URL, "<html>moved</html>", status=301,
                                      headers=[*HTML, ("Location", MT_URL)], when=later))
        article = writer.write(exchange(MT_URL, moscow_times_page(OPINION), when=later + timedelta(seconds=1)))
    return {"moved": moved, "article": article}


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """One data folder (two crawls) and its seeds, built once: the tests below read it."""
    root = tmp_path_factory.mktemp("archive")
    data = root / "data"
    seeds = write_seeds(root / "seeds")
    records = write_crawl_a(data) | {f"b_{k}": v for k, v in write_crawl_b(data).items()}
    summary = build(BuildOptions(data_dir=data, seeds_dir=seeds, workers=2))
    return {"root": root, "data": data, "seeds": seeds, "records": records, "summary": summary,
            "db": sqlite3.connect(data / "seedcheck.db")}


def rows(conn, sql, *params):
    conn.row_factory = sqlite3.Row
    return [dict(r) for r in conn.execute(sql, params)]


def test_captures_point_at_the_bytes_they_come_from(archive):
    db, data = archive["db"], archive["data"]
    captures = rows(db, "SELECT * FROM captures ORDER BY captured_at")
    assert len(captures) == 7                    # 5 responses + 2 revisits; metadata kept apart
    for capture in captures:
        back = read_capture(data / "warcs" / capture["warc_file"], capture["warc_offset"])
        assert back.record_id == capture["record_id"]
        assert back.length == capture["warc_length"]
    by_id = {c["record_id"]: c for c in captures}
    moved = by_id[archive["records"]["moved"].record_id]
    assert (moved["status"], moved["location"], moved["source"]) == (301, MT_URL, "live")
    assert moved["crawl_id"] == "20261121T223000Z"
    archived = by_id[archive["records"]["archived"].record_id]
    assert (archived["source"], archived["archive"], archived["fetched_url"]) == ("archive", "Wayback Test", WAYBACK)
    assert archived["captured_at"] == "2019-05-14T12:00:00Z"
    assert archived["content_type"] == "text/html" and archived["payload_digest"].startswith("sha1:")
    metadata = rows(db, "SELECT * FROM warc_metadata")
    assert [m["concurrent_to"] for m in metadata] == [archived["record_id"]]


def test_texts_are_extracted_once_and_revisits_reuse_them(archive):
    db, records = archive["db"], archive["records"]
    texts = {t["record_id"]: t for t in rows(db, "SELECT * FROM texts")}
    article = texts[records["article"].record_id]
    assert article["kind"] == "article" and article["is_article"] == 1
    assert OPINION.paragraphs[3][:40] in article["text"]
    assert article["extractor_version"] and article["extractor"] == "trafilatura"
    assert texts[records["soft"].record_id]["kind"] == "not-found"
    revisit = rows(db, "SELECT * FROM captures WHERE record_id = ?", records["b_article"].record_id)[0]
    assert revisit["record_type"] == "revisit"
    assert revisit["text_record_id"] == records["article"].record_id
    assert records["b_article"].record_id not in texts          # not extracted again
    assert archive["summary"].extracted == len(texts) == 4      # the 301's body is not a page


def test_comparisons_follow_redirects_and_give_the_verdicts(archive):
    db = archive["db"]
    comparisons = rows(db, "SELECT * FROM comparisons ORDER BY id")
    by_seed = {}
    for c in comparisons:
        by_seed.setdefault(c["seed_id"], []).append(c)
    faithful = [c for c in by_seed["faithful"] if c["url"] == OLD_URL]
    assert len(faithful) == 2                                   # crawl A and crawl B
    assert {c["final_url"] for c in faithful} == {MT_URL}
    assert all(c["verdict"] == "faithful" and c["coverage"] > 0.95 for c in faithful)
    assert json.loads(faithful[0]["redirects"]) == [OLD_URL, MT_URL]
    assert sum(c["best"] for c in by_seed["faithful"]) == 1
    soft = [c for c in by_seed["faithful"] if c["url"] == MT_PDF]
    assert soft[0]["verdict"] == "not comparable" and "not-found" in soft[0]["reason"]
    (padded,) = by_seed["padded"]                              # the repost failed: no capture
    assert padded["verdict"] == "padded" and padded["source"] == "archive"
    assert padded["archive"] == "Wayback Test" and padded["best"] == 1
    (changed,) = by_seed["altered"]
    assert changed["verdict"] == "altered" and changed["changed"] >= 3
    differences = rows(db, "SELECT * FROM differences WHERE comparison_id = ?", changed["id"])
    pairs = " | ".join(f"{d['seed_words']} -> {d['original_words']}" for d in differences)
    assert "Hall" in pairs and "Hale" in pairs and "less" in pairs and "Five" in pairs
    for c in comparisons:                                       # provenance on every row
        assert c["compare_version"] and c["seed_sha256"] and c["record_id"]


def test_crawl_logs_give_fetch_errors_and_report_torn_lines(archive):
    db, summary = archive["db"], archive["summary"]
    errors = rows(db, "SELECT * FROM fetch_errors")
    assert [(e["url"], e["error"], e["log_line"]) for e in errors] == [(REPOST_URL, "dns", 5)]
    assert len(rows(db, "SELECT * FROM crawls")) == 5
    torn = [p for p in summary.problems if p.line == 6]
    assert torn and torn[0].file.endswith("20261121T223000Z.jsonl") and "torn" in torn[0].problem
    assert rows(db, "SELECT line, problem FROM build_problems")[0]["line"] == 6


def test_full_text_search_finds_seeds_and_texts(archive):
    db = archive["db"]
    assert db.execute("SELECT count(*) FROM texts_fts WHERE texts_fts MATCH 'Rovaniemi'").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM seeds_fts WHERE seeds_fts MATCH 'Maracaibo'").fetchone()[0] == 1


def table_contents(path: Path) -> dict:
    conn = sqlite3.connect(path)
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%' "
        "AND name NOT IN ('builds', 'sqlite_stat1') ORDER BY name")]
    return {t: sorted(map(repr, conn.execute(f"SELECT * FROM [{t}]"))) for t in tables}


def test_rebuild_from_scratch_gives_the_same_content_and_reuses_everything(archive, tmp_path):
    data, seeds = archive["data"], archive["seeds"]
    first = table_contents(data / "seedcheck.db")
    again = build(BuildOptions(data_dir=data, seeds_dir=seeds, workers=2))
    assert (again.extracted, again.compared) == (0, 0)         # incremental: nothing new
    assert again.reused_texts == 4 and again.reused_comparisons == archive["summary"].compared
    assert table_contents(data / "seedcheck.db") == first
    scratch = tmp_path / "data"
    scratch.mkdir()
    os.symlink(data / "warcs", scratch / "warcs")
    os.symlink(data / "crawls", scratch / "crawls")
    fresh = build(BuildOptions(data_dir=scratch, seeds_dir=seeds, workers=0))
    assert fresh.extracted == 4 and fresh.reused_texts == 0
    assert table_contents(scratch / "seedcheck.db") == first


def test_each_seed_and_text_is_compared_once_per_build(archive, tmp_path, monkeypatch):
    """One compare() call per seed x comparable capture text: the best match is picked from the
    stored comparisons, not by comparing every version again; a rebuild of the same data makes
    none."""
    import importlib

    comparisons, best_match, engine = (importlib.import_module(name) for name in (
        "archive.build.comparisons", "archive.compare.best_match", "archive.compare.engine"))

    calls = []
    real = engine.compare

    def counted(seed_text, original_text, **evidence):
        calls.append((seed_text, original_text))
        return real(seed_text, original_text, **evidence)

    for module in (comparisons, best_match, engine):
        monkeypatch.setattr(module, "compare", counted)
    data = tmp_path / "data"
    data.mkdir()
    os.symlink(archive["data"] / "warcs", data / "warcs")
    os.symlink(archive["data"] / "crawls", data / "crawls")
    summary = build(BuildOptions(data_dir=data, seeds_dir=archive["seeds"], workers=0))
    db = sqlite3.connect(data / "seedcheck.db")
    pairs = db.execute("SELECT DISTINCT seed_id, text_record_id FROM comparisons "
                       "WHERE verdict != 'not comparable'").fetchall()
    compared = db.execute("SELECT count(*) FROM comparisons WHERE verdict != 'not comparable'")
    assert len(calls) == len(pairs) == 3
    assert compared.fetchone()[0] == summary.compared == 4   # two captures share one text
    assert len(set(calls)) == len(calls)
    assert db.execute("SELECT count(*) FROM comparisons WHERE best = 1").fetchone()[0] == 3
    calls.clear()
    again = build(BuildOptions(data_dir=data, seeds_dir=archive["seeds"], workers=0))
    assert calls == [] and again.reused_comparisons == 4


def test_a_build_with_nothing_changed_keeps_the_database(archive, tmp_path):
    import shutil

    data, seeds = tmp_path / "data", tmp_path / "seeds"
    data.mkdir()
    for name in ("warcs", "crawls"):
        os.symlink(archive["data"] / name, data / name)
    shutil.copytree(archive["seeds"], seeds)
    first = build(BuildOptions(data_dir=data, seeds_dir=seeds, workers=0))
    before = (data / "seedcheck.db").stat()
    kept = build(BuildOptions(data_dir=data, seeds_dir=seeds, workers=0))
    after = (data / "seedcheck.db").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert any("nothing changed" in note for note in kept.notes)
    assert (kept.extracted, kept.compared, kept.reused_comparisons) == (0, 0, first.compared)
    assert [str(p) for p in kept.problems] == [str(p) for p in first.problems]
    (seeds / "altered.txt").write_text((seeds / "altered.txt").read_text() + "\nOne more line.\n")
    again = build(BuildOptions(data_dir=data, seeds_dir=seeds, workers=0))
    assert not any("nothing changed" in note for note in again.notes)
    assert (data / "seedcheck.db").stat().st_ino != before.st_ino and again.compared == 1


def test_a_changed_seed_is_compared_again(archive, tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for path in archive["seeds"].iterdir():
        (seeds / path.name).write_bytes(path.read_bytes())
    (seeds / "altered.txt").write_text(seed_text(ANALYSIS))    # now faithful
    data = tmp_path / "data"
    data.mkdir()
    for name in ("warcs", "crawls"):
        os.symlink(archive["data"] / name, data / name)
    (data / "seedcheck.db").write_bytes((archive["data"] / "seedcheck.db").read_bytes())
    summary = build(BuildOptions(data_dir=data, seeds_dir=seeds, workers=0))
    assert summary.extracted == 0 and summary.compared == 1
    verdict = sqlite3.connect(data / "seedcheck.db").execute(
        "SELECT verdict FROM comparisons WHERE seed_id = 'altered'").fetchone()[0]
    assert verdict == "faithful"


# -- damaged files --------------------------------------------------------------------------------

def write_small(warcs: Path, prefix: str) -> list:
    """A WARC of three article pages of its own (distinct record ids)."""
    config = WarcConfig(directory=warcs, prefix=prefix)
    with WarcWriter(config) as writer:
        return [writer.write(exchange(f"https://{prefix}.test/{n}", nbc_page(ANALYSIS),
                                      when=T0 + timedelta(minutes=n))) for n in range(3)]


def test_damaged_and_foreign_files_are_reported_and_the_rest_is_built(tmp_path):
    data = tmp_path / "data"
    write_crawl_a(data)
    warcs = data / "warcs"
    cut = write_small(warcs, "cut")
    path = warcs / cut[0].filename
    path.write_bytes(path.read_bytes()[: cut[2].offset + cut[2].length // 2])   # truncated
    spoilt = write_small(warcs, "spoilt")
    path = warcs / spoilt[0].filename
    raw = bytearray(path.read_bytes())
    middle = spoilt[1]
    raw[middle.offset + 60 : middle.offset + 400] = b"\x00" * 340             # corrupt record
    path.write_bytes(bytes(raw))
    (warcs / "notes.warc.gz").write_bytes(b"these are my notes, not a WARC\n" * 20)
    (warcs / "readme.txt").write_text("not a WARC either")
    (warcs / "crawl-z-00000.warc.gz.open").write_bytes(raw[:1000])

    result = run_cli("build", "--data", str(data), "--seeds", str(write_seeds(tmp_path / "seeds")),
                     "--workers", "1")
    assert result.returncode == 0, result.stderr
    assert "reading WARCs: 10 records" in result.stderr         # plain progress lines, no bar
    assert "\r" not in result.stderr
    out = result.stdout
    cut_line = next(line for line in out.splitlines() if cut[0].filename in line)
    assert f"bytes {cut[2].offset}-{cut[2].offset + cut[2].length // 2} skipped (truncated" in cut_line
    assert "2 record(s) read" in cut_line
    spoilt_line = next(line for line in out.splitlines() if spoilt[0].filename in line)
    assert f"bytes {middle.offset}-{middle.offset + middle.length} skipped (corrupt" in spoilt_line
    assert "2 record(s) read" in spoilt_line                     # the one after it too
    assert "notes.warc.gz" in out
    assert "readme.txt: not a WARC file" in out
    assert "crawl-z-00000.warc.gz.open: still open" in out
    assert ("The database was written, but 3 file(s) were skipped and 2 had damaged records "
            "skipped: records may be missing") in out

    db = sqlite3.connect(data / "seedcheck.db")
    files = dict(db.execute("SELECT name, status FROM warc_files"))
    assert files[cut[0].filename] == files[spoilt[0].filename] == "damaged"
    assert files["notes.warc.gz"] == "not-warc"
    per_file = dict(db.execute("SELECT warc_file, count(*) FROM captures GROUP BY warc_file"))
    assert per_file[cut[0].filename] == 2 and per_file[spoilt[0].filename] == 2
    assert sum(per_file.values()) == 5 + 4                      # crawl A's five, and the good ones
    verdicts = dict(db.execute("SELECT seed_id, verdict FROM comparisons WHERE best = 1"))
    assert verdicts == {"faithful": "faithful", "padded": "padded", "altered": "altered"}
    problems = db.execute("SELECT count(*) FROM build_problems").fetchone()[0]
    assert problems == 6                                        # 5 files and the torn log line


def seedcheck() -> Path:
    return Path(sys.executable).parent / "seedcheck"


def run_cli(*args, timeout=120):
    return subprocess.run([str(seedcheck()), *args], capture_output=True, text=True, timeout=timeout)


# -- interruption, progress, the commands -------------------------------------------------------

def write_many(warcs: Path, prefix: str, count: int) -> None:
    """`count` distinct article pages (distinct bodies: no revisits)."""
    template = moscow_times_page(OPINION, url="https://template.test/")
    with WarcWriter(WarcConfig(directory=warcs, prefix=prefix)) as writer:
        for n in range(count):
            url = f"https://{prefix}.test/story/{n}"
            page = template.replace("https://template.test/", url).replace(
                "</body>", f"<!-- {n} --></body>")
            writer.write(exchange(url, page, when=T0 + timedelta(seconds=n)))


@pytest.mark.timeout(180)
def test_a_killed_build_leaves_the_previous_database_usable(tmp_path):
    data, seeds = tmp_path / "data", write_seeds(tmp_path / "seeds")
    warcs = data / "warcs"
    warcs.mkdir(parents=True)
    write_many(warcs, "first", 4)
    build(BuildOptions(data_dir=data, seeds_dir=seeds, workers=0))
    database = data / "seedcheck.db"
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    write_many(warcs, "second", 600)

    process = subprocess.Popen(
        [str(seedcheck()), "build", "--data", str(data), "--seeds", str(seeds), "--workers", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 60
    while not list(data.glob("seedcheck.db.tmp-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.4)                                              # into extraction (~3 s)
    assert process.poll() is None, process.communicate()
    os.killpg(process.pid, signal.SIGKILL)                      # the build and its workers
    process.wait()

    assert hashlib.sha256(database.read_bytes()).hexdigest() == before
    conn = sqlite3.connect(database)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("SELECT count(*) FROM captures").fetchone() == (4,)
    (leftover,) = data.glob("seedcheck.db.tmp-*")

    summary = build(BuildOptions(data_dir=data, seeds_dir=seeds, workers=2))
    assert f"{leftover}: removed, left by a build that did not finish" in summary.notes
    assert not list(data.glob("seedcheck.db.tmp-*"))
    assert (summary.captures, summary.reused_texts, summary.extracted) == (604, 4, 600)


def test_progress_is_a_bar_on_a_terminal_and_log_lines_elsewhere():
    import io

    now = [0.0]
    log = io.StringIO()
    plain = Progress(log, tty=False, interval=5, clock=lambda: now[0])
    plain.phase("reading WARCs", total=1000)
    for step in range(1, 11):
        now[0] = step * 1.0
        plain.update(step * 100, step * 10)
    plain.end()
    lines = log.getvalue().splitlines()
    assert lines[0] == "reading WARCs: 50 records · 10.0/s · 50% · 0:05 left"
    assert lines[-1] == "reading WARCs: 100 records · 10.0/s · 100% · 0:10 elapsed"
    assert len(lines) == 3 and "\r" not in log.getvalue()

    screen = io.StringIO()
    bar = Progress(screen, tty=True, clock=lambda: now[0])
    now[0] = 0.0
    bar.phase("comparing", total=4, unit="comparisons")
    now[0] = 2.0
    bar.update(1, 1)
    assert screen.getvalue() == "\r[######------------------] comparing: 1 comparisons · 0.5/s · 25% · 0:06 left\x1b[K"
    bar.end()
    assert screen.getvalue().endswith("\x1b[K\n")


def test_build_without_a_data_folder_fails_clearly(tmp_path):
    result = run_cli("build", "--data", str(tmp_path / "nowhere"), "--seeds", str(tmp_path))
    assert result.returncode == 1
    assert "nowhere: no such data folder" in result.stderr


def test_check_prints_the_report_table_and_json(archive):
    data = str(archive["data"])
    table = run_cli("check", "--data", data)
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    for seed, verdict in (("faithful", "faithful"), ("padded", "padded"), ("altered", "altered")):
        assert any(seed in line and verdict in line for line in lines), (seed, table.stdout)
    assert "Hale" in table.stdout                               # top changes of the altered seed
    report = json.loads(run_cli("check", "--data", data, "--json").stdout)
    assert [s["id"] for s in report] == ["altered", "faithful", "padded"]
    faithful = report[1]
    assert len(faithful["comparisons"]) == 3 and faithful["best"] == faithful["comparisons"][0]["id"]
    assert faithful["comparisons"][0]["blocks"] and faithful["comparisons"][0]["redirects"] == [OLD_URL, MT_URL]
    altered_seed = report[0]["comparisons"][0]
    assert altered_seed["verdict"] == "altered" and len(altered_seed["differences"]) >= 3


def test_check_without_a_database_says_to_build_first(tmp_path):
    result = run_cli("check", "--data", str(tmp_path))
    assert result.returncode == 1
    assert "run `seedcheck build` first" in result.stderr


def test_summary_reads_well(archive):
    text = format_summary(archive["summary"])
    assert "3 seeds, 2 WARC files, 7 captures" in text
    assert "texts: 4 (4 extracted, 0 reused from the previous build)" in text
    assert "1 problem(s):" in text and "torn" in text
    assert "The database was written; the problems above are in the build_problems table." in text


def test_a_record_in_two_files_is_kept_once_and_reported(tmp_path):
    data = tmp_path / "data"
    (data / "warcs").mkdir(parents=True)
    written = write_small(data / "warcs", "orig")
    source = data / "warcs" / written[0].filename
    (data / "warcs" / ("zz-copy-" + source.name)).write_bytes(source.read_bytes())
    summary = build(BuildOptions(data_dir=data, seeds_dir=tmp_path / "no-seeds", workers=0))
    assert summary.captures == 3 and summary.warc_files == 2
    assert any("3 record(s) are in more than one WARC file" in p.problem for p in summary.problems)
    assert any("seeds folder does not exist" in p.problem for p in summary.problems)


def test_a_new_extractor_version_extracts_again(archive, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for name in ("warcs", "crawls"):
        os.symlink(archive["data"] / name, data / name)
    (data / "seedcheck.db").write_bytes((archive["data"] / "seedcheck.db").read_bytes())
    conn = sqlite3.connect(data / "seedcheck.db")                # as an older extractor built it
    conn.execute("UPDATE texts SET extractor_version = 'trafilatura 0.1'")
    conn.execute("UPDATE comparisons SET extractor_version = 'trafilatura 0.1'")
    conn.commit()
    conn.close()
    summary = build(BuildOptions(data_dir=data, seeds_dir=archive["seeds"], workers=0))
    assert (summary.extracted, summary.reused_texts) == (4, 0)
    assert summary.reused_comparisons == 0 and summary.compared == archive["summary"].compared
    assert table_contents(data / "seedcheck.db") == table_contents(archive["data"] / "seedcheck.db")

