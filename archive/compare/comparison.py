"""What a comparison returns: its changes, additions, alignment blocks and scores.

`archive.compare.engine.compare` makes a `Comparison`; the build stores `to_dict()`'s keys
(`archive.build.comparisons`) and the pages read them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from archive.compare.findings import Finding

COMPARE_VERSION = "seedcheck-compare 2"


@dataclass(frozen=True)
class Change:
    kind: str                   # changed | added | omitted (words of a sentence) | inserted
                                # (a sentence inside an original paragraph) | replaced (a passage)
    seed_words: str
    original_words: str
    severity: str               # high | medium | low
    category: str               # number | date | quotation | negation | name | modal |
                                # replacement | insertion | omission | wording | spelling
    seed_position: int          # word index in the normalised seed
    original_position: int | None
    block: int                  # index into Comparison.blocks


@dataclass(frozen=True)
class Addition:
    """A whole passage the seed adds that the original page does not show."""

    text: str
    words: int
    where: str                  # before | inside | after (the article's body)
    inside: bool                # flagged: it sits inside the article's body
    label: str | None           # comments, widget, caption, ... or None (commentary, other text)
    seed_position: int
    block: int


@dataclass(frozen=True)
class Block:
    kind: str                   # identical | edited | added | omitted | moved
    seed_text: str
    original_text: str
    diff: tuple[tuple[str, str, str], ...]  # (equal|changed|added|omitted, seed, original)
    boilerplate: str | None     # label of added/omitted material that is not article text
                                # ("page": the page shows it; "replaced": a replaced passage)
    seed_word_count: int
    original_word_count: int


@dataclass(frozen=True)
class Comparison:
    coverage: float             # share of the original's article words the seed carries
    added: float                # share of the seed's words the original page does not show
    changed: list[Change]
    additions: list[Addition]
    blocks: list[Block]
    findings: list[Finding]
    verdict: str
    reason: str
    normalisation: dict
    seed_word_count: int
    original_word_count: int
    shared_vocabulary: float    # Jaccard similarity of the two texts' sets of words

    def to_dict(self) -> dict:
        data = asdict(self)
        data["compare_version"] = COMPARE_VERSION
        data["coverage"] = round(self.coverage, 4)
        data["added"] = round(self.added, 4)
        data["shared_vocabulary"] = round(self.shared_vocabulary, 4)
        data["blocks"] = [
            {**asdict(b), "diff": [list(d) for d in b.diff]} for b in self.blocks
        ]
        return data
