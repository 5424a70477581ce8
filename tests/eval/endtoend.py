"""The end-to-end evaluation: pages served, crawled, built and compared with known seeds.

`run(keys, work)` serves the pages of these articles (`tests.eval.pages`) from
`tests.webserver` as `news.test`, writes the seeds and their manifest, runs a real
`seedcheck crawl` and `seedcheck build`, and reads back each seed's verdict (its best match's).
`figures(results)` sums them up: right, faithful called altered, unchecked.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import yaml

from tests.eval.pages import SeedCase, page_html, seed_cases
from tests.webserver import WebServer

BIN = Path(sys.executable).parent
SETTINGS = {
    "DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "0", "DOWNLOAD_TIMEOUT": "10",
    "RETRY_TIMES": "1", "SEEDCHECK_ARCHIVES": "[]", "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
}


def run(keys: list[str], work: Path) -> list[tuple[SeedCase, str, str]]:
    """(case, verdict, reason) of every seed; verdict "unchecked" when it has no comparison."""
    cases = seed_cases(keys)
    seeds, data = work / "seeds", work / "data"
    seeds.mkdir(parents=True)
    data.mkdir()
    with WebServer(routes={}) as server:
        for key in keys:
            server.set_page(f"/{key}", page_html(key))
        entries = []
        for case in cases:
            (seeds / f"{case.name}.txt").write_text(case.text + "\n", encoding="utf-8")
            entries.append({"file": f"{case.name}.txt", "originals": [
                {"url": server.url(case.path), "role": "original", "confidence": "given"}]})
        (seeds / "seeds.yml").write_text(yaml.safe_dump({"seeds": entries}), encoding="utf-8")
        command = [str(BIN / "seedcheck"), "crawl", "--seeds", str(seeds), "--data", str(data),
                   "--resolve", "news.test:127.0.0.1"]
        for name, value in SETTINGS.items():
            command += ["-s", f"{name}={value}"]
        _run(command)
    _run([str(BIN / "seedcheck"), "build", "--seeds", str(seeds), "--data", str(data),
          "--workers", "0"])
    return _verdicts(cases, data / "seedcheck.db")


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", "")})
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:2])} failed: {done.stderr[-2000:]}")


def _verdicts(cases: list[SeedCase], db: Path) -> list[tuple[SeedCase, str, str]]:
    conn = sqlite3.connect(db)
    rows = {seed: (verdict, reason) for seed, verdict, reason in conn.execute(
        "SELECT seed_id, verdict, reason FROM comparisons ORDER BY best")}
    conn.close()
    out = []
    for case in cases:
        verdict, reason = rows.get(case.name, ("unchecked", "no comparison"))
        if verdict not in ("faithful", "excerpt", "padded", "altered", "different"):
            verdict = "unchecked"
        out.append((case, verdict, reason or ""))
    return out


def figures(results: list[tuple[SeedCase, str, str]]) -> dict:
    by_kind: dict[str, list[int]] = {}
    for case, verdict, _ in results:
        row = by_kind.setdefault(case.kind, [0, 0])
        row[0] += 1
        row[1] += verdict == case.verdict
    faithful = [v for c, v, _ in results if c.verdict == "faithful"]
    checkable = [v for c, v, _ in results if c.verdict != "different"]
    counts = Counter(v for _, v, _ in results)
    return {
        "seeds": len(results),
        "right": sum(v == c.verdict for c, v, _ in results) / len(results),
        "faithful_called_altered": faithful.count("altered") / max(1, len(faithful)),
        "unchecked": checkable.count("unchecked") / max(1, len(checkable)),
        "by_kind": {k: (n, ok / n) for k, (n, ok) in by_kind.items()},
        "verdicts": dict(counts),
    }
