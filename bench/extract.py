"""Extraction accuracy and speed on the page corpus (tests/fixtures/pages, made by tests/corpus.py),
next to plain `trafilatura.extract(favor_precision=True, include_comments=False)` in the same run.

    .venv/bin/python bench/extract.py [--half held-out|tuning|all] [--rounds N] [--pages]

Accuracy: 4-word shingle F1, precision and recall of the article text against the written truth,
per page (--pages) and as the mean over the pages. Kinds: pages that hold their article but are
labelled something else (paywall, too-short, not-found...) and teasers not labelled paywall.
Speed: pages/s and ms/page of CPU time (the machine is shared) over the same pages, best
of N rounds taken in turns, one process; `extract` gives the article text, the full visible
text, metadata and the page kind. The same is timed on a dozen of the pages inside heavy site
chrome (`heavy`: ~270 KB, like real pages). The last line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import trafilatura

from archive.extract import extract
from tests.corpus import load, score
from tests.corpus_text import headline, sentence


def plain(html: str, url: str) -> str:
    return trafilatura.extract(html, url=url, favor_precision=True, include_comments=False) or ""


def ours(html: str, url: str) -> str:
    return extract(html, url).text


def rates(fns: list, pages: list[dict], rounds: int) -> list[float]:
    """Best pages/s of each function over `rounds`, the functions taking turns round by round
    (the machine is shared: a burst of other work then slows both, not one)."""
    for fn in fns:  # the first call warms caches and stoplists
        fn(pages[0]["html"], pages[0]["url"])
    best = [0.0] * len(fns)
    for _ in range(rounds):
        for k, fn in enumerate(fns):
            start = time.process_time()
            for page in pages:
                fn(page["html"], page["url"])
            best[k] = max(best[k], len(pages) / (time.process_time() - start))
    return best


def heavy(html: str) -> str:
    """The page inside the chrome of a big news site: a 1,500-item menu and 150 teaser cards
    named "content-card" (real pages weigh 200-300 KB; the corpus pages ~30 KB)."""
    rng = random.Random(len(html))
    menu = "".join(f'<li class="menu-item"><div class="menu-content"><a href="/s/{i}">Section {i}'
                   f'</a><div class="sub"><a href="/s/{i}/x">Sub {i}</a></div></div></li>'
                   for i in range(1500))
    cards = "".join(f'<div class="content-card"><h3><a href="/c/{i}">{headline(rng)}</a></h3><p>'
                    f"{sentence(rng, 'economy')}</p></div><div class=\"ad\"></div>"
                    for i in range(150))
    return (html.replace("<body>", f'<body><ul class="mega">{menu}</ul>', 1)
            .replace("</body>", f'<section class="more">{cards}</section></body>', 1))


def accuracy(fn, pages: list[dict]) -> tuple[dict, list[tuple[float, float, float]]]:
    each = [score(fn(p["html"], p["url"]), p["truth"]) for p in pages]
    return ({"f1": statistics.mean(s[0] for s in each),
             "precision": statistics.mean(s[1] for s in each),
             "recall": statistics.mean(s[2] for s in each)}, each)


def wrong_kinds(pages: list[dict]) -> list[str]:
    """Pages whose kind is not the expected one, with what they were called and why."""
    out = []
    for page in pages:
        got = extract(page["html"], page["url"])
        if got.kind != page["kind"]:
            out.append(f"{page['name']}: {got.kind} ({got.kind_reason}), expected {page['kind']}")
    return out


def main() -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--half", default="held-out", choices=("held-out", "tuning", "all"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pages", action="store_true", help="print each page's scores")
    args = parser.parse_args()
    pages = load(half=args.half)
    mine, mine_each = accuracy(ours, pages)
    base, base_each = accuracy(plain, pages)
    if args.pages:
        for page, m, b in zip(pages, mine_each, base_each, strict=True):
            print(f"{page['name']:32} ours F1 {m[0]:.3f} P {m[1]:.3f} R {m[2]:.3f}   "
                  f"trafilatura F1 {b[0]:.3f} P {b[1]:.3f} R {b[2]:.3f}")
    kinds = wrong_kinds(pages)
    for line in kinds:
        print("wrong kind:", line)
    speed_ours, speed_plain = rates([ours, plain], pages, args.rounds)
    kb = sum(len(p["html"].encode()) for p in pages) / len(pages) / 1024
    big = [{**p, "html": heavy(p["html"])} for p in pages[:: max(1, len(pages) // 12)]]
    heavy_ours, heavy_plain = rates([ours, plain], big, max(1, args.rounds // 2))
    heavy_f1 = statistics.mean(score(ours(p["html"], p["url"]), p["truth"])[0] for p in big)
    heavy_plain_f1 = statistics.mean(score(plain(p["html"], p["url"]), p["truth"])[0]
                                     for p in big)
    figures = {"half": args.half, "pages": len(pages), "mean_page_kb": round(kb, 1),
               **{f"ours_{k}": round(v, 4) for k, v in mine.items()},
               **{f"trafilatura_{k}": round(v, 4) for k, v in base.items()},
               "wrong_kinds": len(kinds),
               "ours_pages_per_s": round(speed_ours, 1),
               "ours_ms_per_page": round(1000 / speed_ours, 2),
               "trafilatura_pages_per_s": round(speed_plain, 1),
               "trafilatura_ms_per_page": round(1000 / speed_plain, 2),
               "speed_ratio": round(speed_ours / speed_plain, 3),
               "heavy_pages": len(big),
               "heavy_mean_page_kb": round(sum(len(p["html"].encode()) for p in big)
                                           / len(big) / 1024, 1),
               "heavy_ours_f1": round(heavy_f1, 4),
               "heavy_trafilatura_f1": round(heavy_plain_f1, 4),
               "heavy_ours_ms_per_page": round(1000 / heavy_ours, 2),
               "heavy_trafilatura_ms_per_page": round(1000 / heavy_plain, 2),
               "heavy_speed_ratio": round(heavy_ours / heavy_plain, 3)}
    for key, value in figures.items():
        print(f"{key:28} {value}")
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
