"""Scoring a comparison against a labelled pair, and the naive baseline it is measured against.

A pair is right when the verdict is the labelled one and every planted change is located: each
word edit is among `.changed` with its words on both sides, a replaced passage is one
`replaced` change, and each added passage is among `.additions`.
The baseline, `naive`, is what a first attempt with the standard library looks like: difflib
over sentences, a changed sentence where an unmatched seed sentence resembles an unmatched
original one, the verdict from what is left over.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter

from tests.eval.pairs import Pair

STRIP = ".,;:!?\"()«»“”'’、。，：；！？-–—?"
SENTENCE = re.compile(r"(?<=[.!?؟])[\"”»]?\s+|(?<=[。！？])|\n+")


def _words(text: str) -> Counter:
    return Counter(w.strip(STRIP) for w in text.split() if w.strip(STRIP))


def _has(found: str, wanted: str) -> bool:
    """Every word of `wanted` is in `found`, or inside one of its words ("1" in "1월부터");
    CJK without spaces: the characters, spaces aside."""
    if not wanted:
        return True
    found, wanted = unicodedata.normalize("NFKC", found), unicodedata.normalize("NFKC", wanted)
    if " " not in wanted.strip() and len(wanted) > 3 and not wanted.isascii():
        return wanted.strip(STRIP) in found.replace(" ", "")
    have = _words(found)
    return all(w in have or any(w in f for f in have) for w in _words(wanted))


def located(pair: Pair, comparison) -> bool:
    """Whether every planted change and every added passage is reported."""
    changes = list(comparison.changed)
    for edit in pair.edits:
        if edit.kind == "replaced":
            if not any(c.kind == "replaced" for c in changes):
                return False
            continue
        if not any(_has(c.seed_words, edit.seed_words) and _has(c.original_words, edit.original_words)
                   and (c.seed_words or c.original_words) for c in changes):
            return False
    texts = [a.text for a in getattr(comparison, "additions", ())]
    return all(any(_has(t, wanted) for t in texts) for wanted in pair.additions)


def right(pair: Pair, comparison) -> bool:
    return comparison.verdict == pair.verdict and (
        pair.verdict in ("faithful", "excerpt", "different") or located(pair, comparison))


def _sentences(text: str) -> list[str]:
    return [" ".join(s.split()) for s in SENTENCE.split(text) if s and s.strip()]


def naive(seed: str, original: str) -> str:
    """The verdict of a plain difflib sentence matcher."""
    a, b = _sentences(seed), _sentences(original)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    added, omitted, changed = [], [], 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        left, right_ = a[i1:i2], list(b[j1:j2])
        for s in left:
            best = max(right_, key=lambda o, s=s: difflib.SequenceMatcher(None, s, o).ratio(),
                       default=None)
            if best is not None and difflib.SequenceMatcher(None, s, best).ratio() > 0.6:
                changed += 1
                right_.remove(best)
            else:
                added.append(s)
        omitted.extend(right_)
    words = sum(len(s.split()) for s in b) or 1
    carried = 1 - sum(len(s.split()) for s in omitted) / words
    if carried < 0.2:
        return "different"
    if changed:
        return "altered"
    if added:
        return "padded"
    return "excerpt" if omitted else "faithful"
