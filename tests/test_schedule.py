"""`seedcheck schedule` against a site whose pages change between runs; cron and intervals.

The test server answers each page's successive requests in turn (`set_responses`), so run 1
sees the first version and runs 2 and 3 the next: an edited sentence, a page removed (404), a
page moved (301), and a page that never changes. Each scheduler is a real `seedcheck schedule`
subprocess whose runs are real `seedcheck crawl` and `seedcheck build` subprocesses.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest

from archive.app.cron import Cron, ScheduleError, Timing, parse_interval, timing
from archive.build.change_history import Seen, events, word_diff
from archive.warc.writer import iter_captures, warc_files
from tests.articles import ANALYSIS, NEWS, OPINION
from tests.browser import start_server, stop_server
from tests.pages import moscow_times_page, nbc_page, telegraph_page, wordpress_page
from tests.webserver import Response, WebServer

BIN = Path(sys.executable).parent
FAST = {"DOWNLOAD_DELAY": "0.01", "AUTOTHROTTLE_ENABLED": "0", "DOWNLOAD_TIMEOUT": "5",
        "RETRY_TIMES": "0", "SEEDCHECK_ARCHIVES": "[]"}
ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}
NOTIFY = "import sys; open(sys.argv[1], 'a').write(sys.argv[2] + chr(10))\n"
EDIT = ("more than an hour", "nearly three hours")

pytestmark = pytest.mark.timeout(150)


def html(text: str) -> Response:
    return Response(body=text.encode())


def seed_text(article) -> str:
    lines = [f"# {article.title}", f"By {article.author}", article.published.strftime("%B %d, %Y")]
    return "\n\n".join([*lines, *article.blocks()]) + "\n"


def edited(article):
    paragraphs = tuple(p.replace(*EDIT) for p in article.paragraphs)
    assert paragraphs != article.paragraphs
    return dataclasses.replace(article, paragraphs=paragraphs)


def write_seeds(folder: Path, urls: dict[str, list[str]]) -> Path:
    folder.mkdir(parents=True)
    entries = []
    for name, article in (("opinion", OPINION), ("analysis", ANALYSIS), ("news", NEWS)):
        (folder / f"{name}.txt").write_text(seed_text(article))
        entries.append(f"  - file: {name}.txt\n    originals:\n" + "".join(
            f"      - url: {url}\n        role: original\n" for url in urls[name]))
    (folder / "seeds.yml").write_text("seeds:\n" + "".join(entries))
    return folder


def schedule_command(seeds: Path, data: Path, *extra: str, **settings: str) -> list[str]:
    command = [str(BIN / "seedcheck"), "schedule", "--seeds", str(seeds), "--data", str(data),
               "--resolve", "news.test:127.0.0.1", "--workers", "0"]
    for name, value in {**FAST, **settings}.items():
        command += ["-s", f"{name}={value}"]
    return command + list(extra)


def reports(data: Path) -> list[dict]:
    """The run reports in the order the runs started (crawl ids with a `-N` suffix, given
    when two runs start in one second, do not sort by name: "…Z-2" < "…Z")."""
    found = [json.loads(p.read_text()) for p in (data / "reports").glob("*.json")]
    return sorted(found, key=lambda report: report["started_at"])


def rows(data: Path, sql: str, *params) -> list[dict]:
    conn = sqlite3.connect(f"{(data / 'seedcheck.db').resolve().as_uri()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


# -- three scheduled runs over a changing site ---------------------------------------------------
@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("schedule")
    with WebServer(routes={}) as server:
        server.set_responses("/edited", [html(nbc_page(ANALYSIS)), html(nbc_page(edited(ANALYSIS)))])
        server.set_responses("/removed", [html(telegraph_page(NEWS)),
                                          Response(404, b"<html><body>Not found</body></html>")])
        server.set_responses("/moved", [html(moscow_times_page(OPINION)), Response(
            301, b"moved", (("Content-Type", "text/plain"), ("Location", "/new-home")))])
        server.set_page("/new-home", moscow_times_page(OPINION))
        server.set_page("/same", wordpress_page(OPINION))
        seeds = write_seeds(folder / "seeds", {
            "opinion": [server.url("/moved"), server.url("/same")],
            "analysis": [server.url("/edited")], "news": [server.url("/removed")]})
        data = folder / "data"
        script = folder / "notify.py"
        script.write_text(NOTIFY)
        called = folder / "called.txt"
        notify = f"{sys.executable} {script} {called}"
        started = time.monotonic()
        result = subprocess.run(
            schedule_command(seeds, data, "--every", "2s", "--runs", "3", "--notify-command",
                             notify), capture_output=True, text=True, timeout=120, env=ENV)
        seconds = time.monotonic() - started
        yield {"server": server, "data": data, "result": result, "called": called,
               "seconds": seconds}


def test_three_runs_each_crawl_once_and_report(runs):
    result, data = runs["result"], runs["data"]
    assert result.returncode == 0, result.stdout + result.stderr   # the last run: nothing new
    found = reports(data)
    assert [r["status"] for r in found] == ["nothing-new", "changes", "nothing-new"], result.stdout
    assert [r["exit_code"] for r in found] == [0, 3, 0]
    crawl_ids = [r["crawl_id"] for r in found]
    assert len(set(crawl_ids)) == 3
    assert sorted(p.stem for p in (data / "crawls").glob("*.jsonl")) == sorted(crawl_ids)
    assert runs["server"].count("/same") == 3
    assert result.stdout.count("crawl: started") == 3


def test_the_unchanged_page_is_stored_once_then_as_revisits(runs):
    server, data = runs["server"], runs["data"]
    same = [c for path in warc_files(data / "warcs") for c in iter_captures(path)
            if c.target_uri == server.url("/same") and c.record_type != "metadata"]
    assert [c.record_type for c in same] == ["response", "revisit", "revisit"]
    assert {c.refers_to for c in same[1:]} == {same[0].record_id}


def test_the_changes_table_holds_the_edit_the_removal_and_the_move(runs):
    server, data = runs["server"], runs["data"]
    changes = {r["url"]: r for r in rows(data, "SELECT * FROM changes ORDER BY id")}
    assert set(changes) == {server.url(p) for p in ("/edited", "/removed", "/moved")}
    edit = changes[server.url("/edited")]
    assert edit["kind"] == "changed"
    assert edit["words_added"] == 3 and edit["words_removed"] == 4
    assert json.loads(edit["diff"]) == [{"removed": "more than an hour.",
                                         "added": "nearly three hours."}]
    assert edit["previous_at"] < edit["captured_at"]
    verdicts = json.loads(edit["verdicts"])
    assert verdicts[0]["seed_id"] == "analysis" and verdicts[0]["before"] == "faithful"
    assert verdicts[0]["after"] != "faithful" and edit["verdict_changed"] == 1
    gone = changes[server.url("/removed")]
    assert (gone["kind"], gone["status"], gone["previous_status"]) == ("gone", 404, 200)
    moved = changes[server.url("/moved")]
    assert (moved["kind"], moved["status"]) == ("moved", 301)
    assert moved["location"] == server.url("/new-home")
    # the moved page still says the same: the seed's verdict follows the redirect
    assert json.loads(moved["verdicts"]) == [
        {"seed_id": "opinion", "before": "faithful", "after": "faithful"}]


def test_the_report_of_the_second_run_says_what_is_new(runs):
    server, data = runs["server"], runs["data"]
    report = reports(data)[1]
    assert [i["url"] for i in report["changed"]] == [server.url("/edited")]
    assert report["changed"][0]["words_added"] == 3
    assert [(i["url"], i["status"]) for i in report["gone"]] == [(server.url("/removed"), 404)]
    assert [i["location"] for i in report["moved"]] == [server.url("/new-home")]
    verdicts = {(v["seed_id"], v["before"], v["after"]) for v in report["verdicts"]}
    assert ("news", "faithful", "not comparable") in verdicts
    assert any(s == "analysis" and b == "faithful" and a != "faithful" for s, b, a in verdicts)
    assert report["counts"] == {"changed": 1, "gone": 1, "moved": 1, "back": 0,
                                "verdicts": len(report["verdicts"])}
    assert f"moved: {server.url('/moved')} -> {server.url('/new-home')}" in runs["result"].stdout


def test_the_notify_command_gets_the_report_of_the_run_with_changes(runs):
    data = runs["data"]
    called = runs["called"].read_text().splitlines()
    second = reports(data)[1]["crawl_id"]
    assert called == [str(data / "reports" / f"{second}.json")]


# -- a killed run, the next one recovering, and a second scheduler -------------------------------
def read_lines(process: subprocess.Popen, into: list[str]) -> threading.Thread:
    def read() -> None:
        for line in process.stdout:
            into.append(line)
    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


def wait_for(condition, limit: float = 60.0, what: str = "") -> None:
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_a_killed_crawl_fails_its_run_and_the_next_run_recovers(tmp_path):
    with WebServer(routes={}) as server:
        server.set_page("/same", wordpress_page(OPINION))
        page = html(nbc_page(ANALYSIS))
        server.set_responses("/slow", [page, dataclasses.replace(page, delay=60), page])
        seeds = write_seeds(tmp_path / "seeds", {"opinion": [server.url("/same")],
                                                 "analysis": [server.url("/slow")],
                                                 "news": [server.url("/same")]})
        data = tmp_path / "data"
        process = subprocess.Popen(
            schedule_command(seeds, data, "--every", "1s", "--runs", "3",
                             DOWNLOAD_TIMEOUT="90"),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=ENV)
        lines: list[str] = []
        reader = read_lines(process, lines)
        try:
            wait_for(lambda: server.count("/slow") == 2, what="the second run's slow page")
            # while run 2 hangs on the slow page, a second scheduler on the same data skips
            second = subprocess.run(schedule_command(seeds, data, "--every", "1s", "--runs", "1"),
                                    capture_output=True, text=True, timeout=60, env=ENV)
            assert second.returncode == 4, second.stdout + second.stderr
            assert "another seedcheck run is at work here" in second.stdout
            assert "crawl: started" not in second.stdout
            assert len(list((data / "crawls").glob("*.jsonl"))) == 2
            wait_for(lambda: list((data / "warcs").glob("*.open")), what="an open WARC")
            crawl_pid = int([x for x in lines if "crawl: started" in x][1].split("pid ")[1][:-2])
            os.kill(crawl_pid, signal.SIGKILL)
            assert process.wait(timeout=90) == 0
        finally:
            process.kill()
            process.wait()
        reader.join(timeout=5)
    output = "".join(lines)
    found = reports(data)
    assert [r["status"] for r in found] == ["nothing-new", "failed", "nothing-new"], output
    assert "the crawl exited with status -9" in found[1]["error"]
    assert found[1]["crawl_id"] is not None
    recovered = [line for line in found[2]["steps"][0]["output"] if "recovered" in line]
    assert recovered, found[2]["steps"][0]["output"]
    assert not list((data / "warcs").glob("*.open"))
    # one WARC file per run, the killed crawl's closed at its last record and built
    statuses = rows(data, "SELECT status, records FROM warc_files ORDER BY name")
    assert [r["status"] for r in statuses] == ["ok", "ok", "ok"]
    assert statuses[1]["records"] >= 1


# -- intervals and cron --------------------------------------------------------------------------
def test_intervals_are_read_in_seconds_minutes_hours_and_days():
    assert parse_interval("90s") == timedelta(seconds=90)
    assert parse_interval("15m") == timedelta(minutes=15)
    assert parse_interval("6h") == timedelta(hours=6)
    assert parse_interval("1d") == timedelta(days=1)
    for bad in ("6x", "", "0s", "-5m"):
        with pytest.raises(ScheduleError):
            parse_interval(bad)


def test_an_interval_skips_ticks_missed_by_a_long_run():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    every = Timing(interval=timedelta(hours=6))
    assert every.next_run(start, start + timedelta(hours=1)) == start + timedelta(hours=6)
    assert every.next_run(start, start + timedelta(hours=13)) == start + timedelta(hours=18)


@pytest.mark.parametrize(("expression", "after", "expected"), [
    ("0 */6 * * *", "2026-01-01T05:59", "2026-01-01T06:00"),
    ("0 */6 * * *", "2026-01-01T06:00", "2026-01-01T12:00"),
    ("*/15 9-17 * * mon-fri", "2026-01-02T17:50", "2026-01-05T09:00"),   # Friday evening
    ("30 4 1,15 * *", "2026-01-01T04:30", "2026-01-15T04:30"),
    ("0 0 29 2 *", "2026-03-01T00:00", "2028-02-29T00:00"),
    ("0 12 13 * 5", "2026-01-01T00:00", "2026-01-02T12:00"),             # the 13th OR a Friday
    ("5 0 * 1 7", "2026-01-01T00:00", "2026-01-04T00:05"),               # 7 is Sunday
])
def test_cron_finds_the_next_matching_minute(expression, after, expected):
    moment = datetime.fromisoformat(after).replace(tzinfo=UTC)
    assert Cron.parse(expression).next_after(moment) == datetime.fromisoformat(
        expected).replace(tzinfo=UTC)


@pytest.mark.parametrize("bad", ["* * * *", "60 * * * *", "*/0 * * * *", "5-1 * * * *",
                                 "0 0 31 2 *", "x * * * *"])
def test_bad_cron_expressions_are_refused(bad):
    with pytest.raises(ScheduleError):
        Cron.parse(bad).next_after(datetime(2026, 1, 1, tzinfo=UTC))


def test_the_command_wants_exactly_one_of_every_and_cron(tmp_path):
    with pytest.raises(ScheduleError):
        timing(None, None)
    with pytest.raises(ScheduleError):
        timing("6h", "0 * * * *")
    result = subprocess.run([str(BIN / "seedcheck"), "schedule", "--data", str(tmp_path),
                             "--every", "soon"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "'soon' is not an interval" in result.stderr


# -- the history pages in Datasette --------------------------------------------------------------
def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_datasette_shows_each_url_timeline_and_what_changed_since(runs):
    server, data = runs["server"], runs["data"]
    base, process = start_server(data)
    try:
        status, home = fetch(base + "/-/seedcheck")
        assert status == 200 and 'href="/-/seedcheck/changes"' in home
        edited_url = quote(server.url("/edited"), safe="")
        status, timeline = fetch(f"{base}/-/seedcheck/url?url={edited_url}")
        assert status == 200
        assert timeline.count('data-what="capture"') == 3
        assert timeline.count('data-change="changed"') == 1
        assert "<del class=\"sc-omitted\">more than an hour.</del>" in timeline
        assert "<ins class=\"sc-added\">nearly three hours.</ins>" in timeline
        status, _ = fetch(f"{base}/-/seedcheck/url?url={quote('http://nowhere.test/', safe='')}")
        assert status == 404
        status, compare = fetch(base + "/-/seedcheck/seed/analysis")
        assert status == 200 and 'class="sc-history"' in compare
        assert f'/-/seedcheck/url?url={quote(server.url("/edited"), safe="/")}"' in compare
        changed_at = rows(data, "SELECT captured_at FROM changes WHERE kind = 'changed'")[0]
        status, since = fetch(f"{base}/-/seedcheck/changes?since={changed_at['captured_at'][:10]}")
        assert status == 200
        assert {k: since.count(f'data-kind="{k}"') for k in ("changed", "gone", "moved")} == {
            "changed": 1, "gone": 1, "moved": 1}
        status, later = fetch(f"{base}/-/seedcheck/changes?since=2999-01-01")
        assert status == 200 and 'data-kind=' not in later
        status, bad = fetch(f"{base}/-/seedcheck/changes?since=yesterday")
        assert status == 200 and "is not a date" in bad and bad.count('data-kind=') == 3
    finally:
        stop_server(process)


# -- change events of one URL's history ----------------------------------------------------------
def seen(at: str, state: str, text: str | None = None, location: str | None = None) -> Seen:
    return Seen(url="http://news.test/a", at=at, state=state, record_id=None if state == "failed"
                else f"<r{at}>", text_record_id=text, location=location)


def test_events_name_each_transition_once():
    history = [seen("1", "page", "t1"), seen("2", "page", "t1"), seen("3", "failed"),
               seen("4", "failed"), seen("5", "page", "t1"), seen("6", "redirect", location="/b"),
               seen("7", "redirect", location="/b"), seen("8", "redirect", location="/c"),
               seen("9", "gone"), seen("10", "page", "t2"), seen("11", "page", "t3")]
    found = [(kind, new.at, last.at if last else None) for kind, _, new, last in events(history)]
    assert found == [("failed", "3", "2"), ("back", "5", "2"), ("moved", "6", "5"),
                     ("moved", "8", "5"), ("gone", "9", "5"), ("back", "10", "5"),
                     ("changed", "11", "10")]


def test_word_diff_counts_words_and_keeps_short_spans():
    added, removed, spans = word_diff("a b c d e", "a x c d e f")
    assert (added, removed) == (2, 1)
    assert spans == [{"removed": "b", "added": "x"}, {"removed": "", "added": "f"}]
    long = " ".join(f"w{i}" for i in range(100))
    _, _, [span] = word_diff("", long)
    assert len(span["added"].split()) == 40
