"""Build throughput: `seedcheck build` over N archived pages, next to plain trafilatura.

    .venv/bin/python bench/build.py [--pages 2000] [--workers N] [--runs 2] [--keep DIR]

Writes N distinct publisher-shaped article pages (~45-50 KB each, from tests/pages.py) into
WARCs with the project's own writer, and three seeds whose originals are some of those pages.
Then, in the same run:
- plain `trafilatura.extract` over the same N pages, one process (the baseline rate);
- a full `seedcheck build` in a subprocess (wall time, including interpreter start-up);
- a second build with nothing new (incremental: everything reused).
The machine may be shared: the rounds alternate baseline and builds, and the best of each is
kept. Peak RSS is the largest `ru_maxrss` of the build process and of its worker processes.
CPU time per page (all the build's processes; the baseline's) does not depend on how busy the
machine is. The last output line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEEDS_PER_ARTICLE = 5         # originals per seed (captures compared with it)
WARC_SIZE = 40_000_000        # rotate WARC files at this size, as a long crawl would

# Runs one build in its own process and reports its time and peak memory (own and workers').
RUNNER = """
import json, resource, sys, time
from pathlib import Path
from archive.build.builder import BuildOptions, build
started = time.monotonic()
workers = None if sys.argv[3] == "all" else int(sys.argv[3])
summary = build(BuildOptions(data_dir=Path(sys.argv[1]), seeds_dir=Path(sys.argv[2]),
                             workers=workers))
me = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
own, workers_rss = me.ru_maxrss, kids.ru_maxrss
cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
print(json.dumps({"build_s": time.monotonic() - started, "own_rss_kb": own, "cpu_s": cpu,
                  "workers_rss_kb": workers_rss, "extracted": summary.extracted,
                  "reused_texts": summary.reused_texts, "compared": summary.compared,
                  "captures": summary.captures, "problems": len(summary.problems),
                  "timings": summary.timings}))
"""


def page(n: int) -> tuple[str, str]:
    """The n-th page: (URL, HTML), distinct from every other: own title, URL, paragraph order."""
    from tests import pages

    shapes = (pages.moscow_times_page, pages.nbc_page, pages.telegraph_page, pages.wordpress_page)
    article = pages.ARTICLES[n % len(pages.ARTICLES)]
    turn = n % len(article.paragraphs)
    variant = replace(article, slug=f"{article.slug}-{n}",
                      paragraphs=article.paragraphs[turn:] + article.paragraphs[:turn])
    shape = shapes[(n // len(pages.ARTICLES)) % len(shapes)]
    url = f"https://bench{n % 7}.test/{variant.slug}"
    return url, shape(variant, url=url)


def write_archive(data: Path, count: int) -> None:
    from archive.warc.writer import Exchange, WarcConfig, WarcWriter

    warcs = data / "warcs"
    warcs.mkdir(parents=True)
    start = datetime(2026, 11, 21, tzinfo=UTC)
    config = WarcConfig(directory=warcs, prefix="bench", max_size=WARC_SIZE)
    with WarcWriter(config) as writer:
        for n in range(count):
            url, html = page(n)
            writer.write(Exchange(
                url=url, date=start + timedelta(seconds=n), method="GET",
                request_headers=[("Host", url.split("/")[2]), ("User-Agent", "seedcheck-bench")],
                request_body=b"", protocol="HTTP/1.1", status=200, reason="OK",
                response_headers=[("Content-Type", "text/html; charset=utf-8")],
                body=html.encode(), ip_address="127.0.0.1"))


def write_seeds(folder: Path, count: int) -> None:
    """One seed per test article; its originals are the first pages made from that article."""
    from tests import pages

    folder.mkdir(parents=True)
    entries = []
    for index, article in enumerate(pages.ARTICLES):
        name = f"seed{index}.txt"
        body = "\n\n".join(article.blocks())
        (folder / name).write_text(f"# {article.title}\n\nBy {article.author}\n\n{body}\n")
        urls = [page(n)[0] for n in range(index, count, len(pages.ARTICLES))][:SEEDS_PER_ARTICLE]
        entries.append(f"  - file: {name}\n    originals:\n" + "".join(
            f"      - url: {url}\n        role: original\n" for url in urls))
    (folder / "seeds.yml").write_text("seeds:\n" + "".join(entries))


def trafilatura_rate(count: int) -> tuple[float, float]:
    """Pages per second of plain `trafilatura.extract` in this process (extraction time only),
    and its CPU milliseconds per page."""
    import trafilatura

    spent = cpu = 0.0
    for n in range(count):
        html = page(n)[1]
        started, started_cpu = time.perf_counter(), time.process_time()
        trafilatura.extract(html)
        spent += time.perf_counter() - started
        cpu += time.process_time() - started_cpu
    return count / spent, cpu * 1000 / count


def run_build(data: Path, seeds: Path, workers: str) -> dict:
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", RUNNER, str(data), str(seeds), workers],
                            capture_output=True, text=True, cwd=ROOT, check=False)
    if result.returncode != 0:
        raise SystemExit(f"build failed:\n{result.stderr}")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["wall_s"] = time.monotonic() - started
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--workers", default="all", help="worker processes, or 'all' (default)")
    parser.add_argument("--runs", type=int, default=2, help="rounds; the best of each is kept")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="seedcheck-bench-build-"))
    data, seeds = work / "data", work / "seeds"
    shutil.rmtree(data, ignore_errors=True)
    shutil.rmtree(seeds, ignore_errors=True)
    try:
        started = time.monotonic()
        write_archive(data, args.pages)
        write_seeds(seeds, args.pages)
        size = sum(p.stat().st_size for p in (data / "warcs").iterdir())
        print(f"{args.pages} pages written in {time.monotonic() - started:.1f} s "
              f"({size / 1e6:.0f} MB of WARC); {os.cpu_count()} cores")
        baseline, base_cpu, full, again = 0.0, 0.0, None, None
        for round_ in range(1, args.runs + 1):   # alternate, keep the best of each (shared CPUs)
            rate, cpu = trafilatura_rate(args.pages)
            if rate > baseline:
                baseline, base_cpu = rate, cpu
            (data / "seedcheck.db").unlink(missing_ok=True)
            first = run_build(data, seeds, args.workers)
            second = run_build(data, seeds, args.workers)
            print(f"round {round_}: trafilatura {baseline:.0f} pages/s (best so far), full build "
                  f"{first['wall_s']:.2f} s, incremental {second['wall_s']:.2f} s")
            full = first if full is None or first["wall_s"] < full["wall_s"] else full
            again = second if again is None or second["wall_s"] < again["wall_s"] else again
        rate = args.pages / full["wall_s"]
        print(f"trafilatura.extract, one process: {baseline:.0f} pages/s")
        print(f"full build: {full['wall_s']:.2f} s, {rate:.0f} pages/s "
              f"({rate / baseline:.2f}x trafilatura), {full['extracted']} extracted, "
              f"{full['compared']} comparisons, {full['problems']} problems")
        print(f"incremental build (nothing new): {again['wall_s']:.2f} s "
              f"({again['wall_s'] / full['wall_s']:.1%} of full), "
              f"{again['extracted']} extracted, {again['reused_texts']} reused")
        peak = max(full["own_rss_kb"], full["workers_rss_kb"]) / 1024
        build_cpu = full["cpu_s"] * 1000 / args.pages
        print(f"CPU per page (all processes): build {build_cpu:.2f} ms, "
              f"trafilatura {base_cpu:.2f} ms")
        phases = ", ".join(f"{k} {v:.2f} s" for k, v in full["timings"].items())
        print(f"full build phases: {phases} (the rest: start-up, seeds, logs, swap)")
        print(f"peak RSS: build process {full['own_rss_kb'] / 1024:.0f} MB, "
              f"largest worker {full['workers_rss_kb'] / 1024:.0f} MB")
        print(json.dumps({
            "pages": args.pages, "build_pages_per_s": round(rate, 1),
            "trafilatura_pages_per_s": round(baseline, 1), "ratio": round(rate / baseline, 2),
            "incremental_s": round(again["wall_s"], 2), "full_s": round(full["wall_s"], 2),
            "peak_rss_mb": round(peak, 1), "build_cpu_ms_per_page": round(build_cpu, 2),
            "trafilatura_cpu_ms_per_page": round(base_cpu, 2),
        }))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
