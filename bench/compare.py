"""Time per pair of `archive.compare.engine.compare` on 5,000-word articles, next to difflib's
SequenceMatcher on the same words in the same run; then the accuracy table over the labelled
variant set of `tests/variants.py`.

    .venv/bin/python bench/compare.py [ROUNDS]

Two pairs are timed: two versions of one article (the seed has 10 altered sentences, a moved
paragraph and reader comments) and two unrelated articles. difflib runs on the same words
(`str.split`) with `autojunk=False`, the exact longest-match alignment (its default junk
heuristic ignores every word above 1% frequency, "the" and the names alike, and is shown
beside it for reference). The last line is one JSON object.
"""

from __future__ import annotations

import difflib
import json
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.compare.engine import compare
from tests import variants as V

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
    """Median milliseconds of `rounds` calls, after one warm-up call."""
    fn()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
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


def matches(edit: V.Edit, change) -> bool:
    def words(text: str) -> Counter:
        return Counter(w.strip(".,;:!?\"()") for w in text.split())

    return not (words(edit.seed_words) - words(change.seed_words)) and not (
        words(edit.original_words) - words(change.original_words))


def accuracy() -> tuple[dict[str, list[int]], int, int]:
    """Per variant name: [pairs, right verdict, edits found, edits expected, extra changes]."""
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    right = total = 0
    for v in V.variants():
        c = compare(v.seed, v.original)
        row = table[v.name.split(":")[0]]
        row[0] += 1
        ok = c.verdict == v.verdict
        row[1] += ok
        if v.verdict != "different":
            found = sum(any(matches(e, ch) and ch.category == e.category for ch in c.changed)
                        for e in v.edits)
            extra = sum(not any(matches(e, ch) for e in v.edits) for ch in c.changed)
            row[2] += found
            row[3] += len(v.edits)
            row[4] += extra
            ok = ok and found == len(v.edits) and extra == 0
        right += ok
        total += 1
    return table, right, total


def main(rounds: int = 30) -> dict:
    figures = speed(rounds)
    print(f"{'pair (5,000 words)':<14}{'seed/original':>15}{'compare ms':>12}{'difflib ms':>12}"
          f"{'speed-up':>10}{'difflib autojunk ms':>21}")
    for name, f in figures.items():
        words = "{}/{}".format(*f["words"])
        print(f"{name:<14}{words:>15}{f['compare_ms']:>12.2f}{f['difflib_ms']:>12.2f}"
              f"{f['difflib_ms'] / f['compare_ms']:>9.1f}x{f['difflib_autojunk_ms']:>21.2f}")
    table, right, total = accuracy()
    print()
    print(f"{'variant':<22}{'pairs':>6}{'verdict ok':>12}{'edits found':>14}{'extra changes':>15}")
    for name, (n, ok, found, expected, extra) in table.items():
        print(f"{name:<22}{n:>6}{ok:>12}{f'{found}/{expected}':>14}{extra:>15}")
    print(f"{'all':<22}{total:>6}{right:>12}  (verdict, every edit and nothing else)")
    worst = max(figures.values(), key=lambda f: f["compare_ms"])
    result = {
        "compare_ms": round(worst["compare_ms"], 2),
        "difflib_ms": round(worst["difflib_ms"], 2),
        "accuracy": round(right / total, 4),
        "pairs": total,
        **{f"{k}_{name}": round(f[k], 2) for name, f in figures.items()
           for k in ("compare_ms", "difflib_ms", "difflib_autojunk_ms")},
        "speedup_min": round(min(f["difflib_ms"] / f["compare_ms"] for f in figures.values()), 2),
    }
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
