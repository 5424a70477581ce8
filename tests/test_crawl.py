"""`seedcheck crawl` against a misbehaving test site: what the WARCs and the crawl log hold.

Each crawl is a real `seedcheck crawl` subprocess (Twisted's reactor runs once per process)
against `tests.webserver` on 127.0.0.1, reached as `news.test` & co. through `--resolve`.
A few crawls cover many cases each: the module-scoped `site` crawl, its re-crawl for revisits,
and the crash crawls killed with SIGKILL.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from archive.warc.crawllog import CrawlLog, LogLine, read_lines
from archive.warc.writer import Capture, iter_captures, warc_files
from crawler.dns import parse_hosts
from crawler.middlewares import retry_after
from tests.webserver import WebServer, article_html

BIN = Path(sys.executable).parent
CAP = 100_000  # DOWNLOAD_MAXSIZE of the test crawls
HOSTS = ("news.test", "slow.test", "reset.test", "big.test", "refused.test")
FAST = {
    "DOWNLOAD_DELAY": "0.01", "AUTOTHROTTLE_ENABLED": "0", "DOWNLOAD_TIMEOUT": "1",
    "RETRY_TIMES": "1", "SEEDCHECK_RETRY_BACKOFF": "0.05", "SEEDCHECK_RETRY_MAX_WAIT": "3",
    "DOWNLOAD_MAXSIZE": str(CAP), "SEEDCHECK_WARC_MAX_SIZE": "60000",
    "SEEDCHECK_ARCHIVES": "[]",  # no web archive: tests never ask a real site (test_archives.py)
}

pytestmark = pytest.mark.timeout(120)


# Helpers: seeds, the crawl command, reading back.
def write_seeds(folder: Path, originals: list[list[tuple[str, str]]], extra: dict | None = None):
    """One seed file per list of (url, role); `extra` adds raw files (name -> text)."""
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    for i, urls in enumerate(originals):
        name = f"{i:03d}_seed.txt"
        (folder / name).write_text(f"# Test seed {i}\n\nBy A. Writer\n\nMay 5, 2019\n\n"
                                   f"First paragraph of seed {i}.\n\nSecond paragraph.\n")
        entries.append({"file": name, "originals": [
            {"url": url, "role": role, "confidence": "given"} for url, role in urls]})
    for name, text in (extra or {}).items():
        if name == "seeds.yml":
            entries.extend(yaml.safe_load(text))
        else:
            (folder / name).write_text(text)
    (folder / "seeds.yml").write_text(yaml.safe_dump({"seeds": entries}))


def crawl_command(seeds: Path, data: Path, *extra: str, **settings: str) -> list[str]:
    command = [str(BIN / "seedcheck"), "crawl", "--seeds", str(seeds), "--data", str(data)]
    for host in HOSTS:
        command += ["--resolve", f"{host}:127.0.0.1"]
    for name, value in {**FAST, **settings}.items():
        command += ["-s", f"{name}={value}"]
    return command + list(extra)


def crawl(seeds: Path, data: Path, *extra: str, **settings: str) -> subprocess.CompletedProcess:
    return subprocess.run(crawl_command(seeds, data, *extra, **settings), capture_output=True,
                          text=True, timeout=90)


def logs(data: Path) -> list[Path]:
    return sorted((data / "crawls").glob("*.jsonl"))


def captures(data: Path) -> list[Capture]:
    return [c for path in warc_files(data / "warcs") for c in iter_captures(path)]


def warcio(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "warcio"), *args], capture_output=True, text=True,
                          timeout=60)


def index(data: Path) -> list[dict]:
    """Every record of every WARC (warcio's own indexer), in file order."""
    fields = ("warc-type,warc-target-uri,warc-record-id,warc-concurrent-to,warc-date,"
              "warc-truncated,offset,filename")
    files = [str(p) for p in warc_files(data / "warcs")]
    result = warcio("index", "-f", fields, *files)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def sha1_b32(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


def wait_for_lines(log_dir: Path, count: int, process: subprocess.Popen, limit: float = 30):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        found = sum(len(read_lines(p)) for p in sorted(log_dir.glob("*.jsonl")))
        if found >= count:
            return found
        assert process.poll() is None, "the crawl ended before it could be interrupted"
        time.sleep(0.05)
    raise AssertionError(f"fewer than {count} crawl log lines after {limit} s")


@dataclass
class Crawled:
    server: WebServer
    seeds: Path
    data: Path
    result: subprocess.CompletedProcess
    lines: dict[str, dict]
    captures: list[Capture]
    dead_port: int

    def url(self, path: str, host: str = "news.test") -> str:
        return self.server.url(path, host)

    def line(self, path: str, host: str = "news.test") -> dict:
        return self.lines[self.url(path, host)]

    def of(self, path: str, host: str = "news.test") -> list[Capture]:
        return [c for c in self.captures
                if c.target_uri == self.url(path, host) and c.record_type != "metadata"]


# The first crawl: every misbehaviour at once, with the WARC writer in its own process and
# in the crawl's (SEEDCHECK_WARC_WRITER): both must archive the same way.
@pytest.fixture(scope="module", params=["process", "inline"])
def site(tmp_path_factory, request) -> Crawled:
    root = tmp_path_factory.mktemp("site")
    with socket.socket() as probe:  # a port nothing listens on: connection refused
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    with WebServer() as server:
        u = server.url
        write_seeds(root / "seeds", [
            [(u("/articles/nbc"), "original"), (u("/chain/start"), "repost"),
             (u("/status/404"), "quoted"), (u("/status/410"), "quoted")],
            [(u("/articles/nbc"), "repost"), (u("/flaky"), "original"), (u("/busy"), "original"),
             (u("/stall", "slow.test"), "original"), (u("/reset", "reset.test"), "original"),
             (u("/articles/moscow_times"), "quoted")],
            [(u("/gzip"), "original"), (u("/chunked"), "original"), (u("/charset"), "original"),
             (u("/cookies"), "original"), (u("/search?q=venezuela&page=2"), "original"),
             (u("/search?page=2&q=venezuela"), "quoted"),  # the same page for Scrapy's dupefilter
             (u("/private/secret"), "original"), (u("/big", "big.test"), "original"),
             (u("/big-chunked", "big.test"), "original"), (u("/to-ftp"), "original"),
             ("http://nowhere.invalid/article", "original"),
             (f"http://refused.test:{dead_port}/x", "original"),
             (u("/close-delimited"), "original")],
        ], extra={
            "003_broken.txt": "",  # an empty seed: a warning, the others are crawled
            "004_ftp.txt": "# An FTP copy\n\nIts only original is not on the web.\n",
            "seeds.yml": yaml.safe_dump([{"file": "004_ftp.txt", "originals": [
                {"url": "ftp://files.test/article.txt", "role": "original"}]}]),
        })
        result = crawl(root / "seeds", root / "data", SEEDCHECK_WARC_WRITER=request.param)
        assert result.returncode == 0, result.stderr + result.stdout
        (log,) = logs(root / "data")
        lines = {line["url"]: line for line in read_lines(log)}
        yield Crawled(server, root / "seeds", root / "data", result, lines,
                      captures(root / "data"), dead_port)


def test_exactly_one_line_per_url_with_every_seed(site):
    (log,) = logs(site.data)
    urls = [line["url"] for line in read_lines(log)]
    assert len(urls) == len(set(urls)) == 22
    shared = site.line("/articles/nbc")
    assert shared["seed_ids"] == ["000_seed", "001_seed"]
    assert shared["roles"] == ["original", "repost"]
    assert site.server.count("/articles/nbc") == 1  # fetched once for both seeds
    assert {line["crawl_id"] for line in site.lines.values()} == {log.stem}


def test_seed_problems_are_warnings_and_the_rest_is_crawled(site):
    assert "warning:" in site.result.stderr and "003_broken.txt" in site.result.stderr
    assert "ftp://files.test/article.txt" in site.result.stderr  # rejected, never fetched
    assert not any(url.startswith("ftp:") for url in site.lines)


def test_redirect_hops_each_archived_with_their_request(site):
    hops = [site.of(p)[0] for p in ("/chain/start", "/chain/middle", "/chain/end")]
    assert [c.status for c in hops] == [301, 302, 200]
    line = site.line("/chain/start")
    assert line["outcome"] == "fetched" and line["status"] == 200
    assert line["final_url"] == site.url("/chain/end")
    assert line["redirects"] == [site.url("/chain/start"), site.url("/chain/middle")]
    assert line["record_id"] == hops[2].record_id and line["warc_file"] == hops[2].filename
    requests = {r["warc-concurrent-to"]: r for r in index(site.data)
                if r["warc-type"] == "request"}
    for hop in hops:
        assert requests[hop.record_id]["warc-target-uri"] == hop.target_uri


def test_every_response_has_its_request_with_the_same_date(site):
    records = index(site.data)
    requests = {r["warc-concurrent-to"]: r for r in records if r["warc-type"] == "request"}
    responses = [r for r in records if r["warc-type"] in ("response", "revisit")]
    # every URL that got an answer, plus redirect hops, retried attempts and robots.txt
    assert len(responses) >= 25
    for response in responses:
        request = requests[response["warc-record-id"]]
        assert request["warc-date"] == response["warc-date"]
        assert request["warc-target-uri"] == response["warc-target-uri"]


def test_error_statuses_are_kept_as_evidence(site):
    for status in (404, 410):
        (capture,) = site.of(f"/status/{status}")
        assert capture.status == status and b"<h1>" in capture.body
        line = site.line(f"/status/{status}")
        assert line["outcome"] == "fetched" and line["status"] == status and line["error"] is None


def test_server_error_is_retried_and_both_answers_archived(site):
    assert site.server.count("/flaky") == 2
    assert [c.status for c in site.of("/flaky")] == [500, 200]
    line = site.line("/flaky")
    assert line["status"] == 200 and line["record_id"] == site.of("/flaky")[1].record_id


def test_retry_after_is_honoured_on_429(site):
    first, second = site.of("/busy")
    assert (first.status, second.status) == (429, 200)
    assert dict(first.headers).get("Retry-After") == "1"
    assert (second.date - first.date).total_seconds() >= 1.0
    assert site.line("/busy")["status"] == 200


def test_stalled_response_times_out_after_a_retry(site):
    line = site.line("/stall", "slow.test")
    assert line["outcome"] == "failed" and line["error"] == "timeout"
    assert "2 attempts" in line["detail"]
    assert site.server.count("/stall") == 2


def test_reset_mid_body_is_archived_truncated_and_logged(site):
    line = site.line("/reset", "reset.test")
    assert line["error"] == "reset" and line["status"] == 200
    attempts = site.of("/reset", "reset.test")
    assert len(attempts) == 2 == site.server.count("/reset")
    for capture in attempts:
        assert capture.truncated == "disconnect"
    assert attempts[0].body == site.server.body("/reset")[:5000]
    assert line["record_id"] == attempts[-1].record_id


def test_gzip_body_is_stored_compressed_with_its_content_encoding(site):
    (capture,) = site.of("/gzip")
    served = site.server.body("/gzip")
    assert dict((k.lower(), v) for k, v in capture.headers)["content-encoding"] == "gzip"
    assert capture.payload_digest == sha1_b32(served)  # the digest of the compressed bytes
    assert capture.body == gzip.decompress(served)


def test_chunked_body_is_stored_dechunked_without_the_chunked_header(site):
    (capture,) = site.of("/chunked")
    names = {k.lower() for k, _ in capture.headers}
    assert "transfer-encoding" not in names
    assert capture.body == site.server.body("/chunked")
    assert capture.payload_digest == sha1_b32(site.server.body("/chunked"))


def test_close_delimited_body_is_complete_not_truncated(site):
    (capture,) = site.of("/close-delimited")
    assert capture.truncated is None and capture.body == site.server.body("/close-delimited")


def test_wrong_charset_page_is_stored_byte_exact(site):
    (capture,) = site.of("/charset")
    served = site.server.body("/charset")
    with pytest.raises(UnicodeDecodeError):
        served.decode("utf-8")  # the page lies about its charset
    assert capture.body == served and capture.payload_digest == sha1_b32(served)
    assert capture.charset == "utf-8"  # what the header declared, kept as declared


def test_every_set_cookie_header_is_kept(site):
    (capture,) = site.of("/cookies")
    cookies = [v for k, v in capture.headers if k.lower() == "set-cookie"]
    assert cookies == ["session=abc123; Path=/; HttpOnly", "consent=yes; Path=/; Max-Age=3600"]


def test_query_string_is_in_the_target_and_the_request_line(site):
    url = site.url("/search?q=venezuela&page=2")
    (capture,) = [c for c in site.captures if c.target_uri == url]
    assert capture.status == 200
    (request,) = [r for r in index(site.data)
                  if r["warc-type"] == "request" and r["warc-concurrent-to"] == capture.record_id]
    path = site.data / "warcs" / request["filename"]
    headers = warcio("extract", "--headers", str(path), str(request["offset"])).stdout
    assert "GET /search?q=venezuela&page=2 HTTP/1.1" in headers
    assert f"Host: news.test:{site.server.port}" in headers
    assert "Accept-Encoding: gzip, deflate" in headers
    assert "seedcheck" in headers  # the user agent names the project
    sent = [r for r in site.server.requests if r.target == "/search?q=venezuela&page=2"]
    assert dict(sent[0].headers)["Accept-Encoding"] == "gzip, deflate"


def test_urls_differing_only_in_query_order_are_both_fetched(site):
    # Scrapy's duplicate filter takes them for one request; the spider asks again when idle.
    for target in ("/search?q=venezuela&page=2", "/search?page=2&q=venezuela"):
        assert site.line(target)["outcome"] == "fetched"
        assert [r.target for r in site.server.requests].count(target) == 1


def test_robots_txt_is_obeyed_and_archived(site):
    line = site.line("/private/secret")
    assert line["outcome"] == "failed" and line["error"] == "robots"
    assert site.server.count("/private/secret") == 0
    robots = [c for c in site.captures if c.target_uri.endswith("/robots.txt")]
    hosts = {c.target_uri.split("/")[2].split(":")[0] for c in robots}
    assert {"news.test", "slow.test", "reset.test", "big.test"} <= hosts
    assert all(b"Disallow: /private/" in c.body for c in robots if c.record_type == "response")


def test_warcinfo_states_the_robots_policy_and_user_agent(site):
    for path in warc_files(site.data / "warcs"):
        first = warcio("extract", str(path), "0").stdout
        assert "WARC-Type: warcinfo" in first
        assert "robots: obey" in first
        assert "http-header-user-agent: seedcheck" in first


def test_body_over_the_cap_is_archived_truncated(site):
    for path in ("/big", "/big-chunked"):
        line = site.line(path, "big.test")
        assert line["outcome"] == "failed" and line["error"] == "too-large"
        (capture,) = site.of(path, "big.test")
        assert capture.truncated == "length"
        assert capture.body == site.server.body(path)[:CAP]
        assert line["record_id"] == capture.record_id


def test_redirect_to_another_scheme_is_not_followed(site):
    line = site.line("/to-ftp")
    assert line["error"] == "scheme" and "ftp://files.test/article.txt" in line["detail"]
    (capture,) = site.of("/to-ftp")
    assert capture.status == 302 and line["record_id"] == capture.record_id


def test_unresolvable_and_refused_hosts_are_results(site):
    dns = site.lines["http://nowhere.invalid/article"]
    assert dns["outcome"] == "failed" and dns["error"] == "dns" and dns["detail"]
    refused = site.lines[f"http://refused.test:{site.dead_port}/x"]
    assert refused["error"] == "refused" and refused["detail"]


def test_summary_names_counts_files_and_log(site):
    out = site.result.stdout
    (log,) = logs(site.data)
    assert f"crawl {log.stem}: 22 URLs, 14 fetched, 8 failed" in out
    assert "dns 1" in out and "too-large 2" in out and "robots 1" in out
    assert str(log) in out
    for path in warc_files(site.data / "warcs"):
        assert path.name in out


def test_warcio_check_passes_and_files_rotate_at_the_size_limit(site):
    files = warc_files(site.data / "warcs")
    assert len(files) >= 3  # SEEDCHECK_WARC_MAX_SIZE=60000
    assert not list((site.data / "warcs").glob("*.open"))
    result = warcio("check", "-v", *map(str, files))
    assert result.returncode == 0, result.stdout + result.stderr
    records = index(site.data)
    for path in files:
        mine = [r for r in records if r["filename"] == path.name]
        assert mine[0]["warc-type"] == "warcinfo"
        # a file passes the limit only when a single record is larger than the limit
        if path.stat().st_size > 60000:
            assert len([r for r in mine if r["warc-type"] in ("response", "revisit")]) == 1
    logged = {line["record_id"] for line in site.lines.values() if line["record_id"]}
    assert logged <= {c.record_id for c in site.captures}


# The second crawl: unchanged pages become revisits, a changed page a full response.
@pytest.fixture(scope="module")
def recrawled(site) -> Crawled:
    site.server.set_page("/articles/moscow_times", article_html(2, "moscow_times") + "<p>Updated")
    result = crawl(site.seeds, site.data)
    assert result.returncode == 0, result.stderr + result.stdout
    lines = {line["url"]: line for line in read_lines(logs(site.data)[-1])}
    return Crawled(site.server, site.seeds, site.data, result, lines, captures(site.data),
                   site.dead_port)


def test_second_crawl_writes_revisits_for_unchanged_pages(site, recrawled):
    assert len(logs(site.data)) == 2
    first, second = site.line("/articles/nbc"), recrawled.line("/articles/nbc")
    assert first["crawl_id"] != second["crawl_id"]
    revisit = next(c for c in recrawled.captures if c.record_id == second["record_id"])
    assert revisit.record_type == "revisit"
    assert revisit.refers_to == first["record_id"]
    assert revisit.refers_to_target_uri == site.url("/articles/nbc")
    original = next(c for c in site.captures if c.record_id == first["record_id"])
    assert revisit.payload_digest == original.payload_digest
    assert revisit.refers_to_date == original.date


def test_second_crawl_keeps_a_changed_page_in_full(site, recrawled):
    line = recrawled.line("/articles/moscow_times")
    capture = next(c for c in recrawled.captures if c.record_id == line["record_id"])
    assert capture.record_type == "response" and capture.body.endswith(b"<p>Updated")
    assert capture.record_id != site.line("/articles/moscow_times")["record_id"]


def test_second_crawl_files_pass_warcio_check(recrawled):
    files = warc_files(recrawled.data / "warcs")
    result = warcio("check", *map(str, files))
    assert result.returncode == 0, result.stdout + result.stderr
    revisits = [c for c in recrawled.captures if c.record_type == "revisit"]
    ids = {c.record_id: c for c in recrawled.captures}
    for revisit in revisits:  # never a revisit of a revisit
        assert ids[revisit.refers_to].record_type == "response"


# Crashes: SIGKILL mid-crawl, recovery, resume.
@pytest.fixture
def slow_site(webserver, tmp_path):
    paths = [f"/slow/{i}" for i in range(24)]
    for i, path in enumerate(paths):
        webserver.set_page(path, article_html(i % 3, "nbc") + f"<p>slow page {i}</p>", delay=0.2)
    write_seeds(tmp_path / "seeds", [[(webserver.url(p), "original") for p in paths]])
    return webserver, tmp_path / "seeds", tmp_path / "data", paths


def kill_midway(seeds: Path, data: Path, lines: int, *extra: str, sig=signal.SIGKILL) -> int:
    process = subprocess.Popen(crawl_command(seeds, data, *extra), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        wait_for_lines(data / "crawls", lines, process)
        process.send_signal(sig)
        process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    return process.returncode


def assert_all_logged_records_readable(data: Path) -> list[dict]:
    lines = [line for log in logs(data) for line in read_lines(log)]
    found = {c.record_id for c in captures(data)}
    assert {line["record_id"] for line in lines if line["record_id"]} <= found
    result = warcio("check", *map(str, warc_files(data / "warcs")))
    assert result.returncode == 0, result.stdout + result.stderr
    assert not list((data / "warcs").glob("*.open"))
    return lines


def test_sigkill_then_recover_then_resume_loses_nothing(slow_site):
    server, seeds, data, paths = slow_site
    assert kill_midway(seeds, data, 4) == -signal.SIGKILL
    assert list((data / "warcs").glob("*.warc.gz.open"))  # killed while writing
    (killed_log,) = logs(data)
    done_before = len(read_lines(killed_log))

    recovered = subprocess.run(
        [str(BIN / "seedcheck"), "crawl", "--recover", "--data", str(data)],
        capture_output=True, text=True, timeout=60)
    assert recovered.returncode == 0 and "recovered 1 WARC file" in recovered.stdout
    assert len(assert_all_logged_records_readable(data)) == done_before

    # Resume, stop it gracefully (Ctrl-C) part-way, resume again to the end. Two requests in
    # flight at most, so the stop leaves requests in the queue Scrapy saves in the JOBDIR.
    stopped = kill_midway(seeds, data, done_before + 4, "--resume", "-s", "CONCURRENT_REQUESTS=2",
                          sig=signal.SIGINT)
    assert stopped == 0
    assert (data / "jobs" / killed_log.stem / "stopped-cleanly").exists()
    assert len(read_lines(killed_log)) < len(paths)
    result = crawl(seeds, data, "--resume")
    assert result.returncode == 0, result.stderr
    assert f"crawl {killed_log.stem} (resumed): 24 URLs, 24 fetched" in result.stdout
    assert logs(data) == [killed_log]  # the same crawl, the same log
    lines = assert_all_logged_records_readable(data)
    assert sorted(line["url"] for line in lines) == sorted(server.url(p) for p in paths)
    assert all(line["outcome"] == "fetched" for line in lines)
    assert server.peak_in_flight("news.test") == 1  # one request at a time per host
    # Only the request in flight at the SIGKILL is asked twice.
    assert sum(server.count(p) for p in paths) <= len(paths) + 1
    assert not (data / "jobs" / killed_log.stem).exists()  # finished: nothing to resume


def test_the_next_crawl_recovers_what_a_killed_one_left(slow_site):
    _, seeds, data, paths = slow_site
    kill_midway(seeds, data, 3)
    assert list((data / "warcs").glob("*.open"))
    result = crawl(seeds, data)
    assert result.returncode == 0, result.stderr
    assert "recovered WARC files left open by an earlier crawl" in result.stdout
    lines = assert_all_logged_records_readable(data)
    assert Counter(line["crawl_id"] for line in lines).most_common(1)[0][1] == len(paths)


# The command's edges and the small parts, without a crawl.
def test_a_missing_seeds_folder_is_an_error(tmp_path):
    result = subprocess.run([str(BIN / "seedcheck"), "crawl", "--seeds", str(tmp_path / "nope"),
                             "--data", str(tmp_path / "data")], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1 and "no usable seed" in result.stderr
    assert not (tmp_path / "data" / "crawls").exists()


def test_an_archive_that_cannot_be_written_stops_the_crawl(webserver, tmp_path):
    write_seeds(tmp_path / "seeds", [[(webserver.url("/articles/nbc"), "original")]])
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "warcs").write_text("a file where the WARC folder should be")
    result = crawl(tmp_path / "seeds", tmp_path / "data")
    assert result.returncode == 1 and "WARC writing failed" in result.stderr
    assert "(warc_error)" in result.stdout
    # nothing was fetched that could not be kept, and nothing claims it was
    assert webserver.count("/articles/nbc") == 0
    assert not any(read_lines(log) for log in logs(tmp_path / "data"))


def test_resume_without_an_unfinished_crawl_is_an_error(tmp_path):
    write_seeds(tmp_path / "seeds", [[("http://news.test/a", "original")]])
    result = subprocess.run([str(BIN / "seedcheck"), "crawl", "--resume", "--seeds",
                             str(tmp_path / "seeds"), "--data", str(tmp_path / "data")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "no unfinished crawl to resume" in result.stderr


def test_crawl_log_cuts_a_torn_line_and_never_repeats_a_url(tmp_path):
    path = tmp_path / "c.jsonl"
    log = CrawlLog.open(path, "C")
    assert log.write(LogLine("C", "http://a.test/", ("s",), ("original",), "fetched", status=200))
    assert not log.write(LogLine("C", "http://a.test/", ("s",), ("original",), "failed",
                                 error="dns"))
    log.close()
    with path.open("ab") as f:
        f.write(b'{"crawl_id": "C", "url": "http://b.te')  # killed mid-write
    log = CrawlLog.open(path, "C")
    assert log.done("http://a.test/") and not log.done("http://b.test/")
    assert log.write(LogLine("C", "http://b.test/", ("s",), ("original",), "failed",
                             error="timeout", detail="slow"))
    log.close()
    assert [line["url"] for line in read_lines(path)] == ["http://a.test/", "http://b.test/"]
    with pytest.raises(ValueError, match="needs an error"):
        LogLine("C", "http://c.test/", (), (), "failed")


def test_host_mappings_and_retry_after_parsing():
    assert parse_hosts(["News.test:127.0.0.1", "six.test:[::1]"]) == {
        "news.test": "127.0.0.1", "six.test": "::1"}
    assert parse_hosts('{"a.test": "10.0.0.1"}') == {"a.test": "10.0.0.1"}
    with pytest.raises(ValueError, match="not HOST:IP"):
        parse_hosts(["news.test"])
    assert retry_after(b"7") == 7.0
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after(b"Thu, 01 Jan 2026 12:00:30 GMT", now=now) == 30.0
    assert retry_after(b"Thu, 01 Jan 2026 11:00:00 GMT", now=now) == 0.0
    assert retry_after(b"soon") is None and retry_after(None) is None


def test_crawl_id_gets_a_suffix_when_taken(tmp_path):
    from archive.warc.crawllog import new_crawl_id

    when = datetime.fromisoformat("2026-11-21T22:30:00+00:00")
    assert new_crawl_id(tmp_path, when) == "20261121T223000Z"
    (tmp_path / "20261121T223000Z.jsonl").write_text("")
    assert new_crawl_id(tmp_path, when) == "20261121T223000Z-2"
