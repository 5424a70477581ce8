"""The rows of a side-by-side view: a comparison's blocks as highlighted runs of text.

A block of `comparisons.blocks` (see `archive.compare.engine.Block`) holds the seed's and the
original's text of one aligned stretch and, when it was edited, a word diff:
`[tag, seed words, original words]` with tag equal | changed | added | omitted. The diff lists
words only (punctuation is not compared), so each word is found again, in order, in the block's
text and the text between words is kept: the reader sees the sentence as it was written, with
the differing words marked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import zip_longest
from typing import NamedTuple

BREAK = "break"                          # a paragraph break inside a block
# What a diff tag marks on each side; a tag absent from a side's map leaves no words there.
SEED_MARKS = {"equal": None, "changed": "changed", "added": "added"}
ORIGINAL_MARKS = {"equal": None, "changed": "changed", "omitted": "omitted"}


class Segment(NamedTuple):
    text: str
    cls: str | None                      # None | added | omitted | changed | break


@dataclass(frozen=True)
class Row:
    kind: str                            # identical | edited | added | omitted | moved | unaligned
    seed: list[Segment] = field(default_factory=list)
    original: list[Segment] = field(default_factory=list)
    label: str | None = None             # boilerplate label of added/omitted material


def rows_of(blocks: list[dict], seed_text: str, original_text: str) -> list[Row]:
    """Rows for the blocks of a comparison; without blocks, the two texts paragraph by paragraph."""
    if not blocks:
        pairs = zip_longest(_paragraphs(seed_text), _paragraphs(original_text), fillvalue="")
        return [Row("unaligned", _plain(s), _plain(o)) for s, o in pairs]
    return [_row(block) for block in blocks]


def _row(block: dict) -> Row:
    kind = block.get("kind") or "edited"
    seed, original = block.get("seed_text") or "", block.get("original_text") or ""
    diff = block.get("diff") or []
    if kind == "added":
        return Row(kind, _plain(seed, "added"), [], block.get("boilerplate"))
    if kind == "omitted":
        return Row(kind, [], _plain(original, "omitted"), block.get("boilerplate"))
    if not diff:
        return Row(kind, _plain(seed), _plain(original))
    return Row(kind, marked(seed, diff, 1, SEED_MARKS), marked(original, diff, 2, ORIGINAL_MARKS))


def marked(text: str, diff: list, side: int, marks: dict[str, str | None]) -> list[Segment]:
    """`text` with each word marked as the diff says; the diff's own words if they do not fit."""
    out: list[Segment] = []
    position = 0
    for op in diff:
        if op[0] not in marks:
            continue
        cls = marks[op[0]]
        for word in op[side].split():
            found = _find(text, word, position)
            if found is None:
                return _from_diff(diff, side, marks)
            between = text[position:found]
            if cls and out and out[-1].cls == cls and "\n" not in between:
                out[-1] = Segment(out[-1].text + between + word, cls)
            else:
                out.extend(_plain(between))
                out.append(Segment(word, cls))
            position = found + len(word)
    out.extend(_plain(text[position:]))
    return _merge(out)


def _find(text: str, word: str, start: int) -> int | None:
    """Where `word` stands next in `text` as a whole word (the aligner's words are such)."""
    match = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)").search(text, start)
    return match.start() if match else None


def _from_diff(diff: list, side: int, marks: dict) -> list[Segment]:
    out = [Segment(op[side], marks[op[0]]) for op in diff if op[0] in marks and op[side]]
    spaced: list[Segment] = []
    for segment in out:
        if spaced:
            spaced.append(Segment(" ", None))
        spaced.append(segment)
    return _merge(spaced)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def _plain(text: str, cls: str | None = None) -> list[Segment]:
    """Text as segments of one class, with a break between its paragraphs."""
    out: list[Segment] = []
    for number, paragraph in enumerate(text.split("\n\n")):
        if number:
            out.append(Segment("", BREAK))
        if paragraph:
            out.append(Segment(paragraph, cls))
    return out


def _merge(segments: list[Segment]) -> list[Segment]:
    """Neighbouring segments of one class as one."""
    out: list[Segment] = []
    for segment in segments:
        if out and segment.cls == out[-1].cls and segment.cls != BREAK:
            out[-1] = Segment(out[-1].text + segment.text, segment.cls)
        else:
            out.append(segment)
    return out
