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
    where: str | None = None             # a move: from where in the original to where in the seed


@dataclass(frozen=True)
class Stretch:
    """A row of the differences-first view, or a run of identical rows folded into one."""

    rows: list[Row]
    first: int                           # index of its first row in the whole list
    change: int | None = None            # 1-based number of the change, None for identical

    @property
    def identical(self) -> bool:
        return self.change is None


def rows_of(blocks: list[dict], seed_text: str, original_text: str) -> list[Row]:
    """Rows for the blocks of a comparison; without blocks, the two texts paragraph by paragraph."""
    if not blocks:
        pairs = zip_longest(_paragraphs(seed_text), _paragraphs(original_text), fillvalue="")
        return [Row("unaligned", _plain(s), _plain(o)) for s, o in pairs]
    seed_paras, original_paras = _paragraphs(seed_text), _paragraphs(original_text)
    rows = []
    for block in blocks:
        row = _row(block)
        if row.kind == "moved":
            row = Row(row.kind, row.seed, row.original, row.label,
                      _move(block, seed_paras, original_paras))
        rows.append(row)
    return rows


def stretches(rows: list[Row], fold: bool = True) -> list[Stretch]:
    """Rows numbered change by change; with `fold`, each run of identical rows as one."""
    out: list[Stretch] = []
    changes = 0
    for index, row in enumerate(rows):
        if row.kind == "identical":
            if fold and out and out[-1].identical:
                out[-1].rows.append(row)
            else:
                out.append(Stretch([row], index))
            continue
        changes += 1
        out.append(Stretch([row], index, changes))
    return out


def _move(block: dict, seed_paras: list[str], original_paras: list[str]) -> str:
    """"paragraph 5 of the original → paragraph 2 of the seed", from the block or the texts."""
    seed_at = block.get("seed_paragraph") or _paragraph_of(block.get("seed_text"), seed_paras)
    original_at = block.get("original_paragraph") or _paragraph_of(
        block.get("original_text"), original_paras)
    there = f"paragraph {original_at} of the original" if original_at else "the original"
    here = f"paragraph {seed_at} of the seed" if seed_at else "another place in the seed"
    return f"moved from {there} to {here}"


def _paragraph_of(text: str | None, paras: list[str]) -> int | None:
    """1-based number of the paragraph holding the start of `text`."""
    probe = " ".join((text or "").split()[:8])
    if not probe:
        return None
    for number, para in enumerate(paras, 1):
        if probe in " ".join(para.split()):
            return number
    return None


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
