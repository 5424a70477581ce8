"""Workers on a shared Redis frontier: 1 vs 2 workers, politeness across them, frontier memory.

    .venv/bin/python bench/frontier.py [--pages 3000] [--hosts 150] [--delay 0.3]

A real `redis-server` (tests/redis_server.py) and the fast page server of bench/crawl.py, which
logs every request's host and arrival time. The same seeds (`--pages` URLs, round-robin over
`--hosts` host names, all 127.0.0.1) are crawled by `seedcheck crawl --frontier ... --workers 1`
and then `--workers 2` (fresh data folders and frontier keys, other host names so politeness
starts afresh), with the project settings (robots.txt obeyed, DOWNLOAD_DELAY `--delay`, WARC
writing, crawl logs) minus the web archives. Pages/s comes from the server's own log (first to
last page request, so process start-up is left out), as does politeness: per host, the shortest
time between two requests, robots.txt included, which must never be under the delay.

Frontier memory: Redis's `used_memory` before and after seeding 100,000 URLs (queue + seen-set).
The last output line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.frontier import Frontier  # noqa: E402
from tests.redis_server import RedisServer  # noqa: E402

BIN = Path(sys.executable).parent


def write_seeds(folder: Path, urls: list[str]) -> None:
    """One seed whose originals are all the URLs (the manifest is what the crawl reads)."""
    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "000_bench.txt").write_text("# Benchmark seed\n\nBy A. Writer\n\nMay 5, 2019\n\n"
                                          "One paragraph.\n\nAnother paragraph.\n")
    originals = [{"url": u, "role": "original", "confidence": "given"} for u in urls]
    (folder / "seeds.yml").write_text(yaml.safe_dump(
        {"seeds": [{"file": "000_bench.txt", "originals": originals}]}))


def crawl(workers: int, args: argparse.Namespace, port: int, redis: str, out: Path) -> dict:
    hosts = [f"h{n}.w{workers}.test" for n in range(args.hosts)]
    urls = [f"http://{hosts[n % len(hosts)]}:{port}/page/{n}" for n in range(args.pages)]
    write_seeds(out / f"seeds{workers}", urls)
    command = [str(BIN / "seedcheck"), "crawl", "--seeds", str(out / f"seeds{workers}"),
               "--data", str(out / f"data{workers}"), "--frontier", redis,
               "--workers", str(workers), "--no-wayback"]
    for name, value in {"DOWNLOAD_DELAY": args.delay, "SEEDCHECK_FRONTIER_KEY": f"b{workers}",
                        "SEEDCHECK_HOSTS": json.dumps(dict.fromkeys(hosts, "127.0.0.1")),
                        "LOG_LEVEL": "WARNING"}.items():
        command += ["-s", f"{name}={value}"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"--workers {workers} failed: {result.stderr[-2000:]}")
    return {"hosts": set(hosts), "summary": result.stdout.splitlines()[0]}


def server_figures(log: Path, hosts: set[str]) -> dict:
    times: dict[str, list[float]] = defaultdict(list)
    pages = []
    for line in log.read_text().splitlines():
        host, at, path = line.split(" ", 2)
        if host in hosts:
            times[host].append(float(at))
            if path.startswith("/page/"):
                pages.append(float(at))
    gaps = [b - a for t in times.values() for a, b in zip(sorted(t), sorted(t)[1:],
                                                           strict=False)]
    span = max(pages) - min(pages)
    return {"pages": len(pages), "seconds": round(span, 2),
            "pages_per_s": round(len(pages) / span, 1), "min_gap_s": round(min(gaps), 3),
            "requests": sum(len(t) for t in times.values())}


def frontier_memory(redis: str, n: int = 100_000) -> float:
    """MB of Redis memory that `n` queued URLs (queue + seen-set) take."""
    frontier = Frontier.connect(redis, "memory", "bench", 30)
    before = frontier.server.info("memory")["used_memory"]
    frontier.begin("memory")
    frontier.seed([f"https://www.example-news-site-{i % 500}.test/2019/05/05/"
                   f"some-article-headline-words-{i}.html" for i in range(n)], chunk=1000)
    after = frontier.server.info("memory")["used_memory"]
    return round((after - before) / 1e6 * 100_000 / n, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=3000)
    parser.add_argument("--hosts", type=int, default=150)
    parser.add_argument("--delay", type=float, default=0.3)
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="bench-frontier-"))
    log = out / "requests.log"
    server = subprocess.Popen([sys.executable, str(ROOT / "bench" / "crawl.py"), "--serve",
                               "--log", str(log)], stdout=subprocess.PIPE, text=True)
    try:
        port = int(server.stdout.readline())
        with RedisServer(out / "redis") as redis:
            runs = {n: crawl(n, args, port, redis.url, out) for n in (1, 2)}
            memory = frontier_memory(redis.url)
    finally:
        server.terminate()
        server.wait()  # the request log is complete once the server has stopped
    try:
        measured = {n: server_figures(log, run["hosts"]) for n, run in runs.items()}
    finally:
        shutil.rmtree(out, ignore_errors=True)
    figures: dict = {"pages": args.pages, "hosts": args.hosts, "delay_s": args.delay}
    for n, run in runs.items():
        m = measured[n]
        print(f"{n} worker(s): {m['pages']} pages in {m['seconds']} s = {m['pages_per_s']} "
              f"pages/s; closest two requests to one host {m['min_gap_s']} s (delay "
              f"{args.delay} s); {run['summary']}", flush=True)
        figures[f"workers_{n}"] = m
    figures["speedup"] = round(figures["workers_2"]["pages_per_s"]
                               / figures["workers_1"]["pages_per_s"], 2)
    figures["polite"] = all(figures[f"workers_{n}"]["min_gap_s"] >= args.delay for n in (1, 2))
    figures["frontier_mb_per_100k_urls"] = memory
    print(f"2 vs 1 worker: {figures['speedup']}x; politeness held: {figures['polite']}; "
          f"frontier memory: {memory} MB per 100,000 queued URLs")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
