"""Which engine for which part of extraction, measured on the corpus (tests/fixtures/pages).

    .venv/bin/python bench/extract_engines.py [--half tuning|held-out|all] [--rounds N]

Article text: `archive.extract.extract` (trafilatura after our markup passes), trafilatura with
its readability/jusText fallback on every page, plain `trafilatura.extract(favor_precision=True)`
and Resiliparse's main-content extraction. Visible text (the comparison's evidence): our walk
over the tree extract already parsed, html-text on the same tree, and Resiliparse and selectolax
each parsing the page again. Accuracy: mean 4-word shingle F1/precision/recall for article text;
for visible text, the share of article lines found in it (what the evidence must hold) and ms
of CPU per page. Engines that are not installed are reported as missing: they are not
dependencies of seedcheck, install them to compare (`pip install resiliparse html-text
selectolax`). The last line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import trafilatura

from archive.extract.article import ExtractOptions, extract
from archive.extract.visible import visible_text
from tests.corpus import load, score, tokens


def optional(name: str):
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def article_engines() -> dict:
    engines = {
        "seedcheck extract": lambda h, u: extract(h, u).text,
        "seedcheck extract, fallback every page": lambda h, u: extract(
            h, u, options=ExtractOptions(fallback_below=None)).text,
        "trafilatura favor_precision": lambda h, u: trafilatura.extract(
            h, url=u, favor_precision=True, include_comments=False) or "",
        "trafilatura favor_precision fast": lambda h, u: trafilatura.extract(
            h, url=u, favor_precision=True, include_comments=False, fast=True) or "",
    }
    if resiliparse := optional("resiliparse.extract.html2text"):
        parse = importlib.import_module("resiliparse.parse.html").HTMLTree.parse
        engines["resiliparse main_content"] = lambda h, u: resiliparse.extract_plain_text(
            parse(h), main_content=True)
    return engines


def visible_engines() -> dict:
    load_html = trafilatura.load_html
    engines = {"seedcheck visible_text (tree already parsed)": (load_html, visible_text)}
    if html_text := optional("html_text"):
        engines["html-text on the same tree"] = (load_html, html_text.extract_text)
    if resiliparse := optional("resiliparse.extract.html2text"):
        parse = importlib.import_module("resiliparse.parse.html").HTMLTree.parse
        engines["resiliparse (second parse)"] = (
            lambda h: h, lambda h: resiliparse.extract_plain_text(parse(h), main_content=False))
    if selectolax := optional("selectolax.lexbor"):
        engines["selectolax lexbor (second parse)"] = (
            lambda h: h, lambda h: selectolax.LexborHTMLParser(h).body.text(separator="\n"))
    return engines


def cpu_ms(fn, items: list, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for item in items:
            fn(*item)
        best = min(best, time.process_time() - start)
    return 1000 * best / len(items)


def evidence(text: str, truth: str) -> float:
    """Share of the truth's lines whose words appear, in order, in `text`."""
    shown = " ".join(tokens(text))
    lines = [" ".join(tokens(line)) for line in truth.split("\n\n") if line.strip()]
    return sum(line in shown for line in lines) / len(lines)


def main() -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--half", default="tuning", choices=("held-out", "tuning", "all"))
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    pages = load(half=args.half)
    figures: dict = {"half": args.half, "pages": len(pages), "article": {}, "visible": {}}
    for name, fn in article_engines().items():
        scores = [score(fn(p["html"], p["url"]), p["truth"]) for p in pages]
        f1, precision, recall = (statistics.mean(s[k] for s in scores) for k in range(3))
        ms = cpu_ms(fn, [(p["html"], p["url"]) for p in pages], args.rounds)
        figures["article"][name] = {"f1": round(f1, 4), "precision": round(precision, 4),
                                    "recall": round(recall, 4), "ms_per_page": round(ms, 2)}
        print(f"article  {name:42} F1 {f1:.4f} P {precision:.4f} R {recall:.4f} {ms:6.2f} ms")
    for name, (parse, walk) in visible_engines().items():
        trees = [(parse(p["html"]),) for p in pages]
        share = statistics.mean(evidence(walk(t[0]), p["truth"]) for t, p in zip(trees, pages,
                                                                                  strict=True))
        ms = cpu_ms(walk, trees, args.rounds)
        figures["visible"][name] = {"article_lines_found": round(share, 4),
                                    "ms_per_page": round(ms, 2)}
        print(f"visible  {name:42} lines found {share:.4f} {ms:6.2f} ms")
    for name in ("resiliparse", "html_text", "selectolax"):
        if optional(name) is None:
            print(f"missing  {name} (not installed)")
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
