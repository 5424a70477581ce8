"""`seedcheck crawl --frontier`: workers sharing a real Redis, their politeness and their faults.

Every test starts a real `redis-server` (tests/redis_server.py) and crawls `tests.webserver`
with real `seedcheck crawl` processes; politeness is measured from the server's own request log.
"""

from __future__ import annotations

import sqlite3
import subprocess
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from archive.warc.crawllog import read_lines
from archive.warc.writer import warc_files
from tests.test_crawl import BIN, crawl_command, write_seeds
from tests.webserver import Response, WebServer, article_html

pytestmark = pytest.mark.timeout(180)
HOSTS = ("a.test", "b.test", "c.test")
DELAY = 0.3


def site(server: WebServer, pages: int, delay: float = 0.0) -> list[str]:
    """`pages` article pages spread over HOSTS, each answered after `delay` seconds."""
    urls = []
    for n in range(pages):
        path = f"/story/{n}"
        server.set_responses(path, [Response(200, article_html(n).encode(), delay=delay)])
        urls.append(server.url(path, HOSTS[n % len(HOSTS)]))
    return urls


def frontier_crawl(seeds: Path, data: Path, frontier: str, *extra: str,
                   **settings: str) -> list[str]:
    command = crawl_command(seeds, data, "--frontier", frontier, *extra,
                            DOWNLOAD_DELAY=str(DELAY), **settings)
    for host in HOSTS:
        command += ["--resolve", f"{host}:127.0.0.1"]
    return command


def lines_by_url(*datas: Path) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = defaultdict(list)
    for data in datas:
        for log in sorted((data / "crawls").glob("*.jsonl")):
            for line in read_lines(log):
                found[line["url"]].append({**line, "log": log.name})
    return found


def closest_gaps(server: WebServer) -> dict[str, float]:
    """Per host, the shortest time between two requests' arrivals at the server."""
    times: dict[str, list[float]] = defaultdict(list)
    for seen in server.requests:
        times[seen.host].append(seen.at)
    return {host: min((b - a for a, b in zip(sorted(t), sorted(t)[1:], strict=False)),
                      default=float("inf")) for host, t in times.items()}


def wait_until(check, limit: float, what: str, process: subprocess.Popen | None = None):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the crawl ended before {what}: {process.stderr.read()}")
        time.sleep(0.05)
    raise AssertionError(f"not {what} after {limit} s")


def test_two_workers_share_the_frontier_and_its_politeness(webserver, redis_server, tmp_path):
    urls = site(webserver, 18)
    write_seeds(tmp_path / "seeds", [[(url, "original")] for url in urls])
    data = tmp_path / "data"
    result = subprocess.run(frontier_crawl(tmp_path / "seeds", data, redis_server.url,
                                           "--workers", "2"),
                            capture_output=True, text=True, timeout=150)
    assert result.returncode == 0, result.stderr + result.stdout
    found = lines_by_url(data)
    assert sorted(found) == sorted(urls)
    assert all(len(lines) == 1 and lines[0]["outcome"] == "fetched" for lines in found.values())
    by_log = Counter(lines[0]["log"] for lines in found.values())
    assert len(by_log) == 2, by_log  # both workers took URLs
    assert len({lines[0]["crawl_id"] for lines in found.values()}) == 1
    prefixes = {p.name.split("-2026")[0].split("-20")[0] for p in warc_files(data / "warcs")}
    assert len(prefixes) == 2, prefixes  # each worker its own WARC files
    # One request per host at a time and the delay, across both workers (robots.txt included).
    for host in HOSTS:
        assert webserver.peak_in_flight(host) == 1
    gaps = closest_gaps(webserver)
    assert set(gaps) == set(HOSTS)
    assert min(gaps.values()) >= DELAY, gaps
    assert "frontier: 18 of 18 URLs done, 0 queued, 0 leased (crawl complete)" in result.stdout
    # One build reads every worker's files.
    built = subprocess.run([str(BIN / "seedcheck"), "build", "--data", str(data),
                            "--seeds", str(tmp_path / "seeds")],
                           capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    with sqlite3.connect(data / "seedcheck.db") as db:
        files = {row[0] for row in db.execute(
            "select distinct warc_file from captures where url like '%/story/%'")}
        fetched = {row[0] for row in db.execute("select url from crawls")}
    assert len({f.split("-20")[0] for f in files}) == 2
    assert fetched == set(urls)
