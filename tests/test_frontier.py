"""`seedcheck crawl --frontier`: workers sharing a real Redis, their politeness and their faults.

Every test starts a real `redis-server` (tests/redis_server.py) and crawls `tests.webserver`
with real `seedcheck crawl` processes; politeness is measured from the server's own request log.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from archive.warc.crawllog import read_lines
from archive.warc.digests import Original
from archive.warc.writer import warc_files
from crawler.frontier import Frontier, FrontierError, SharedDigests, Status
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


def worker_pids(parent: int) -> list[int]:
    """The spawned worker processes of a `seedcheck crawl --workers N` (not its helpers): the
    spawned processes below it that start no spawned process of their own (the crawl's own
    child process, which starts the workers, is not one)."""
    def children(pid: int) -> list[int]:
        try:
            return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            return []

    def spawned(pid: int) -> bool:
        try:
            return b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return False

    found, todo = [], children(parent)
    while todo:
        pid = todo.pop()
        below = [c for c in children(pid) if spawned(c)]
        if spawned(pid) and not below:
            found.append(pid)
        todo.extend(below)
    return found


def test_killed_worker_urls_are_fetched_by_another_and_its_warc_recovered(
        webserver, redis_server, tmp_path):
    urls = site(webserver, 30, delay=0.3)
    write_seeds(tmp_path / "seeds", [[(url, "original")] for url in urls])
    data = tmp_path / "data"
    process = subprocess.Popen(
        frontier_crawl(tmp_path / "seeds", data, redis_server.url, "--workers", "2",
                       SEEDCHECK_WORKER_ID="w", SEEDCHECK_FRONTIER_LEASE="2",
                       CONCURRENT_REQUESTS="6"),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        workers = wait_until(lambda: len(worker_pids(process.pid)) == 2
                             and worker_pids(process.pid), 30, "two workers", process)
        # Both workers have archived something (so each has an open WARC to recover), whichever
        # of them started first.
        wait_until(lambda: all(sum(1 for line in lines_by_url(data).values() for entry in line
                                   if entry["log"].endswith(f"-{w}.jsonl")) >= 2
                               for w in ("w-1", "w-2")), 60, "two URLs crawled by each", process)
        frontier = Frontier.connect(redis_server.url, "seedcheck", "observer", 2)
        held = {w: Frontier.connect(redis_server.url, "seedcheck", w, 2).held()
                for w in ("w-1", "w-2")}
        os.kill(workers[0], signal.SIGKILL)
        out, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 1 and "exit -9" in err, err
    assert not list((data / "warcs").glob("*.open"))  # the killed worker's file, closed
    recovered = out.split("recovered WARC files left open by an earlier crawl: ")[1].split()[0]
    dead = "w-1" if recovered.startswith("seedcheck-w-1-") else "w-2"
    alive = "w-2" if dead == "w-1" else "w-1"
    assert held[dead], "the killed worker held no lease"
    found = lines_by_url(data)
    assert sorted(found) == sorted(urls)  # nothing lost
    taken_over = {url for url in held[dead]
                  if any(dead not in line["log"] for line in found[url])}
    assert taken_over and all(alive in found[u][-1]["log"] for u in taken_over)
    assert frontier.status().complete
    survivor_log = (data / "crawls").glob(f"*-{alive}.log")
    assert "of a dead worker put back in the queue" in next(survivor_log).read_text()
    checked = subprocess.run([str(BIN / "warcio"), "check", str(data / "warcs" / recovered)],
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_redis_restarted_mid_crawl_workers_wait_and_nothing_is_lost(
        webserver, redis_server, tmp_path):
    urls = site(webserver, 12, delay=0.2)
    write_seeds(tmp_path / "seeds", [[(url, "original")] for url in urls])
    data = tmp_path / "data"
    process = subprocess.Popen(frontier_crawl(tmp_path / "seeds", data, redis_server.url,
                                              CONCURRENT_REQUESTS="3"),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_until(lambda: sum(len(v) for v in lines_by_url(data).values()) >= 3, 60,
                   "three URLs crawled", process)
        redis_server.restart(down=1.5)
        out, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    found = lines_by_url(data)
    assert sorted(found) == sorted(urls)
    assert all(len(lines) == 1 and lines[0]["outcome"] == "fetched" for lines in found.values())
    assert "frontier: 12 of 12 URLs done, 0 queued, 0 leased (crawl complete)" in out


def test_a_worker_started_twice_with_the_same_id_is_refused(webserver, redis_server, tmp_path):
    urls = site(webserver, 9, delay=1.5)  # the first worker runs ~8 s
    write_seeds(tmp_path / "seeds", [[(url, "original")] for url in urls])
    first = subprocess.Popen(frontier_crawl(tmp_path / "seeds", tmp_path / "a", redis_server.url,
                                            SEEDCHECK_WORKER_ID="same", DOWNLOAD_TIMEOUT="5"),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_until(lambda: Frontier.connect(redis_server.url, "seedcheck", "same", 30).held(),
                   60, "the first worker leasing URLs", first)
        second = subprocess.run(frontier_crawl(tmp_path / "seeds", tmp_path / "b",
                                               redis_server.url, SEEDCHECK_WORKER_ID="same"),
                                capture_output=True, text=True, timeout=60)
        assert second.returncode == 1
        assert "worker 'same' is already running on this frontier" in second.stderr
        assert not lines_by_url(tmp_path / "b")
        _, err = first.communicate(timeout=120)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == 0, err
    assert sorted(lines_by_url(tmp_path / "a")) == sorted(urls)


# The frontier's Redis scripts, without a crawl.
def test_leases_of_a_dead_worker_come_back_first(redis_server):
    one, two = (Frontier.connect(redis_server.url, "t", w, 0.3) for w in ("one", "two"))
    one.join()
    two.join()
    assert one.begin("c1") == two.begin("c2") == "c1"
    assert one.seed(["u1", "u2", "u3", "u4"]) == 4 and two.seed(["u1", "u2", "u5"]) == 1
    assert one.take(2) == (["u1", "u2"], 0)
    one.done("u1")
    time.sleep(0.4)  # one stops beating: its lease runs out
    assert two.beat()
    assert two.take(2) == (["u2", "u3"], 1)
    assert two.status() == Status(queued=2, leased=2, done=1, seen=5)
    for url in ("u2", "u3"):
        two.done(url)
    urls, _ = two.take(10)
    for url in urls:
        two.done(url)
    assert two.status().complete
    assert two.begin("c3") == "c3" and two.status() == Status(0, 0, 0, 0)  # finished: anew


def test_a_live_worker_id_is_refused_and_freed_when_it_leaves(redis_server):
    first = Frontier.connect(redis_server.url, "t", "same", 30)
    first.join()
    with pytest.raises(FrontierError, match="already running"):
        Frontier.connect(redis_server.url, "t", "same", 30).join()
    first.leave()
    Frontier.connect(redis_server.url, "t", "same", 30).join()


def test_host_lock_one_holder_and_the_delay(redis_server):
    frontier = Frontier.connect(redis_server.url, "t", "w", 30)
    assert frontier.acquire("a.test", "r1") == 0
    assert frontier.acquire("a.test", "r2") == -1  # held
    assert frontier.acquire("b.test", "r3") == 0  # another host is free
    frontier.release("a.test", "r1", 0.5)
    assert 300 < frontier.acquire("a.test", "r2") <= 500  # free, but not before the delay
    time.sleep(0.5)
    assert frontier.acquire("a.test", "r2") == 0


def test_shared_digests_keep_the_earliest_original(redis_server):
    digests = SharedDigests(Frontier.connect(redis_server.url, "t", "w", 30))
    later = Original("<urn:uuid:2>", "http://a.test/", "2026-01-02T00:00:00Z", "w-2.warc.gz")
    earlier = Original("<urn:uuid:1>", "http://a.test/", "2026-01-01T00:00:00Z", "w-1.warc.gz")
    digests.add("sha1:AAAA", later)
    digests.add("sha1:AAAA", earlier)
    digests.add("sha1:AAAA", later)
    assert digests.lookup("sha1:AAAA", "http://a.test/") == earlier
    assert digests.lookup("sha1:AAAA", "http://a.test/").filename == "w-1.warc.gz"
    assert digests.lookup("sha1:BBBB", "http://a.test/") is None


def test_bad_frontier_urls_and_workers_without_one_are_clear_errors(tmp_path):
    write_seeds(tmp_path / "seeds", [[("http://a.test/", "original")]])
    for args, message in ((["--frontier", "http://127.0.0.1:1/0"], "expected redis://HOST"),
                          (["--workers", "2"], "several workers share a --frontier")):
        result = subprocess.run(crawl_command(tmp_path / "seeds", tmp_path / "data", *args),
                                capture_output=True, text=True, timeout=60)
        assert result.returncode != 0 and message in result.stderr, result.stderr
    passed = subprocess.run([str(BIN / "seedcheck"), "run", "--no-serve", "--no-wayback",
                             "--seeds", str(tmp_path / "seeds"), "--data", str(tmp_path / "data"),
                             "--frontier", "http://127.0.0.1:1/0"],
                            capture_output=True, text=True, timeout=60)
    assert passed.returncode == 1 and "expected redis://HOST" in passed.stderr  # passed through
