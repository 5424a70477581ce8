"""Build throughput: `seedcheck build` over N archived pages, next to plain trafilatura.

    .venv/bin/python bench/build.py [--pages 2000] [--workers N] [--runs 2] [--keep DIR]
                                    [--baseline-tree DIR]
    .venv/bin/python bench/build.py --seeds 1000,10000,100000 [--keep DIR]

`--seeds`: the scale bench. For each N, N seeds with their pages (`bench/corpus.py`), a full
build and a rebuild with nothing changed; time and CPU per seed, peak RSS, phases. With
`--keep`, the last database stays for `bench/pages.py`.

`--baseline-tree DIR`: a checkout of an older commit (`git archive 9958edf | tar -x -C DIR`);
its build runs on the same pages in the same rounds, and both are printed.

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
try:
    from archive.build.builder import BuildOptions, build
except ImportError:   # a tree from before the layout of sub-packages (--baseline-tree)
    from archive.build import BuildOptions, build
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


def run_build(data: Path, seeds: Path, workers: str, tree: Path = ROOT) -> dict:
    started = time.monotonic()
    env = {**os.environ, "PYTHONPATH": str(tree)}
    result = subprocess.run([sys.executable, "-c", RUNNER, str(data), str(seeds), workers],
                            capture_output=True, text=True, cwd=tree, check=False, env=env)
    if result.returncode != 0:
        raise SystemExit(f"build failed:\n{result.stderr}")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["wall_s"] = time.monotonic() - started
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--seeds", help="scale bench: comma-separated seed counts")
    parser.add_argument("--workers", default="all", help="worker processes, or 'all' (default)")
    parser.add_argument("--runs", type=int, default=2, help="rounds; the best of each is kept")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    parser.add_argument("--baseline-tree", type=Path, help="an older checkout to compare with")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="seedcheck-bench-build-"))
    try:
        if args.seeds:
            for count in (int(c) for c in args.seeds.split(",")):
                scale(work, count, args.workers)
        else:
            pages_bench(work, args)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


def pages_bench(work: Path, args: argparse.Namespace) -> None:
    data, seeds = work / "data", work / "seeds"
    shutil.rmtree(data, ignore_errors=True)
    shutil.rmtree(seeds, ignore_errors=True)
    started = time.monotonic()
    write_archive(data, args.pages)
    write_seeds(seeds, args.pages)
    size = sum(p.stat().st_size for p in (data / "warcs").iterdir())
    print(f"{args.pages} pages written in {time.monotonic() - started:.1f} s "
          f"({size / 1e6:.0f} MB of WARC); {os.cpu_count()} cores")
    trees = {"this tree": ROOT} | ({"baseline": args.baseline_tree} if args.baseline_tree else {})
    baseline, base_cpu = 0.0, 0.0
    best: dict[str, tuple[dict, dict]] = {}
    for round_ in range(1, args.runs + 1):   # alternate, keep the best of each (shared CPUs)
        rate, cpu = trafilatura_rate(args.pages)
        if rate > baseline:
            baseline, base_cpu = rate, cpu
        for name, tree in trees.items():
            (data / "seedcheck.db").unlink(missing_ok=True)
            first = run_build(data, seeds, args.workers, tree)
            second = run_build(data, seeds, args.workers, tree)
            print(f"round {round_} ({name}): trafilatura {baseline:.0f} pages/s (best so far), "
                  f"full build {first['wall_s']:.2f} s, incremental {second['wall_s']:.2f} s")
            full, again = best.get(name, (first, second))
            best[name] = (min(full, first, key=lambda f: f["wall_s"]),
                          min(again, second, key=lambda f: f["wall_s"]))
    print(f"trafilatura.extract, one process: {baseline:.0f} pages/s")
    figures = {"pages": args.pages, "trafilatura_pages_per_s": round(baseline, 1),
               "trafilatura_cpu_ms_per_page": round(base_cpu, 2)}
    for name, (full, again) in best.items():
        figures[name] = report(name, args.pages, full, again, baseline)
    print(json.dumps(figures))


def report(name: str, pages: int, full: dict, again: dict, baseline: float) -> dict:
    """Print one tree's best full and incremental build; its figures."""
    rate = pages / full["wall_s"]
    print(f"{name}: full build {full['wall_s']:.2f} s, {rate:.0f} pages/s "
          f"({rate / baseline:.2f}x trafilatura), {full['extracted']} extracted, "
          f"{full['compared']} comparisons, {full['problems']} problems")
    print(f"{name}: incremental build (nothing new) {again['wall_s']:.2f} s "
          f"({again['wall_s'] / full['wall_s']:.1%} of full), "
          f"{again['extracted']} extracted, {again['reused_texts']} reused")
    peak = max(full["own_rss_kb"], full["workers_rss_kb"]) / 1024
    cpu = full["cpu_s"] * 1000 / pages
    phases = ", ".join(f"{k} {v:.2f} s" for k, v in full["timings"].items())
    print(f"{name}: CPU per page (all processes) {cpu:.2f} ms; phases: {phases}; peak RSS: "
          f"build process {full['own_rss_kb'] / 1024:.0f} MB, largest worker "
          f"{full['workers_rss_kb'] / 1024:.0f} MB")
    return {"build_pages_per_s": round(rate, 1), "ratio": round(rate / baseline, 2),
            "full_s": round(full["wall_s"], 2), "incremental_s": round(again["wall_s"], 2),
            "peak_rss_mb": round(peak, 1), "build_cpu_ms_per_page": round(cpu, 2)}


def scale(work: Path, count: int, workers: str) -> None:
    """N seeds with their pages: a full build and a nothing-changed rebuild, per seed."""
    from bench import corpus

    data, seeds = work / f"{count}" / "data", work / f"{count}" / "seeds"
    shutil.rmtree(data.parent, ignore_errors=True)
    started = time.monotonic()
    records = corpus.write(data, seeds, count)
    print(f"{count} seeds, {records} records written in {time.monotonic() - started:.1f} s")
    full = run_build(data, seeds, workers)
    again = run_build(data, seeds, workers)
    peak = max(full["own_rss_kb"], full["workers_rss_kb"]) / 1024
    phases = ", ".join(f"{k} {v:.1f} s" for k, v in full["timings"].items())
    print(f"{count} seeds: full build {full['wall_s']:.1f} s "
          f"({full['wall_s'] * 1000 / count:.2f} ms/seed, CPU {full['cpu_s'] * 1000 / count:.2f} "
          f"ms/seed), {full['compared']} comparisons; rebuild with nothing changed "
          f"{again['wall_s']:.1f} s ({again['wall_s'] / full['wall_s']:.1%} of full); peak RSS "
          f"{full['own_rss_kb'] / 1024:.0f} MB (build), {full['workers_rss_kb'] / 1024:.0f} MB "
          f"(largest worker), rebuild {again['own_rss_kb'] / 1024:.0f} MB; phases: {phases}")
    print(json.dumps({
        "seeds": count, "records": records, "full_s": round(full["wall_s"], 1),
        "ms_per_seed": round(full["wall_s"] * 1000 / count, 2),
        "cpu_ms_per_seed": round(full["cpu_s"] * 1000 / count, 2),
        "rebuild_s": round(again["wall_s"], 1),
        "rebuild_share": round(again["wall_s"] / full["wall_s"], 3), "peak_rss_mb": round(peak, 1),
        "rebuild_rss_mb": round(again["own_rss_kb"] / 1024, 1), "timings": full["timings"],
        "rebuild_timings": again["timings"]}))


if __name__ == "__main__":
    main()
