"""The compare page's latency on a large database, next to Datasette's own row page.

    .venv/bin/python bench/compare_page.py [--seeds 20000] [--requests 400] [--data DIR]

Writes N seeds with their archived originals (`bench/corpus.py`: most faithful, every 5th
altered, every 7th padded with comments, every 10th with an older archived capture that differs,
every 50th gone), builds the database with `seedcheck build`, starts a real `seedcheck serve`
and asks, in the same run and interleaved so a busy machine weighs on both alike:
- the compare page `/-/seedcheck/seed/ID` (with its differences-first view, the seed's own
  findings, the citation line) of randomly chosen seeds;
- the baseline: Datasette's own row page of the same seed, `/seedcheck/seeds/ID`;
- the seed's JSON report `/-/seedcheck/seed/ID.json`.
One request at a time over HTTP on 127.0.0.1, after a warm-up; it prints p50/p95/max in ms
and, last, one JSON line. `--data DIR` reuses (or keeps) the built data there.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import corpus  # noqa: E402
from tests.browser import start_server, stop_server  # noqa: E402

BIN = Path(sys.executable).parent


def build(folder: Path, count: int) -> float:
    """Write the corpus and build it (skipped when a database is there); build seconds."""
    data, seeds = folder / "data", folder / "seeds"
    if (data / "seedcheck.db").exists():
        return 0.0
    started = time.perf_counter()
    corpus.write(data, seeds, count)
    print(f"corpus: {count} seeds written in {time.perf_counter() - started:.1f} s", flush=True)
    started = time.perf_counter()
    result = subprocess.run([str(BIN / "seedcheck"), "build", "--data", str(data), "--seeds",
                             str(seeds)], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(result.stdout + result.stderr)
    return time.perf_counter() - started


def fetch(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        assert response.status == 200, url
    return (time.perf_counter() - started) * 1000


def summary(times: list[float]) -> dict:
    ordered = sorted(times)
    return {"p50_ms": round(statistics.median(ordered), 1),
            "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1], 1),
            "max_ms": round(ordered[-1], 1), "n": len(ordered)}


def measure(base: str, count: int, requests: int) -> dict[str, dict]:
    rng = random.Random(17)
    kinds = {"compare page": "/-/seedcheck/seed/{}", "datasette row page (baseline)":
             "/seedcheck/seeds/{}", "json report": "/-/seedcheck/seed/{}.json"}
    for n in range(20):                                       # warm-up: caches, threads
        for path in kinds.values():
            fetch(base + path.format(f"seed{n:06d}"))
    times: dict[str, list[float]] = {k: [] for k in kinds}
    for _ in range(requests):
        seed = f"seed{rng.randrange(count):06d}"
        for kind, path in rng.sample(list(kinds.items()), len(kinds)):
            times[kind].append(fetch(base + path.format(seed)))
    return {kind: summary(found) for kind, found in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--data", type=Path, help="folder to build in, or to reuse")
    args = parser.parse_args()
    folder = args.data or Path(tempfile.mkdtemp(prefix="seedcheck-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    seconds = build(folder, args.seeds)
    if seconds:
        print(f"build: {seconds:.1f} s", flush=True)
    base, process = start_server(folder / "data", timeout=120)
    try:
        figures = measure(base, args.seeds, args.requests)
    finally:
        stop_server(process)
    for kind, found in figures.items():
        print(f"{kind:<32} p50 {found['p50_ms']:7.1f} ms  p95 {found['p95_ms']:7.1f} ms  "
              f"max {found['max_ms']:7.1f} ms  ({found['n']} requests)")
    print(json.dumps({"seeds": args.seeds, "build_s": round(seconds, 1), **{
        k.split(" (")[0].replace(" ", "_"): v for k, v in figures.items()}}))


if __name__ == "__main__":
    main()
