"""The seedcheck pages of a large database under 50 clients: home (paginated), compare, search.

    .venv/bin/python bench/pages.py --data DIR [--clients 50] [--seconds 30] [--think 1.0]

DIR is a built data folder, e.g. one kept by `bench/build.py --seeds 100000 --keep K` (then
DIR is K/100000/data). A real `seedcheck serve` answers on a free port. In the same run:
- idle (the baseline): one client asks for each page in turn, nothing else running;
- loaded: `--clients` clients, each asking for a page, reading it, waiting `--think` seconds
  (exponentially distributed, as people reading pages do), and asking again; `--think 0`
  makes every client ask as fast as the server answers (saturation).
The pages: the home page at a random place in the seed list (`?after=`), the compare page of
a random seed, and a search for words of a random seed's title (two common words and its
number, as a name would be). Times are wall-clock per
request as a client sees it, p50 / p95 / max in ms; the target is p95 under 100 ms. The
clients run in this process and share the machine's cores with the server. The last output
line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import start_server, stop_server  # noqa: E402

KINDS = ("home", "compare", "search")


def fetch(url: str) -> tuple[int, float, int]:
    """(status, seconds, bytes) of one GET."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            size = len(response.read())
            status = response.status
    except urllib.error.HTTPError as error:
        size = len(error.read())
        status = error.code
    return status, time.perf_counter() - started, size


def samples(database: Path, count: int = 500) -> dict[str, list[str]]:
    """Paths of each kind, drawn from the database at random (the same for every phase)."""
    conn = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    rng = random.Random(16)
    total = conn.execute("select count(*) from seeds").fetchone()[0]
    picked = [conn.execute("select id, title from seeds limit 1 offset ?",
                           [rng.randrange(total)]).fetchone() for _ in range(count)]
    conn.close()
    paths: dict[str, list[str]] = {"home": ["/-/seedcheck"], "compare": [], "search": []}
    for seed_id, title in picked:
        paths["home"].append("/-/seedcheck?" + urlencode({"after": seed_id}))
        paths["compare"].append(f"/-/seedcheck/seed/{quote(seed_id, safe='')}")
        words = re.findall(r"\w+", title or "")
        query = " ".join(words[:2] + words[-1:])   # two common words and a rare one
        paths["search"].append("/-/seedcheck/search?" + urlencode({"q": query}))
    return paths


def idle(base: str, paths: dict[str, list[str]], rounds: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = defaultdict(list)
    for n in range(rounds):
        for kind in KINDS:
            status, seconds, _ = fetch(base + paths[kind][n % len(paths[kind])])
            assert status == 200, (kind, status)
            times[kind].append(seconds * 1000)
    return times


def loaded(base: str, paths: dict[str, list[str]], clients: int, seconds: float,
           think: float) -> tuple[dict[str, list[float]], dict[int, int], float]:
    """Times per kind while `clients` clients ask for pages; statuses; requests per second."""
    times: dict[str, list[float]] = defaultdict(list)
    statuses: dict[int, int] = defaultdict(int)
    stop = threading.Event()

    def client(number: int) -> None:
        rng = random.Random(number)
        while not stop.is_set():
            kind = KINDS[rng.randrange(len(KINDS))]
            status, spent, _ = fetch(base + rng.choice(paths[kind]))
            times[kind].append(spent * 1000)
            statuses[status] += 1
            if think:
                stop.wait(rng.expovariate(1 / think))

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    stop.wait(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    spent = time.monotonic() - started
    return times, dict(statuses), sum(len(t) for t in times.values()) / spent


def figures(times: list[float]) -> dict:
    ordered = sorted(times)
    return {"n": len(ordered), "p50": round(statistics.median(ordered), 1),
            "p95": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 1),
            "max": round(ordered[-1], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="a built data folder")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between pages")
    parser.add_argument("--rounds", type=int, default=30, help="idle requests per kind")
    args = parser.parse_args()
    database = args.data / "seedcheck.db"
    seeds = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True).execute(
        "select count(*) from seeds").fetchone()[0]
    paths = samples(database)
    sizes = {}
    base, process = start_server(args.data, timeout=120)
    try:
        for kind in KINDS:
            sizes[kind] = fetch(base + paths[kind][1])[2]
        quiet = idle(base, paths, args.rounds)
        busy, statuses, rate = loaded(base, paths, args.clients, args.seconds, args.think)
    finally:
        stop_server(process)
    result = {"seeds": seeds, "clients": args.clients, "think_s": args.think,
              "requests_per_s": round(rate, 1), "statuses": statuses}
    print(f"{seeds} seeds; {args.clients} clients, think {args.think} s: {rate:.1f} requests/s, "
          f"statuses {statuses}")
    for kind in KINDS:
        before, under = figures(quiet[kind]), figures(busy[kind])
        result[kind] = {"idle": before, "loaded": under, "bytes": sizes[kind]}
        print(f"{kind:8} ({sizes[kind] / 1024:.0f} KB): idle p50 {before['p50']} ms, p95 "
              f"{before['p95']} ms | {args.clients} clients p50 {under['p50']} ms, p95 "
              f"{under['p95']} ms, max {under['max']} ms ({under['n']} requests)")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
