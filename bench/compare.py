"""The compare engine measured: speed on 5,000-word pairs next to difflib, accuracy on the
held-out half of the evaluation set next to a naive difflib sentence matcher, and the
end-to-end set (pages served, crawled, built, compared), all in one run.

    .venv/bin/python bench/compare.py [ROUNDS]     # figures (held-out half)
    .venv/bin/python bench/compare.py --wrong      # the tuning half's wrong pairs, for tuning

Speed: two pairs are timed, two versions of one article (the seed has 10 altered sentences, a
moved paragraph and reader comments) and two unrelated articles. difflib runs on the same words
(`str.split`) with `autojunk=False`, the exact longest-match alignment (its default junk
heuristic ignores every word above 1% frequency, "the" and the names alike, and is shown
beside it for reference).
Accuracy: `tests/eval` (34 article texts written for it, split once by article before any
tuning); a pair is right when its verdict is and every planted change is located. The naive
matcher (`tests.eval.score.naive`) runs on the same pairs in the same run.
The last line is one JSON object.
"""

from __future__ import annotations

import difflib
import json
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.compare.engine import compare
from tests import variants as V
from tests.eval import endtoend, score
from tests.eval import pairs as eval_pairs

TARGET_WORDS = 5000


def long_article(texts: list[str], rng: random.Random) -> str:
    """About TARGET_WORDS words: the texts' bodies, repeated with changed numbers as needed."""
    paragraphs: list[str] = []
    copy = 0
    while sum(len(p.split()) for p in paragraphs) < TARGET_WORDS:
        for text in texts:
            body = V.paragraphs_of(text)[1:]
            if copy:  # a later copy is a variation, not a duplicate
                body, _ = V.altered(body, ["number", "word", "name"] * 3, rng)
                body = body.split("\n\n")
            paragraphs.extend(body)
        copy += 1
    words = 0
    for k, p in enumerate(paragraphs):
        words += len(p.split())
        if words >= TARGET_WORDS:
            return "\n\n".join(paragraphs[: k + 1])
    return "\n\n".join(paragraphs)


def pairs() -> dict[str, tuple[str, str]]:
    rng = random.Random(5000)
    texts = V.articles()
    news = long_article([texts[k] for k in ("000", "001", "002", "003", "004")], rng)
    other = long_article([texts[k] for k in ("harbour", "glacier", "museum")], rng)
    paras = V.paragraphs_of(news)
    seed, _ = V.altered(paras, ["word", "number", "name", "quote", "negation"] * 2, rng)
    seed_paras = seed.split("\n\n")
    seed_paras.insert(len(seed_paras) // 3, seed_paras.pop(len(seed_paras) // 2))
    seed = "\n\n".join(seed_paras) + "\n\n" + V.comment_section(rng)
    return {"versions": (seed, news), "unrelated": (other, news)}


def timed(fn, rounds: int) -> float:
    """Median CPU milliseconds of `rounds` calls, after one warm-up call (CPU time: other work
    on a shared machine inflates wall time, both engines' alike but unevenly)."""
    fn()
    times = []
    for _ in range(rounds):
        start = time.process_time()
        fn()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def speed(rounds: int) -> dict[str, dict[str, float]]:
    out = {}
    for name, (seed, original) in pairs().items():
        a, b = seed.split(), original.split()
        out[name] = {
            "words": (len(a), len(b)),
            "compare_ms": timed(lambda s=seed, o=original: compare(s, o), rounds),
            "difflib_ms": timed(lambda a=a, b=b: difflib.SequenceMatcher(
                None, a, b, autojunk=False).get_opcodes(), rounds),
            "difflib_autojunk_ms": timed(
                lambda a=a, b=b: difflib.SequenceMatcher(None, a, b).get_opcodes(), rounds),
        }
    return out


def accuracy(half: str = "heldout") -> dict[str, list[int]]:
    """Per kind of pair: [pairs, right, verdict right, naive difflib right] on one half."""
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for pair in eval_pairs.pairs(half):
        c = compare(pair.seed, pair.original, page_text=pair.page)
        for row in (table[pair.kind], table["all"]):
            row[0] += 1
            row[1] += score.right(pair, c)
            row[2] += c.verdict == pair.verdict
            row[3] += score.naive(pair.seed, pair.original) == pair.verdict
    table["all"] = table.pop("all")
    return table


def evidence_cost(half: str = "heldout") -> tuple[float, float]:
    """Total ms of compare() over the half's pairs without and with their page text (pairs that
    have none get a page made of their original's text and furniture, as the build passes)."""
    pairs = eval_pairs.pairs(half)
    pages_of = [p.page or f"Home News Sport\n{p.original}\nShare this article" for p in pairs]
    times = []
    for with_page in (False, True, False, True):
        start = time.process_time()
        for pair, page in zip(pairs, pages_of, strict=True):
            compare(pair.seed, pair.original, page_text=page if with_page else None)
        times.append((time.process_time() - start) * 1000)
    return min(times[0], times[2]), min(times[1], times[3])


def pages(half: str = "heldout") -> dict:
    """The end-to-end set: pages served, crawled, built and compared (tests/eval/endtoend.py)."""
    with tempfile.TemporaryDirectory() as work:
        results = endtoend.run(eval_pairs.split()[half], Path(work))
    found = endtoend.figures(results)
    print(f"\nend to end, {half} pages: {found['seeds']} seeds, {found['right']:.1%} right, "
          f"faithful called altered {found['faithful_called_altered']:.1%}, unchecked "
          f"{found['unchecked']:.1%}")
    for kind, (n, ok) in found["by_kind"].items():
        print(f"  {kind:<10}{n:>5}{ok:>8.1%}")
    for case, verdict, reason in results:
        if verdict != case.verdict:
            print(f"  wrong: {case.name}: {reason}")
    return found


def wrong(half: str):
    """Print every pair of `half` the engine gets wrong (for tuning: use only "tuning")."""
    for pair in eval_pairs.pairs(half):
        c = compare(pair.seed, pair.original, page_text=pair.page)
        if not score.right(pair, c):
            print(f"{pair.article} {pair.name}: want {pair.verdict}, got {c.reason}")


def main(rounds: int = 30, half: str = "heldout", with_pages: bool = True) -> dict:
    figures = speed(rounds)
    print(f"{'pair (5,000 words)':<14}{'seed/original':>15}{'compare ms':>12}{'difflib ms':>12}"
          f"{'speed-up':>10}{'difflib autojunk ms':>21}")
    for name, f in figures.items():
        words = "{}/{}".format(*f["words"])
        print(f"{name:<14}{words:>15}{f['compare_ms']:>12.2f}{f['difflib_ms']:>12.2f}"
              f"{f['difflib_ms'] / f['compare_ms']:>9.1f}x{f['difflib_autojunk_ms']:>21.2f}")
    table = accuracy(half)
    print(f"\n{half} half of tests/eval ({len(eval_pairs.split()[half])} article texts): right = "
          "verdict and every planted change located")
    print(f"{'kind':<12}{'pairs':>7}{'right':>9}{'verdict':>9}{'naive difflib':>15}")
    for name, (n, ok, verdict, naive) in table.items():
        print(f"{name:<12}{n:>7}{ok / n:>9.1%}{verdict / n:>9.1%}{naive / n:>15.1%}")
    n, ok, _, naive = table["all"]
    without, with_page = evidence_cost(half)
    print(f"page evidence: compare() over the {half} pairs {without:.0f} ms CPU without page "
          f"text, {with_page:.0f} ms with it (+{with_page / without - 1:.0%})")
    worst = max(figures.values(), key=lambda f: f["compare_ms"])
    result = {
        "compare_ms": round(worst["compare_ms"], 2),
        "difflib_ms": round(worst["difflib_ms"], 2),
        "accuracy": round(ok / n, 4),
        "naive_accuracy": round(naive / n, 4),
        "pairs": n,
        **{f"{k}_{name}": round(f[k], 2) for name, f in figures.items()
           for k in ("compare_ms", "difflib_ms", "difflib_autojunk_ms")},
        "page_evidence_overhead": round(with_page / without - 1, 3),
        "speedup_min": round(min(f["difflib_ms"] / f["compare_ms"] for f in figures.values()), 2),
    }
    if with_pages:
        found = pages(half)
        result.update({f"pages_{k}": round(v, 4) for k, v in found.items()
                       if isinstance(v, float)})
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    if sys.argv[1:2] == ["--wrong"]:
        wrong("tuning")
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
