"""Single-process pages/s of `extract_payload` on a realistic ~50 KB page, next to plain
`trafilatura.extract` on the same page, measured in the same run.

    .venv/bin/python bench/extract.py [N]

The last line is one JSON object with the figures.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import trafilatura

from archive.extract.article import extract_payload
from tests import pages


def rate(fn, items: list, rounds: int = 3) -> float:
    """Best pages/s over a few rounds (the first call warms caches and stoplists)."""
    fn(items[0])
    best = 0.0
    for _ in range(rounds):
        start = time.perf_counter()
        for item in items:
            fn(item)
        best = max(best, len(items) / (time.perf_counter() - start))
    return best


def main(n: int = 300) -> dict:
    shapes = [pages.moscow_times_page, pages.nbc_page, pages.telegraph_page, pages.wordpress_page]
    htmls = [shapes[i % 4](pages.ARTICLES[i % 3]) for i in range(n)]
    bodies = [h.encode() for h in htmls]
    ours = rate(lambda b: extract_payload(b, "text/html", "utf-8", None), bodies)
    plain = rate(lambda h: trafilatura.extract(h), htmls)
    plain_bytes = rate(lambda b: trafilatura.extract(b), bodies)
    figures = {"pages": n, "mean_page_kb": round(sum(map(len, bodies)) / n / 1024, 1),
               "extract_payload_pages_per_s": round(ours, 1),
               "trafilatura_extract_pages_per_s": round(plain, 1),
               "trafilatura_extract_bytes_pages_per_s": round(plain_bytes, 1),
               "ratio": round(ours / plain, 2)}
    for key, value in figures.items():
        print(f"{key:40} {value}")
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
