"""Crawl throughput with and without seedcheck's WARC writing, and the crawl's peak memory.

    .venv/bin/python bench/crawl.py [--pages 2000] [--runs 4] [-s NAME=VALUE ...]

A fast local server (its own process) serves N distinct ~50 KB publisher-shaped pages. Each
crawl runs in its own process with the project settings minus politeness (no delay, no
AutoThrottle, 16 requests in flight): "plain" with the WARC extension off, "warc" with it on
as a crawl runs it by default (SEEDCHECK_WARC_WRITER=auto: the records written by the writer
process on a machine with two CPUs), "inline" with it on and the writer in the crawl's own
process. Crawls alternate plain/warc/inline for `--runs` rounds and the best rate of each is
kept; peak RSS is the crawl process's `ru_maxrss`; "writer CPU" is the writer process's CPU
time (the crawl's reaped children). The last output line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOST = "bench.test"
MODES = ("plain", "warc", "inline")
PAGE_KB = 50


# The server: asyncio, keep-alive, one distinct page per path, built from the test pages.
def page_bodies() -> list[bytes]:
    from tests import pages

    shapes = [pages.moscow_times_page, pages.nbc_page, pages.telegraph_page, pages.wordpress_page]
    bodies = []
    for i in range(len(shapes) * len(pages.ARTICLES)):
        html = shapes[i % 4](pages.ARTICLES[i % len(pages.ARTICLES)]).encode()
        # Comment threads pad a page to the ~50 KB of a real article page.
        pad = b"".join(b'<li class="comment"><p>%s</p></li>\n' % line.encode()
                       for line in pages.ARTICLES[i % 3].paragraphs)
        while len(html) < PAGE_KB * 1024:
            html = html.replace(b"</body>", b"<ol>" + pad + b"</ol></body>", 1)
        bodies.append(html)
    return bodies


async def serve(log_path: Path | None = None) -> None:
    """Serve until SIGTERM; with `log_path`, one line per request: host, arrival time, path."""
    bodies = page_bodies()
    log = open(log_path, "w", buffering=1 << 16) if log_path else None  # noqa: SIM115

    def body(path: bytes) -> bytes:
        if path == b"/robots.txt":
            return b"User-agent: *\nAllow: /\n"
        number = int(path.rsplit(b"/", 1)[-1] or 0) if path.startswith(b"/page/") else 0
        # Distinct bytes per page, so every page is a full response, never a revisit.
        marker = b"<!-- page %d --><p>Page %d of the benchmark.</p></body>" % (number, number)
        return bodies[number % len(bodies)].replace(b"</body>", marker, 1)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1]
                if log is not None:
                    log.write(f"{request_host(head)} {time.time():.6f} {path.decode()}\n")
                data = body(path)
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                             b"Content-Length: %d\r\n\r\n%s" % (len(data), data))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=256)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await stop.wait()
    if log is not None:
        log.close()


def request_host(head: bytes) -> str:
    """The Host header's name, without the port."""
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"host":
            return value.strip().decode("latin-1").rsplit(":", 1)[0]
    return ""


# One crawl, in a child process (Twisted's reactor runs once per process).
def crawl(mode: str, pages: int, port: int, out: Path, overrides: list[str]) -> None:
    from scrapy import Request, Spider, signals
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    class BenchSpider(Spider):
        name = "bench"

        async def start(self):
            for i in range(pages):
                yield Request(f"http://{HOST}:{port}/page/{i}", callback=self.parse)

        def parse(self, response):
            return None

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.setdict({
        "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "LOG_LEVEL": "WARNING",
        "SEEDCHECK_HOSTS": {HOST: "127.0.0.1"},
        "SEEDCHECK_WARC_ENABLED": mode != "plain", "SEEDCHECK_WARC_DIR": str(out / "warcs"),
        "SEEDCHECK_CRAWL_ID": "bench",
    }, priority="cmdline")
    for item in overrides:
        name, _, value = item.partition("=")
        settings.set(name, value, priority="cmdline")
    if mode == "inline":
        settings.set("SEEDCHECK_WARC_WRITER", "inline", priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BenchSpider)
    cpu: list[float] = []  # CPU seconds of this process at spider open and close

    def mark() -> None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu.append(usage.ru_utime + usage.ru_stime)

    crawler.signals.connect(mark, signal=signals.spider_opened)
    crawler.signals.connect(mark, signal=signals.spider_closed)
    process.crawl(crawler)
    process.start()
    stats = crawler.stats.get_stats()
    warcs = sorted((out / "warcs").glob("*.warc.gz")) if mode != "plain" else []
    writer = resource.getrusage(resource.RUSAGE_CHILDREN)   # the writer process, reaped
    print(json.dumps({
        "writer_cpu_seconds": writer.ru_utime + writer.ru_stime,
        "pages": stats.get("response_received_count", 0) - stats.get("robotstxt/response_count", 0),
        "seconds": stats["elapsed_time_seconds"],
        "cpu_seconds": cpu[-1] - cpu[0],
        "warc_bytes": sum(p.stat().st_size for p in warcs),
        "warc_files": len(warcs),
    }))


def run_child(mode: str, pages: int, port: int, overrides: list[str]) -> dict:
    out = Path(tempfile.mkdtemp(prefix=f"bench-crawl-{mode}-"))
    try:
        args = [sys.executable, __file__, "--child", mode, "--pages", str(pages),
                "--port", str(port), "--out", str(out)]
        for item in overrides:
            args += ["-s", item]
        child = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        output = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode:
            raise SystemExit(f"{mode} crawl failed with status {child.returncode}")
        result = json.loads(output.strip().splitlines()[-1])
        result["rate"] = result["pages"] / result["seconds"]
        result["cpu_ms"] = 1000 * result["cpu_seconds"] / result["pages"]
        result["writer_cpu_ms"] = 1000 * result["writer_cpu_seconds"] / result["pages"]
        result["rss_mb"] = usage.ru_maxrss / 1024  # Linux: KiB
        return result
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("-s", dest="overrides", action="append", default=[],
                        metavar="NAME=VALUE", help="setting for both crawls")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--log", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve(args.log))
        return
    if args.child:
        crawl(args.child, args.pages, args.port, args.out, args.overrides)
        return

    server = subprocess.Popen([sys.executable, __file__, "--serve"], stdout=subprocess.PIPE,
                              text=True)
    try:
        port = int(server.stdout.readline())
        results: dict[str, list[dict]] = {mode: [] for mode in MODES}
        for round_ in range(args.runs):
            for mode in MODES:
                result = run_child(mode, args.pages, port, args.overrides)
                results[mode].append(result)
                print(f"round {round_ + 1} {mode:6}: {result['pages']} pages in "
                      f"{result['seconds']:.2f} s = {result['rate']:.1f} pages/s, "
                      f"{result['cpu_ms']:.3f} CPU ms/page (writer process "
                      f"{result['writer_cpu_ms']:.3f}), peak RSS {result['rss_mb']:.0f} MB",
                      flush=True)
    finally:
        server.terminate()
        server.wait()
    print_figures(args.pages, results)


def median_ratio(results: dict[str, list[dict]], mode: str) -> float:
    pairs = zip(results[mode], results["plain"], strict=True)
    return statistics.median(r["rate"] / p["rate"] for r, p in pairs)


def print_figures(pages: int, results: dict[str, list[dict]]) -> None:
    best = {mode: max(r["rate"] for r in runs) for mode, runs in results.items()}
    # CPU per page of the crawl process: the cost measure that other load on the machine
    # disturbs least (wall-clock rates on a shared machine swing by 30%).
    cpu = {mode: min(r["cpu_ms"] for r in runs) for mode, runs in results.items()}
    last = results["warc"][-1]
    figures = {
        "pages": pages,
        "plain_pages_per_s": round(best["plain"], 1),
        "warc_pages_per_s": round(best["warc"], 1),
        "ratio": round(best["warc"] / best["plain"], 3),
        "inline_pages_per_s": round(best["inline"], 1),
        "inline_ratio": round(best["inline"] / best["plain"], 3),
        # each round's own ratio, the median of them: the figure a drifting machine moves least
        "round_ratio_median": round(median_ratio(results, "warc"), 3),
        "inline_round_ratio_median": round(median_ratio(results, "inline"), 3),
        "plain_cpu_ms_per_page": round(cpu["plain"], 3),
        "warc_cpu_ms_per_page": round(cpu["warc"], 3),
        "writer_cpu_ms_per_page": round(min(r["writer_cpu_ms"] for r in results["warc"]), 3),
        "inline_cpu_ms_per_page": round(cpu["inline"], 3),
        "cpu_ratio": round(cpu["plain"] / cpu["warc"], 3),
        "peak_rss_mb": round(max(r["rss_mb"] for r in results["warc"]), 1),
        "plain_peak_rss_mb": round(max(r["rss_mb"] for r in results["plain"]), 1),
        "warc_kb_per_page": round(last["warc_bytes"] / max(last["pages"], 1) / 1024, 1),
        "warc_files": last["warc_files"],
    }
    print(f"plain Scrapy: {best['plain']:.1f} pages/s; with WARC writing: {best['warc']:.1f} "
          f"pages/s, ratio {figures['ratio']:.3f} (cost {1 - figures['ratio']:.1%}); with the "
          f"writer inline: {best['inline']:.1f} pages/s, ratio {figures['inline_ratio']:.3f}; "
          f"median of the rounds' ratios {figures['round_ratio_median']:.3f} (inline "
          f"{figures['inline_round_ratio_median']:.3f}); "
          f"crawl CPU per page {cpu['plain']:.3f} -> {cpu['warc']:.3f} ms (+ writer process "
          f"{figures['writer_cpu_ms_per_page']:.3f} ms), inline {cpu['inline']:.3f} ms; "
          f"peak RSS {figures['peak_rss_mb']} MB")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
