"""The published archive under load: the seedcheck home page while six clients send the
heaviest queries the server allows.

    .venv/bin/python bench/serve.py [--requests 60] [--clients 6] [--keep DIR]

Builds the demo database (`seedcheck demo --no-serve`, offline), starts a real
`seedcheck serve` and, in the same run, measures the home page (`/-/seedcheck`) three ways:
- idle: nothing else asked of the server (the baseline);
- default: six clients repeating the heaviest requests a default server answers (facets over
  every column of `comparisons`, full-text search over `texts`, whole-table JSON pages);
- --sql: on a server started with `--sql`, six clients repeating arbitrary SQL at its bounds
  (a recursive CTE that only the time limit stops, a result over the byte budget, a
  300 MB zeroblob).
Times are wall-clock per request, from this process (which shares the machine's two cores
with the server and the clients). The server's peak RSS is its VmHWM after each phase. The
last output line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import start_server, stop_server  # noqa: E402
from tests.memory import tree_peak  # noqa: E402

BIN = Path(sys.executable).parent
HEAVY_DEFAULT = [
    "/seedcheck/comparisons?_facet=verdict&_facet=seed_id&_facet=url&_facet=source"
    "&_facet=role&_facet=captured_at&_sort_desc=coverage",
    "/seedcheck/texts.json?_search=the&_size=max&_shape=array",
    "/seedcheck/comparisons.json?_size=max&_shape=array",
    "/seedcheck/seeds.json?_size=max&_shape=array&_search=the",
]
HEAVY_SQL = [
    "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c",
    "with recursive c(x) as (select 1 union all select x + 1 from c where x < 1000) "
    "select x, (select group_concat(body, ' ') from (select body from seeds, "
    "(select 1 from c limit 40))) from c",
    "select zeroblob(300000000)",
]


def fetch(url: str) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    return status, time.perf_counter() - started


def home_times(base: str, count: int) -> list[float]:
    times = []
    for _ in range(count):
        status, seconds = fetch(f"{base}/-/seedcheck")
        assert status == 200, status
        times.append(seconds * 1000)
    return times


def under_load(base: str, urls: list[str], clients: int, count: int) -> tuple[list[float], Counter]:
    """Home page times while `clients` threads repeat `urls`; the statuses they got."""
    stop, statuses = threading.Event(), Counter()

    def client(offset: int) -> None:
        n = offset
        while not stop.is_set():
            statuses[fetch(base + urls[n % len(urls)])[0]] += 1
            n += 1

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(2)                      # every client has a heavy request in flight
    try:
        return home_times(base, count), statuses
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=120)


def summary(times: list[float]) -> dict:
    ordered = sorted(times)
    return {"p50": round(statistics.median(ordered), 1),
            "p95": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 1),
            "max": round(ordered[-1], 1)}


def demo_database(folder: Path) -> Path:
    data = folder / "demo"
    result = subprocess.run([str(BIN / "seedcheck"), "demo", "--data", str(data), "--no-serve"],
                            capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        sys.exit(f"seedcheck demo failed:\n{result.stdout}\n{result.stderr}")
    return data


def phase(data: Path, extra: tuple[str, ...], urls: list[str], args) -> dict:
    base, process = start_server(data, extra=extra)
    try:
        idle = home_times(base, args.requests)
        loaded, statuses = under_load(base, urls, args.clients, args.requests)
        return {"idle": summary(idle), "loaded": summary(loaded),
                "heavy_statuses": dict(statuses), "server_peak_mb": round(tree_peak(process.pid))}
    finally:
        stop_server(process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--keep", type=Path, help="Keep the demo data in this folder.")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="seedcheck-bench-serve-"))
    try:
        data = demo_database(folder)
        default = phase(data, (), HEAVY_DEFAULT, args)
        sql_urls = [f"/seedcheck.json?sql={quote(q)}&_shape=array" for q in HEAVY_SQL]
        with_sql = phase(data, ("--sql",), sql_urls, args)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    for name, figures in (("default", default), ("--sql", with_sql)):
        print(f"{name}: home idle p50 {figures['idle']['p50']} ms, p95 {figures['idle']['p95']} ms;"
              f" under {args.clients} heavy clients p50 {figures['loaded']['p50']} ms, "
              f"p95 {figures['loaded']['p95']} ms; heavy answers {figures['heavy_statuses']}; "
              f"server peak {figures['server_peak_mb']} MB")
    print(json.dumps({"requests": args.requests, "clients": args.clients,
                      "default": default, "sql": with_sql}))


if __name__ == "__main__":
    main()
