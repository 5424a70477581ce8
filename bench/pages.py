"""The seedcheck pages of a large database under 50 clients: home (paginated), compare, search.

    .venv/bin/python bench/pages.py --data DIR [--clients 50] [--seconds 30] [--think 1.0]
                                    [--distinct 2000]

DIR is a built data folder, e.g. one kept by `bench/build.py --seeds 10000 --keep K` (then
DIR is K/10000/data). A real `seedcheck serve` answers on a free port. In the same run:
- the baseline, a server with the page cache off (`SEEDCHECK_PAGE_CACHE_MB=0`): idle (one
  client asks for each page in turn, nothing else running), then loaded: `--clients` clients,
  each asking for a page, reading it, waiting `--think` seconds (exponentially distributed, as
  people reading pages do), and asking again; `--think 0` makes every client ask as fast as
  the server answers (saturation);
- a new server with the page cache on (its default bound), loaded the same way twice: "cold"
  starts with an empty cache and asks for the very pages the baseline asked for, in the same
  order; "warm" follows on the same server with the clients' next choices. Each request's
  `X-Seedcheck-Cache` header tells a hit from a miss; both are reported apart.
The pages, drawn uniformly from `--distinct` random seeds (the same for every phase): the home
page at the seed's place in the list (`?after=`), the seed's compare page, and a search for
words of its title (two common words and its number, as a name would be). Times are
wall-clock per request as a client sees it, p50 / p95 / max in ms; the target is p95 under
100 ms. The clients run in this process and share the machine's cores with the server. The
last output line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
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


CACHE = "X-Seedcheck-Cache"


def fetch(url: str) -> tuple[int, float, int, str]:
    """(status, seconds, bytes, cache state: hit, miss or off) of one GET."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            size = len(response.read())
            status, state = response.status, response.headers.get(CACHE) or "off"
    except urllib.error.HTTPError as error:
        size = len(error.read())
        status, state = error.code, error.headers.get(CACHE) or "off"
    return status, time.perf_counter() - started, size, state


def samples(database: Path, count: int) -> dict[str, list[str]]:
    """Paths of each kind, drawn from the database at random (the same for every phase)."""
    conn = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    rng = random.Random(16)
    total = conn.execute("select count(*) from seeds").fetchone()[0]
    picked = [conn.execute("select id, title from seeds limit 1 offset ?",
                           [n]).fetchone() for n in rng.sample(range(total), min(count, total))]
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
            status, seconds, _, _ = fetch(base + paths[kind][n % len(paths[kind])])
            assert status == 200, (kind, status)
            times[kind].append(seconds * 1000)
    return times


def loaded(base: str, paths: dict[str, list[str]], clients: int, seconds: float,
           think: float, seed: int) -> tuple[dict[str, list[float]], dict[int, int], float]:
    """Times per kind, and per kind and cache state ("home hit"), while `clients` clients ask
    for pages; statuses; requests per second. The same `seed` asks for the same pages."""
    times: dict[str, list[float]] = defaultdict(list)
    statuses: dict[int, int] = defaultdict(int)
    stop = threading.Event()

    def client(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        while not stop.is_set():
            kind = KINDS[rng.randrange(len(KINDS))]
            status, spent, _, state = fetch(base + rng.choice(paths[kind]))
            times[kind].append(spent * 1000)
            if state != "off":
                times[f"{kind} {state}"].append(spent * 1000)
                times[state].append(spent * 1000)
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
    return times, dict(statuses), sum(len(times[kind]) for kind in KINDS) / spent


def figures(times: list[float]) -> dict:
    ordered = sorted(times)
    if not ordered:
        return {"n": 0}
    return {"n": len(ordered), "p50": round(statistics.median(ordered), 1),
            "p95": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 1),
            "max": round(ordered[-1], 1)}


def serving(data: Path, cache_mb: str | None):
    """`seedcheck serve` on `data` with the page cache bound `cache_mb` (None: its default)."""
    os.environ.pop("SEEDCHECK_PAGE_CACHE_MB", None)
    if cache_mb is not None:
        os.environ["SEEDCHECK_PAGE_CACHE_MB"] = cache_mb
    return start_server(data, timeout=120)


def report(label: str, times: dict[str, list[float]], rate: float, statuses: dict) -> dict:
    print(f"{label}: {rate:.1f} requests/s, statuses {statuses}")
    found: dict = {"requests_per_s": round(rate, 1), "statuses": statuses}
    for name in sorted(times, key=lambda n: (n not in KINDS, n)):
        found[name] = figures(times[name])
        f = found[name]
        print(f"  {name:14} p50 {f['p50']:7.1f} ms  p95 {f['p95']:7.1f} ms  max {f['max']:7.1f} ms"
              f"  ({f['n']} requests)")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="a built data folder")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between pages")
    parser.add_argument("--rounds", type=int, default=30, help="idle requests per kind")
    parser.add_argument("--distinct", type=int, default=2000, help="seeds the pages come from")
    args = parser.parse_args()
    database = args.data / "seedcheck.db"
    seeds = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True).execute(
        "select count(*) from seeds").fetchone()[0]
    paths = samples(database, args.distinct)
    result: dict = {"seeds": seeds, "clients": args.clients, "think_s": args.think,
                    "distinct_seeds": len(paths["compare"]), "bytes": {}}
    print(f"{seeds} seeds; {args.clients} clients, think {args.think} s, pages of "
          f"{len(paths['compare'])} seeds")
    base, process = serving(args.data, "0")
    try:
        for kind in KINDS:
            result["bytes"][kind] = fetch(base + paths[kind][1])[2]
        quiet = idle(base, paths, args.rounds)
        result["idle, no cache"] = report("idle, no cache", quiet, 0.0, {})
        busy, statuses, rate = loaded(base, paths, args.clients, args.seconds, args.think, 1)
        result["no cache"] = report("no cache (baseline)", busy, rate, statuses)
    finally:
        stop_server(process)
    base, process = serving(args.data, None)
    try:
        for seed, phase in ((1, "cache cold"), (2, "cache warm")):   # cold: the baseline's pages
            busy, statuses, rate = loaded(base, paths, args.clients, args.seconds, args.think,
                                          seed)
            result[phase] = report(phase, busy, rate, statuses)
    finally:
        stop_server(process)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
