"""The first steps of a new user: offline runs explained, a busy port, a single scheduled run.

Real subprocesses of `seedcheck`; the offline run crawls a port where nothing listens (a refused
connection, as without a network) and its pages are read through Datasette's real ASGI app.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from archive.warc.failures import NOTHING_FETCHED, explain_crawl
from tests.published import datasette_of, get

BIN = Path(sys.executable).parent
pytestmark = pytest.mark.timeout(120)


def seedcheck(*args: str, timeout: float = 100) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "seedcheck"), *args], capture_output=True, text=True,
                          timeout=timeout)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]          # closed again when the socket is


def page(data: Path, path: str) -> str:
    return get(datasette_of(data), path).text


def test_a_run_where_every_fetch_failed_says_why_and_exits_non_zero(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "lost.txt").write_text("# A lost page\n\nMay 6, 2019\n\nSome words of a copy.\n")
    port = closed_port()
    entries = [{"file": "lost.txt", "originals": [{"url": f"http://news.test:{port}/a"},
                                                  {"url": f"http://other.test:{port}/b"}]}]
    (seeds / "seeds.yml").write_text(yaml.safe_dump({"seeds": entries}))
    data = tmp_path / "data"
    result = seedcheck("run", "--no-serve", "--seeds", str(seeds), "--data", str(data),
                       "--resolve", "news.test:127.0.0.1", "--resolve", "other.test:127.0.0.1",
                       "--no-wayback", "-s", "DOWNLOAD_DELAY=0", "-s", "RETRY_TIMES=0")
    assert result.returncode == NOTHING_FETCHED, result.stdout + result.stderr
    assert "Nothing could be fetched: none of the 2 URL(s) on 2 site(s) answered" in result.stderr
    assert "no internet connection" in result.stderr and "Next:" in result.stderr
    assert "== build:" in result.stdout                  # built all the same, for the pages
    home = page(data, "/-/seedcheck")
    assert 'id="why-unchecked"' in home and "no internet connection" in home
    seed = page(data, "/-/seedcheck/seed/lost")
    assert 'id="why-unchecked"' in seed and "Next: check this computer" in seed
    assert "the site refused the connection" in seed


def test_explain_crawl_is_silent_when_anything_came():
    failed = {"url": "https://a.test/", "outcome": "failed", "error": "dns"}
    assert explain_crawl([failed, {"url": "https://b.test/", "outcome": "fetched"}]) is None
    archived = {**failed, "archived": [{"archive": "Wayback", "record_id": "<urn:uuid:1>"}]}
    assert explain_crawl([archived]) is None
    robots = explain_crawl([{**failed, "error": "robots"}])
    assert robots is not None and not robots.offline
    assert any("robots.txt" in line for line in robots.lines())


def test_serve_on_a_busy_port_fails_clearly(tmp_path):
    (tmp_path / "seedcheck.db").write_bytes(b"")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = seedcheck("serve", "--data", str(tmp_path), "--port", str(port), timeout=30)
    assert result.returncode == 1
    assert f"port {port} on 127.0.0.1 is in use" in result.stderr and "--port" in result.stderr
    assert "Serving" not in result.stdout


def test_schedule_runs_once_without_an_interval(tmp_path):
    empty = tmp_path / "seeds"
    empty.mkdir()
    result = seedcheck("schedule", "--runs", "1", "--seeds", str(empty),
                       "--data", str(tmp_path / "data"))
    assert "one run, now" in result.stdout, result.stdout + result.stderr
    assert result.returncode == 1                         # the run itself fails: no seeds
    refused = seedcheck("schedule", "--runs", "2", "--data", str(tmp_path / "data"))
    assert refused.returncode == 2 and "--every" in refused.stderr


def test_failures_are_told_without_the_crawls_internal_words():
    from archive.web.evidence import plain_errors

    (said,) = plain_errors([{"error": "dns", "detail": "DNS lookup failed: a.test did not resolve "
                                                       "earlier in this crawl"}])
    assert said["meaning"].startswith("the site's name could not be looked up")
    assert "earlier in this crawl" not in said["meaning"] and "a.test did not resolve" in said["meaning"]
