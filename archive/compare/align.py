"""Aligning a seed with an original: sentences by hash first, words only where they differ.

Both texts are normalised, cut into sentences ("units") and words, and every word and every
sentence gets an integer id shared by the two texts (a paragraph both texts have verbatim stays
one unit, uncut). Sentences are aligned in order
(rapidfuzz's Indel opcodes over sentence ids); identical sentences the order does not explain
are `moved`. Only the stretches between aligned sentences are aligned word by word, and short
chance matches there are absorbed into the surrounding change, as diff-match-patch's semantic
cleanup does, so that "the" and "of" never make two unrelated texts look alike.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import NamedTuple

from rapidfuzz.distance import Indel

from archive.compare import words as W
from archive.compare.normalise import Normalised

WORD = re.compile(r"\S+")
# An equal run between two changes is absorbed into them when it is no longer than either
# change and shorter than this many words (longer shared runs are real shared text).
ABSORB_MAX_WORDS = 8
# A sentence only in the seed and one only in the original are the same sentence, moved and
# edited, when both have this many words and this Indel similarity (0..1).
MOVED_MIN_WORDS = 5
MOVED_MIN_SIMILARITY = 0.6
# A sentence of at least this many words that the other side carries whole is anchored there
# even when it is less than half of it (an excerpt that stops mid-sentence).
WHOLE_MIN_WORDS = 3
# Indel opcodes keep a bit matrix of len(a) × len(b) bits: a stretch without one shared
# sentence bigger than this (25,000 × 25,000 words, ~80 MB) is left unaligned word by word.
GAP_MAX_CELLS = 625_000_000


class Unit(NamedTuple):
    para: int     # paragraph index
    start: int    # first word (token index)
    end: int
    text: str     # the normalised sentence


class Op(NamedTuple):
    tag: str                      # equal | changed | added (seed only) | omitted (original only)
    seed: tuple[str, ...]
    original: tuple[str, ...]
    seed_at: int                  # token index of the first seed word (or where words are missing)
    original_at: int


def vocabulary() -> defaultdict:
    """A mapping that gives every new key the next integer id."""
    return defaultdict(itertools.count().__next__)


class Doc:
    """A normalised text as paragraphs, sentences and words with shared integer ids."""

    def __init__(self, normalised: Normalised, vocab: defaultdict, unit_vocab: defaultdict,
                 whole: frozenset[str] = frozenset()):
        """`whole`: paragraphs both texts have; each stays one unit (no need to cut it up)."""
        self.paragraphs = normalised.paragraphs
        self.tokens: list[str] = []
        self.units: list[Unit] = []
        self.para_start: list[int] = []   # first token of each paragraph
        tokens, units = self.tokens, self.units
        for index, para in enumerate(self.paragraphs):
            self.para_start.append(len(tokens))
            text = para.text
            for sentence in (text,) if text in whole else W.sentences(text):
                words = W.words(sentence)
                if words:
                    start = len(tokens)
                    tokens.extend(words)
                    units.append(Unit(index, start, len(tokens), sentence))
        # `vocab` and `unit_vocab` are defaultdicts that number each new key (see `vocabulary`).
        self.ids = list(map(vocab.__getitem__, self.tokens))
        ids = self.ids
        self.unit_ids = [unit_vocab[tuple(ids[u.start : u.end])] for u in self.units]
        self._starts = [u.start for u in self.units]
        self._quoted: dict[int, list[bool]] = {}

    def unit_of(self, token: int) -> int:
        return max(0, bisect_right(self._starts, token) - 1)

    def quoted(self, token: int) -> bool:
        """Whether the word at `token` stands inside double quotes in its paragraph."""
        if not self.units or token >= len(self.tokens):
            return False
        para = self.units[self.unit_of(token)].para
        if para not in self._quoted:
            text = self.paragraphs[para].text
            marks = [i for i, c in enumerate(text) if c == '"']
            self._quoted[para] = [
                bisect_right(marks, m.start()) % 2 == 1
                for m in (W.CJK_PIECES if W.HAS_CJK.search(text) else WORD).finditer(text)
                if m.group().strip(W.PUNCTUATION)
            ]
        first = self.para_start[para]
        flags = self._quoted[para]
        return 0 <= token - first < len(flags) and flags[token - first]


@dataclass
class Segment:
    """One aligned stretch: seed sentences, original sentences and how they relate."""

    kind: str                              # identical | edited | added | omitted | moved
    seed_units: list[int]
    original_units: list[int]
    ops: list[Op] = field(default_factory=list)   # word diff (edited and moved-edited only)
    key: tuple[int, int] = (0, 0)          # (seed position, emission order) for sorting
    label: str | None = None               # boilerplate label of added/omitted material
    gap: int = -1                          # which stretch between anchors it came from
    cut: int = 0                           # original words an excerpt cut off mid-sentence


def opcodes(a: list[int], b: list[int]) -> list[tuple[str, int, int, int, int]]:
    """LCS (Indel) alignment as `equal` runs and the `diff` stretches between them."""
    out: list[tuple[str, int, int, int, int]] = []
    i = j = 0
    for block in Indel.opcodes(a, b).as_matching_blocks():
        ai, bj, size = block.a, block.b, block.size
        if ai > i or bj > j:
            out.append(("diff", i, ai, j, bj))
        if size:
            out.append(("equal", ai, ai + size, bj, bj + size))
        i, j = ai + size, bj + size
    if i < len(a) or j < len(b):
        out.append(("diff", i, len(a), j, len(b)))
    return out


def cleanup(ops: list[tuple[str, int, int, int, int]]) -> list[tuple[str, int, int, int, int]]:
    """Absorb short equal runs that sit between two larger changes (semantic cleanup)."""
    changed = True
    while changed:
        changed = False
        out: list[tuple[str, int, int, int, int]] = []
        for op in ops:
            if op[0] == "diff" and len(out) >= 2 and out[-1][0] == "equal" and out[-2][0] == "diff":
                eq, before = out[-1], out[-2]
                size = eq[2] - eq[1]
                if (size < ABSORB_MAX_WORDS
                        and size <= max(before[2] - before[1], before[4] - before[3])
                        and size <= max(op[2] - op[1], op[4] - op[3])):
                    out[-2:] = [("diff", before[1], op[2], before[3], op[4])]
                    changed = True
                    continue
            out.append(op)
        ops = out
    return ops


def align(seed: Doc, original: Doc) -> list[Segment]:
    """Segments covering every sentence of both texts, in seed order."""
    segments: list[Segment] = []
    gaps = []
    for tag, i1, i2, j1, j2 in opcodes(seed.unit_ids, original.unit_ids):
        if tag == "equal":
            segments.extend(
                Segment("identical", [i1 + k], [j1 + k], key=(seed.units[i1 + k].start, 0))
                for k in range(i2 - i1)
            )
        else:
            gaps.append((i1, i2, j1, j2))
    moved = _exact_moves(seed, original, gaps)
    moved_back = set(moved.values())
    for i, j in moved.items():
        segments.append(Segment("moved", [i], [j], key=(seed.units[i].start, 0)))
    for number, (i1, i2, j1, j2) in enumerate(gaps):
        su = [i for i in range(i1, i2) if i not in moved]
        ou = [j for j in range(j1, j2) if j not in moved_back]
        at = seed.units[i1].start if i1 < len(seed.units) else len(seed.tokens)
        for segment in _align_gap(seed, original, su, ou, at):
            segment.gap = number
            segments.append(segment)
    segments = _edited_moves(seed, original, segments)
    segments.sort(key=lambda s: s.key)
    return segments


def _exact_moves(seed: Doc, original: Doc, gaps: list) -> dict[int, int]:
    """Seed sentences identical to an original sentence that the order did not align."""
    free: dict[int, deque[int]] = defaultdict(deque)
    for _, _, j1, j2 in gaps:
        for j in range(j1, j2):
            free[original.unit_ids[j]].append(j)
    moved: dict[int, int] = {}
    for i1, i2, _, _ in gaps:
        for i in range(i1, i2):
            queue = free.get(seed.unit_ids[i])
            if queue:
                moved[i] = queue.popleft()
    return moved


def _align_gap(seed: Doc, original: Doc, su: list[int], ou: list[int], at: int) -> list[Segment]:
    """Word-align the sentences between two anchors; group them into segments."""
    a_ids, a_glob, a_unit, a_off = _concat(seed, su)
    b_ids, b_glob, b_unit, b_off = _concat(original, ou)
    if not a_ids or not b_ids or len(a_ids) * len(b_ids) > GAP_MAX_CELLS:
        return [Segment("added", [i], [], key=(seed.units[i].start, 1)) for i in su] + [
            Segment("omitted", [], [j], key=(at, 1)) for j in ou
        ]
    raw = opcodes(a_ids, b_ids)
    ops = cleanup(raw)
    comps: list[list[int]] = []
    groups, trimmed = _anchored(ops, raw, a_unit, b_unit, len(su), len(ou))
    for group in groups:
        if comps and (group[0] <= comps[-1][1] or group[2] <= comps[-1][3]):
            comps[-1][1] = max(comps[-1][1], group[1])
            comps[-1][3] = max(comps[-1][3], group[3])
        else:
            comps.append(group)
    out: list[Segment] = []
    si = oi = 0
    for sa, sb, oa, ob in comps:
        out.extend(Segment("omitted", [], [ou[k]], key=(at, 1)) for k in range(oi, oa))
        out.extend(Segment("added", [su[k]], [], key=(seed.units[su[k]].start, 1))
                   for k in range(si, sa))
        box = (a_off[sa], a_off[sb + 1], b_off[oa], b_off[ob + 1])
        if trimmed:  # chance matches were dropped: align the component's words afresh
            word_ops = _realign(box, a_ids, b_ids, a_glob, b_glob, seed, original)
        else:
            word_ops = _clip(ops, box, a_glob, b_glob, seed.tokens, original.tokens)
        kind = "identical" if all(op.tag == "equal" for op in word_ops) else "edited"
        at = seed.units[su[sb]].end
        out.append(Segment(kind, su[sa : sb + 1], ou[oa : ob + 1], word_ops,
                           key=(seed.units[su[sa]].start, 1)))
        si, oi = sb + 1, ob + 1
    out.extend(Segment("omitted", [], [ou[k]], key=(at, 1)) for k in range(oi, len(ou)))
    out.extend(Segment("added", [su[k]], [], key=(seed.units[su[k]].start, 1))
               for k in range(si, len(su)))
    return out


def _anchored(ops, raw, a_unit: list[int], b_unit: list[int], na: int, nb: int):
    """(first seed unit, last, first original unit, last) of each equal run, trimmed to the
    sentences it anchors: a sentence in a stretch between anchors is the same sentence, edited,
    as one of the other side only when at least half its words are shared ("the", a name or a
    phrase quoted in commentary do not make it so). Shared words are counted before the
    cleanup absorbs short runs (`raw`)."""
    a_eq, b_eq = [0] * na, [0] * nb
    a_len, b_len = [0] * na, [0] * nb
    for k in a_unit:
        a_len[k] += 1
    for k in b_unit:
        b_len[k] += 1
    for _, i1, i2, j1, _ in (op for op in raw if op[0] == "equal"):
        for d in range(i2 - i1):
            a_eq[a_unit[i1 + d]] += 1
            b_eq[b_unit[j1 + d]] += 1
    a_ok = [e * 2 >= n for e, n in zip(a_eq, a_len, strict=True)]
    b_ok = [e * 2 >= n for e, n in zip(b_eq, b_len, strict=True)]
    # A sentence one side carries whole inside the other's (an excerpt cut mid-sentence).
    a_whole = [e == n >= WHOLE_MIN_WORDS for e, n in zip(a_eq, a_len, strict=True)]
    b_whole = [e == n >= WHOLE_MIN_WORDS for e, n in zip(b_eq, b_len, strict=True)]
    groups, trimmed = [], not (all(a_ok) and all(b_ok))
    for _, i1, i2, j1, _ in (op for op in ops if op[0] == "equal"):
        kept = [d for d in range(i2 - i1) if _keeps(a_unit[i1 + d], b_unit[j1 + d], a_ok, b_ok,
                                                     a_whole, b_whole)]
        if kept:
            first, last = i1 + kept[0], i1 + kept[-1]
            groups.append([a_unit[first], a_unit[last], b_unit[j1 + kept[0]],
                           b_unit[j1 + kept[-1]]])
    return groups, trimmed


def _keeps(a: int, b: int, a_ok, b_ok, a_whole, b_whole) -> bool:
    return (a_ok[a] and b_ok[b]) or a_whole[a] or b_whole[b]


def _realign(box, a_ids, b_ids, a_glob, b_glob, seed: Doc, original: Doc) -> list[Op]:
    a0, a1, b0, b1 = box
    ops = cleanup(opcodes(a_ids[a0:a1], b_ids[b0:b1]))
    return _clip(ops, (0, a1 - a0, 0, b1 - b0), a_glob[a0:a1], b_glob[b0:b1], seed.tokens,
                 original.tokens)


def _concat(doc: Doc, units: list[int]):
    ids: list[int] = []
    glob: list[int] = []
    owner: list[int] = []
    offsets = [0]
    for k, index in enumerate(units):
        u = doc.units[index]
        ids.extend(doc.ids[u.start : u.end])
        glob.extend(range(u.start, u.end))
        owner.extend([k] * (u.end - u.start))
        offsets.append(len(ids))
    return ids, glob, owner, offsets


def _clip(ops, box, a_glob, b_glob, a_tokens, b_tokens) -> list[Op]:
    """The word ops inside a component's box, in global token positions."""
    a0, a1, b0, b1 = box
    out: list[Op] = []
    for tag, i1, i2, j1, j2 in ops:
        i1, i2, j1, j2 = max(i1, a0), min(i2, a1), max(j1, b0), min(j2, b1)
        if i1 >= i2 and j1 >= j2:
            continue
        i2, j2 = max(i1, i2), max(j1, j2)
        if tag != "equal":
            tag = "changed" if i2 > i1 and j2 > j1 else ("added" if i2 > i1 else "omitted")
        seed_words = tuple(a_tokens[a_glob[k]] for k in range(i1, i2))
        original_words = tuple(b_tokens[b_glob[k]] for k in range(j1, j2))
        out.append(Op(tag, seed_words, original_words,
                      _position(a_glob, i1), _position(b_glob, j1)))
    return out


def _position(glob: list[int], local: int) -> int:
    return glob[local] if local < len(glob) else glob[-1] + 1


def word_ops(seed: Doc, original: Doc, i: int, j: int) -> list[Op]:
    """The word diff of one seed sentence against one original sentence."""
    a_ids, a_glob, _, _ = _concat(seed, [i])
    b_ids, b_glob, _, _ = _concat(original, [j])
    ops = cleanup(opcodes(a_ids, b_ids))
    return _clip(ops, (0, len(a_ids), 0, len(b_ids)), a_glob, b_glob, seed.tokens, original.tokens)


def _edited_moves(seed: Doc, original: Doc, segments: list[Segment]) -> list[Segment]:
    """Pair a seed-only sentence with a similar original-only sentence elsewhere: moved, edited."""
    omitted = [s for s in segments if s.kind == "omitted"
               and _words(original, s.original_units[0]) >= MOVED_MIN_WORDS]
    added_gaps = {s.gap for s in segments if s.kind == "added"}
    if not omitted or len(added_gaps | {s.gap for s in omitted}) < 2:
        return segments  # a move crosses an anchor: it needs two gaps
    index: dict[tuple[int, int], list[Segment]] = defaultdict(list)
    for s in omitted:
        u = original.units[s.original_units[0]]
        for pair in set(itertools.pairwise(original.ids[u.start : u.end])):
            index[pair].append(s)
    taken: set[int] = set()
    out: list[Segment] = []
    for s in segments:
        if s.kind != "added" or _words(seed, s.seed_units[0]) < MOVED_MIN_WORDS:
            out.append(s)
            continue
        match = _best_candidate(seed, original, s, index, taken)
        if match is None:
            out.append(s)
            continue
        taken.add(id(match))
        i, j = s.seed_units[0], match.original_units[0]
        out.append(Segment("moved", [i], [j], word_ops(seed, original, i, j), key=s.key, gap=s.gap))
    return [s for s in out if id(s) not in taken]


def _best_candidate(seed, original, added, index, taken) -> Segment | None:
    """The original-only sentence of another gap that shares most word pairs with `added`."""
    u = seed.units[added.seed_units[0]]
    ids = seed.ids[u.start : u.end]
    hits: dict[int, int] = defaultdict(int)
    found: dict[int, Segment] = {}
    for pair in set(itertools.pairwise(ids)):
        for s in index.get(pair, ()):
            if s.gap != added.gap and id(s) not in taken:
                hits[id(s)] += 1
                found[id(s)] = s
    if not hits:
        return None
    best = max(hits, key=hits.__getitem__)
    if hits[best] * 2 < len(ids) - 1:
        return None
    j = found[best].original_units[0]
    v = original.units[j]
    similar = Indel.normalized_similarity(ids, original.ids[v.start : v.end])
    return found[best] if similar >= MOVED_MIN_SIMILARITY else None


def _words(doc: Doc, unit: int) -> int:
    u = doc.units[unit]
    return u.end - u.start
