"""Compare a seed with its original: coverage, added material, ranked changes and a verdict.

`compare(seed_text, original_text)` normalises both texts (`archive.compare.normalise`), aligns them
sentence by sentence and word by word (`archive.compare.align`), labels material that is not
article text (`archive.compare.boilerplate`), ranks every change of words
(`archive.compare.severity`) and states its findings. The verdict is the most serious finding, in
the order of `VERDICTS`.
`archive.compare.best_match` builds on it: which version a seed matches, and whether its
differences come from the seed or from later edits.

"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass

from archive.compare import severity
from archive.compare.align import Doc, Op, Segment, align, vocabulary
from archive.compare.boilerplate import Piece, label
from archive.compare.normalise import normalise, profile

COMPARE_VERSION = "seedcheck-compare 1"
# From least to most serious; a comparison's verdict is its most serious finding.
VERDICTS = ("faithful", "excerpt", "padded", "altered", "different")

# Excerpt: the seed leaves out whole sentences of article text, at least this many words.
EXCERPT_MIN_OMITTED_WORDS = 8
# Altered: any change of medium or high severity, or at least this many low ones.
MANY_LOW_CHANGES = 5
# Different: the seed carries less than this share of the original's words AND the original
# carries less than this share of the seed's article words (same headline, another body).
DIFFERENT_MAX_COVERAGE = 0.2
DIFFERENT_MAX_SEED_SHARE = 0.2
# How many characters of a change to quote in a reason.
REASON_QUOTE_CHARS = 60

LABEL_NAMES = {
    "comments": "reader comments", "caption": "image captions and credits",
    "banner": "site banners", "widget": "link widgets", "related": "related-article inserts",
    "disclaimer": "disclaimers and source notes", "header": "title and byline lines",
    "heading": "headings",
}
# Labels of the article's own furniture (title, dek, byline, date, subheads): a seed that
# carries them where the original's text lacks them is not padded.
STRUCTURE = frozenset({"header", "heading"})
CATEGORY_ORDER = ("number", "date", "quotation", "negation", "name", "insertion", "omission",
                  "wording", "spelling")


@dataclass(frozen=True)
class Change:
    kind: str                   # changed | added | omitted (words of a sentence) | inserted
    seed_words: str
    original_words: str
    severity: str               # high | medium | low
    category: str               # number | date | quotation | negation | name | insertion |
                                # omission | wording | spelling
    seed_position: int          # word index in the normalised seed
    original_position: int | None
    block: int                  # index into Comparison.blocks


@dataclass(frozen=True)
class Block:
    kind: str                   # identical | edited | added | omitted | moved
    seed_text: str
    original_text: str
    diff: tuple[tuple[str, str, str], ...]  # (equal|changed|added|omitted, seed, original)
    boilerplate: str | None     # label of added/omitted material that is not article text
    seed_word_count: int
    original_word_count: int


@dataclass(frozen=True)
class Finding:
    kind: str                   # a verdict, or a note that leaves a seed faithful: "moved",
                                # "minor" (few low changes), "headings" (title lines added)
    verdict: str
    detail: str


@dataclass(frozen=True)
class Comparison:
    coverage: float             # share of the original's article words the seed carries
    added: float                # share of the seed's words not in the original
    changed: list[Change]
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


@dataclass(frozen=True)
class _Scores:
    coverage: float
    added: float
    seed_share: float
    omitted_words: int          # article words of the original in omitted blocks
    boilerplate: Counter        # label -> seed words
    comments: int               # bulleted paragraphs among the reader comments


def compare(seed_text: str, original_text: str) -> Comparison:
    """Compare a seed with one original text. Never raises on odd or empty text."""
    seed_norm, original_norm = normalise(seed_text), normalise(original_text)
    vocab, units = vocabulary(), vocabulary()
    whole = frozenset(p.text for p in seed_norm.paragraphs) & frozenset(
        p.text for p in original_norm.paragraphs)
    seed = Doc(seed_norm, vocab, units, whole)
    original = Doc(original_norm, vocab, units, whole)
    segments = align(seed, original)
    _label(seed, original, segments)
    blocks, groups = _blocks(seed, original, segments)
    scores = _scores(seed, original, segments)
    different = _different(seed, original, scores)
    changes = [] if different else _changes(seed, original, vocab, groups)
    findings = [different] if different else _findings(scores, blocks, changes)
    verdict = max((f.verdict for f in findings), key=VERDICTS.index)
    main = next(f for f in findings if f.verdict == verdict)
    others = [f"{f.kind}: {f.detail}" for f in findings if f is not main]
    reason = f"{verdict}: {main.detail}" + (f"; also {'; '.join(others)}" if others else "")
    shared = len(set(seed.ids) & set(original.ids))
    union = len(set(seed.ids) | set(original.ids))
    return Comparison(
        coverage=scores.coverage, added=scores.added, changed=changes, blocks=blocks,
        findings=findings, verdict=verdict, reason=reason,
        normalisation=profile(seed_norm, original_norm), seed_word_count=len(seed.tokens),
        original_word_count=len(original.tokens),
        shared_vocabulary=shared / union if union else 0.0,
    )


def _label(seed: Doc, original: Doc, segments: list[Segment]) -> None:
    """Label the seed-only and original-only sentences that are not article text."""
    for doc, own, attr in ((seed, "added", "seed_units"), (original, "omitted", "original_units")):
        owner = {u: s for s in segments for u in getattr(s, attr)}
        runs: list[list[int]] = []
        for index, unit in enumerate(doc.units):
            alone = owner[index].kind == own
            last = runs[-1] if runs else None
            if last and alone == (owner[last[-1]].kind == own) and (
                    not alone or doc.units[last[-1]].para == unit.para):
                last.append(index)
            else:
                runs.append([index])
        pieces = [_piece(doc, run, owner[run[0]].kind != own) for run in runs]
        for run, found in zip(runs, label(pieces), strict=True):
            for index in run:
                owner[index].label = found


def _piece(doc: Doc, run: list[int], carried: bool) -> Piece:
    first, last = doc.units[run[0]], doc.units[run[-1]]
    starts = run[0] == 0 or doc.units[run[0] - 1].para != first.para
    ends = run[-1] + 1 == len(doc.units) or doc.units[run[-1] + 1].para != last.para
    return Piece(
        text=" ".join(doc.units[i].text for i in run), words=last.end - first.start,
        bullet=starts and doc.paragraphs[first.para].bullet, carried=carried,
        whole=starts and ends,
    )


def _blocks(seed: Doc, original: Doc, segments: list[Segment]):
    """Merge neighbouring segments of one kind and paragraph into blocks."""
    groups: list[list[Segment]] = []
    for s in segments:
        if groups and _mergeable(groups[-1][-1], s, seed, original):
            groups[-1].append(s)
        else:
            groups.append([s])
    blocks = []
    for group in groups:
        seed_units = [u for s in group for u in s.seed_units]
        original_units = [u for s in group for u in s.original_units]
        ops = [op for s in group for op in s.ops]
        diff = () if group[0].kind == "identical" else tuple(
            (op.tag, " ".join(op.seed), " ".join(op.original)) for op in ops)
        blocks.append(Block(
            kind=group[0].kind, seed_text=_text(seed, seed_units),
            original_text=_text(original, original_units), diff=diff,
            boilerplate=group[0].label if group[0].kind in ("added", "omitted") else None,
            seed_word_count=_count(seed, seed_units),
            original_word_count=_count(original, original_units),
        ))
    return blocks, groups


def _mergeable(prev: Segment, s: Segment, seed: Doc, original: Doc) -> bool:
    if prev.kind != s.kind or prev.label != s.label or s.kind == "edited" or prev.ops or s.ops:
        return False
    if s.kind == "omitted":
        a, b = prev.original_units[-1], s.original_units[0]
        return b == a + 1 and original.units[a].para == original.units[b].para
    a, b = prev.seed_units[-1], s.seed_units[0]
    if b != a + 1 or seed.units[a].para != seed.units[b].para:
        return False
    return s.kind == "added" or s.original_units[0] == prev.original_units[-1] + 1


def _text(doc: Doc, units: list[int]) -> str:
    paragraphs: list[list[str]] = []
    last = None
    for u in units:
        unit = doc.units[u]
        if unit.para != last:
            paragraphs.append([])
            last = unit.para
        paragraphs[-1].append(unit.text)
    return "\n\n".join(" ".join(p) for p in paragraphs)


def _count(doc: Doc, units: list[int]) -> int:
    return sum(doc.units[u].end - doc.units[u].start for u in units)


def _carried(doc: Doc, segment: Segment, side: str) -> int:
    if segment.kind in ("added", "omitted"):
        return 0
    if segment.ops:
        return sum(len(getattr(op, side)) for op in segment.ops if op.tag == "equal")
    return _count(doc, segment.seed_units if side == "seed" else segment.original_units)


def _scores(seed: Doc, original: Doc, segments: list[Segment]) -> _Scores:
    carried_original = sum(_carried(original, s, "original") for s in segments)
    carried_seed = sum(_carried(seed, s, "seed") for s in segments)
    boilerplate: Counter = Counter()
    omitted_boilerplate = omitted_article = comments = 0
    for s in segments:
        if s.kind == "added" and s.label:
            boilerplate[s.label] += _count(seed, s.seed_units)
            if s.label == "comments":
                unit = seed.units[s.seed_units[0]]
                comments += (seed.paragraphs[unit.para].bullet
                             and seed.para_start[unit.para] == unit.start)
        elif s.kind == "omitted":
            words = _count(original, s.original_units)
            if s.label:
                omitted_boilerplate += words
            else:
                omitted_article += words
    article_original = len(original.tokens) - omitted_boilerplate
    article_seed = len(seed.tokens) - sum(boilerplate.values())
    return _Scores(
        coverage=min(1.0, carried_original / article_original) if article_original else 0.0,
        added=1 - carried_seed / len(seed.tokens) if seed.tokens else 0.0,
        seed_share=carried_seed / article_seed if article_seed > 0 else 1.0,
        omitted_words=omitted_article, boilerplate=boilerplate, comments=comments,
    )


def _different(seed: Doc, original: Doc, scores: _Scores) -> Finding | None:
    if not original.tokens or not seed.tokens:
        side = "original" if not original.tokens else "seed"
        return Finding("different", "different", f"the {side} has no words to compare")
    if scores.coverage < DIFFERENT_MAX_COVERAGE and scores.seed_share < DIFFERENT_MAX_SEED_SHARE:
        return Finding("different", "different", (
            f"not the same article: the seed carries {scores.coverage:.0%} of the original's "
            f"words and the original {scores.seed_share:.0%} of the seed's"))
    return None


def _changes(seed: Doc, original: Doc, vocab: dict, groups: list[list[Segment]]) -> list[Change]:
    lower = {w for w in vocab if w[:1].islower()}

    def proper(word: str) -> bool:
        return word[:1].isupper() and word.lower() not in lower

    changes: list[Change] = []
    for number, group in enumerate(groups):
        for s in group:
            if s.kind == "added" and s.label is None:
                first, last = seed.units[s.seed_units[0]], seed.units[s.seed_units[-1]]
                grade, category = severity.classify_insertion(seed.tokens[first.start : last.end])
                changes.append(Change("inserted", _text(seed, s.seed_units), "", grade, category,
                                      first.start, None, number))
            for op in s.ops:
                if op.tag != "equal":
                    changes.append(_change(seed, original, op, number, proper))
    return changes


def _change(seed: Doc, original: Doc, op: Op, block: int, proper) -> Change:
    quoted = any(seed.quoted(op.seed_at + k) for k in range(len(op.seed))) or any(
        original.quoted(op.original_at + k) for k in range(len(op.original)))
    grade, category = severity.classify(op.seed, op.original, quoted, proper)
    return Change(op.tag, " ".join(op.seed), " ".join(op.original), grade, category,
                  op.seed_at, op.original_at, block)


def _findings(scores: _Scores, blocks: list[Block], changes: list[Change]) -> list[Finding]:
    findings = []
    low = [c for c in changes if c.severity == "low"]
    if len(low) < len(changes) or len(low) >= MANY_LOW_CHANGES:
        findings.append(Finding("altered", "altered", _altered_detail(changes)))
    if scores.omitted_words >= EXCERPT_MIN_OMITTED_WORDS:
        findings.append(Finding("excerpt", "excerpt", _excerpt_detail(scores, blocks)))
    padding = Counter({k: n for k, n in scores.boilerplate.items() if k not in STRUCTURE})
    if padding:
        parts = ", ".join(
            f"{LABEL_NAMES.get(k, k)} ("
            f"{f'{scores.comments} comments, ' if k == 'comments' and scores.comments else ''}"
            f"{n} words)" for k, n in padding.most_common())
        findings.append(Finding("padded", "padded", (
            f"adds {sum(padding.values())} words that are not article text: {parts}")))
    if not findings:
        findings.append(Finding("faithful", "faithful", (
            f"carries {scores.coverage:.0%} of the original's words and adds none"
            if not scores.added else f"carries {scores.coverage:.0%} of the original's words")))
    structure = sum(n for k, n in scores.boilerplate.items() if k in STRUCTURE)
    if structure:
        findings.append(Finding("headings", "faithful", (
            f"carries {structure} words of titles, bylines or headings the original lacks")))
    moved = [b for b in blocks if b.kind == "moved"]
    if moved:
        words = sum(b.seed_word_count for b in moved)
        findings.append(Finding("moved", "faithful",
                                f"{len(moved)} passage(s) in another order ({words} words)"))
    if low and len(low) < MANY_LOW_CHANGES and len(low) == len(changes):
        kinds = ", ".join(sorted({c.category for c in low}))
        findings.append(Finding("minor", "faithful", f"{len(low)} minor difference(s) ({kinds})"))
    return findings


def _altered_detail(changes: list[Change]) -> str:
    """E.g. '3 changes in the article's words, incl. a number (original "2", seed "20")'."""
    parts = []
    edits = [c for c in changes if c.kind != "inserted"]
    if edits:
        top = min(edits, key=lambda c: (-severity.RANK[c.severity],
                                        CATEGORY_ORDER.index(c.category), c.seed_position))
        n = len(edits)
        article = "an" if top.category[0] in "aeiou" else "a"
        parts.append(
            f"{n} change{'s' if n != 1 else ''} in the article's words, incl. {article} "
            f"{top.category} (original \"{_clip(top.original_words)}\", "
            f"seed \"{_clip(top.seed_words)}\")")
    inserted = [c for c in changes if c.kind == "inserted"]
    if inserted:
        words = sum(len(c.seed_words.split()) for c in inserted)
        n = len(inserted)
        parts.append(f"{n} passage{'s' if n != 1 else ''} ({words} words) the original lacks, "
                     f"first \"{_clip(inserted[0].seed_words)}\"")
    return "; ".join(parts)


def _excerpt_detail(scores: _Scores, blocks: list[Block]) -> str:
    omitted = [k for k, b in enumerate(blocks) if b.kind == "omitted" and not b.boilerplate]
    carried = [k for k, b in enumerate(blocks) if b.kind in ("identical", "edited", "moved")]
    where = []
    if carried and omitted[0] < carried[0]:
        where.append("the start")
    if carried and omitted[-1] > carried[-1]:
        where.append("the end")
    if not carried or any(carried[0] < k < carried[-1] for k in omitted):
        where.append("the middle")
    return (f"carries {scores.coverage:.0%} of the original's words; leaves out "
            f"{scores.omitted_words} words at {' and '.join(where)}")


def _clip(text: str) -> str:
    return text if len(text) <= REASON_QUOTE_CHARS else text[: REASON_QUOTE_CHARS - 1] + "…"
