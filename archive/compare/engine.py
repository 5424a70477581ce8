"""Compare a seed with its original: coverage, additions, ranked changes and a verdict.

`compare(seed_text, original_text, page_text=...)` normalises both texts
(`archive.compare.normalise`), aligns them sentence by sentence and word by word
(`archive.compare.align`), labels material that is not article text
(`archive.compare.boilerplate`), tells additions from insertions and replaced passages, with
the page's full text as evidence (`archive.compare.passages`), ranks every change of words
(`archive.compare.severity`) and states its findings (`archive.compare.findings`). The verdict
is the most serious finding, in the order of `VERDICTS`.
`archive.compare.best_match` builds on it: which version a seed matches, and whether its
differences come from the seed or from later edits.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from archive.compare import findings as F
from archive.compare import passages as P
from archive.compare import severity
from archive.compare.align import Doc, Op, Segment, align, vocabulary
from archive.compare.comparison import COMPARE_VERSION, Addition, Block, Change, Comparison
from archive.compare.evidence import Page
from archive.compare.evidence import shown as shown_on
from archive.compare.findings import Finding
from archive.compare.normalise import ends_sentence, normalise, profile

__all__ = ["COMPARE_VERSION", "VERDICTS", "Addition", "Block", "Change", "Comparison", "compare"]

# From least to most serious; a comparison's verdict is its most serious finding.
VERDICTS = ("faithful", "excerpt", "padded", "altered", "different")

# Excerpt: the seed leaves out article text, at least this many words, or a whole sentence of
# at least EXCERPT_MIN_SENTENCE_WORDS (a short Russian or Japanese sentence).
EXCERPT_MIN_OMITTED_WORDS = 8
EXCERPT_MIN_SENTENCE_WORDS = 3
# Different: the seed carries less than this share of the original's words AND the original
# carries less than this share of the seed's article words (same headline, another body).
DIFFERENT_MAX_COVERAGE = 0.2
DIFFERENT_MAX_SEED_SHARE = 0.2
# Categories from most to least serious (reports sort changes by it).
CATEGORY_ORDER = F.ORDER
# Widget words an extractor glues into a sentence ("stress.Click To Tweet"): never a change.
GLUED_FURNITURE = re.compile(r"(click to tweet|tweet this|share( this)?( on \w+)?|advertisement"
                             r"|read more|related( articles?| stories)?)", re.I)


@dataclass(frozen=True)
class _Scores:
    coverage: float
    added: float
    seed_share: float
    omitted_words: int          # article words of the original in omitted blocks (0: too few)
    on_page: int                # seed words the page shows that the extracted text lacks
    structure: int              # seed words of headings the original's text lacks
    metadata: Finding | None    # the title lines of either side, compared apart from the body


def compare(seed_text: str, original_text: str, *, page_text: str | None = None) -> Comparison:
    """Compare a seed with one original text (and, as evidence, everything its page shows).

    Never raises on odd or empty text."""
    seed_norm, original_norm = normalise(seed_text), normalise(original_text)
    vocab, units = vocabulary(), vocabulary()
    whole = frozenset(p.text for p in seed_norm.paragraphs) & frozenset(
        p.text for p in original_norm.paragraphs)
    seed = Doc(seed_norm, vocab, units, whole)
    original = Doc(original_norm, vocab, units, whole)
    segments = align(seed, original)
    page = Page(page_text, vocab) if page_text and page_text.strip() else None
    P.classify(seed, original, segments, page, EXCERPT_MIN_OMITTED_WORDS)
    blocks, groups = _blocks(seed, original, segments)
    scores = _scores(seed, original, segments, page)
    different = _different(seed, original, scores)
    changes = [] if different else _changes(seed, original, vocab, groups)
    additions = [] if different else _additions(seed, groups)
    findings = [different] if different else _findings(scores, blocks, changes, additions)
    verdict = max((f.verdict for f in findings), key=VERDICTS.index)
    shared = len(set(seed.ids) & set(original.ids))
    union = len(set(seed.ids) | set(original.ids))
    return Comparison(
        coverage=scores.coverage, added=scores.added, changed=changes, additions=additions,
        blocks=blocks, findings=findings, verdict=verdict, reason=F.reason(verdict, findings),
        normalisation=profile(seed_norm, original_norm), seed_word_count=len(seed.tokens),
        original_word_count=len(original.tokens),
        shared_vocabulary=shared / union if union else 0.0,
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
            boilerplate=group[0].label,
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


def _scores(seed: Doc, original: Doc, segments: list[Segment], page: Page | None) -> _Scores:
    carried_original = sum(_carried(original, s, "original") for s in segments)
    carried_seed = sum(_carried(seed, s, "seed") for s in segments)
    labelled = Counter()
    omitted_furniture = omitted_article = sentences = 0
    for s in segments:
        if s.cut:
            omitted_article += s.cut
            sentences += s.cut >= EXCERPT_MIN_SENTENCE_WORDS
        if s.kind == "added" and s.label:
            labelled[s.label] += _count(seed, s.seed_units)
        elif s.kind == "omitted":
            words = _count(original, s.original_units)
            if s.label == P.REPLACED:  # article text, but one side of a "replaced" change
                continue
            if s.label:
                omitted_furniture += words
            else:
                omitted_article += words
                sentences += words >= EXCERPT_MIN_SENTENCE_WORDS and all(
                    ends_sentence(original.units[u].text) for u in s.original_units)
    article_original = len(original.tokens) - omitted_furniture
    shown = labelled[P.ON_PAGE] + sum(  # and words of edited sentences the page shows
        len(op.seed) for s in segments if s.kind != "added" and s.label == P.ON_PAGE
        for op in s.ops if op.tag != "equal")
    article_seed = len(seed.tokens) - sum(labelled.values()) + labelled[P.REPLACED]
    return _Scores(
        coverage=min(1.0, carried_original / article_original) if article_original else 0.0,
        added=1 - (carried_seed + shown) / len(seed.tokens) if seed.tokens else 0.0,
        seed_share=(carried_seed + shown) / (article_seed + shown) if article_seed > 0 else 1.0,
        omitted_words=omitted_article if omitted_article >= EXCERPT_MIN_OMITTED_WORDS or sentences
        else 0, on_page=shown,
        structure=labelled["heading"], metadata=_metadata(seed, original, segments, page),
    )


def _metadata(seed: Doc, original: Doc, segments: list[Segment], page: Page | None):
    """Title, standfirst, byline and date lines: the seed's against the original's and the page."""
    mine = [u for s in segments if s.kind == "added" and s.label == "header" for u in s.seed_units]
    theirs = [u for s in segments if s.kind == "omitted" and s.label == "header"
              for u in s.original_units]
    if not mine and not theirs:
        return None
    shown = None if page is None or not mine else shown_on(seed, mine, page)
    return Finding("metadata", "faithful", F.metadata(
        _text(seed, mine), _text(original, theirs), shown))


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

    alone = P.whole_paragraphs(seed, [s for g in groups for s in g])
    changes: list[Change] = []
    for number, group in enumerate(groups):
        for s in group:
            if s.label in (P.REPLACED, P.ON_PAGE):
                continue
            if s.kind == "added" and not P.is_addition(s, seed, alone) and s.label is None:
                first, last = seed.units[s.seed_units[0]], seed.units[s.seed_units[-1]]
                grade, category = severity.classify_insertion(seed.tokens[first.start : last.end])
                changes.append(Change("inserted", _text(seed, s.seed_units), "", grade, category,
                                      first.start, None, number))
            for op in s.ops:
                if op.tag != "equal" and not (
                        not op.seed and GLUED_FURNITURE.fullmatch(" ".join(op.original))):
                    changes.append(_change(seed, original, op, number, proper))
    changes.extend(_replaced(seed, original, groups))
    changes.sort(key=lambda c: (c.seed_position, c.block))
    return changes


def _replaced(seed: Doc, original: Doc, groups: list[list[Segment]]) -> list[Change]:
    """One change per place where the seed has a passage instead of the original's."""
    out: list[Change] = []
    current: list[tuple[int, Segment]] = []
    for number, group in enumerate([*groups, []]):
        members = [s for s in group if s.label == P.REPLACED]
        if members:
            current.extend((number, s) for s in members)
            continue
        if current:
            added = [u for _, s in current for u in s.seed_units]
            omitted = [u for _, s in current for u in s.original_units]
            at = seed.units[added[0]].start if added else 0
            out.append(Change("replaced", _text(seed, added), _text(original, omitted), "high",
                              "replacement", at,
                              original.units[omitted[0]].start if omitted else None,
                              current[0][0]))
            current = []
    return out


def _change(seed: Doc, original: Doc, op: Op, block: int, proper) -> Change:
    quoted = any(seed.quoted(op.seed_at + k) for k in range(len(op.seed))) or any(
        original.quoted(op.original_at + k) for k in range(len(op.original)))
    grade, category = severity.classify(op.seed, op.original, quoted, proper)
    return Change(op.tag, " ".join(op.seed), " ".join(op.original), grade, category,
                  op.seed_at, op.original_at, block)


def _additions(seed: Doc, groups: list[list[Segment]]) -> list[Addition]:
    segments = [s for g in groups for s in g]
    alone = P.whole_paragraphs(seed, segments)
    carried = [u for s in segments if s.kind in P.CARRIED for u in s.seed_units]
    body = [seed.units[u].start for u in carried if ends_sentence(seed.units[u].text)] or [
        seed.units[u].start for u in carried]  # the body: carried sentences, not the headline
    first, last = (min(body), max(body)) if body else (0, 0)
    # Neighbouring additions of one kind with no article text between them are one passage
    # (a comment section, a run of another article's paragraphs).
    runs: list[tuple[list[int], str | None, int]] = []
    joinable = False
    for number, group in enumerate(groups):
        if group[0].kind in P.CARRIED:
            joinable = False
        if not P.is_addition(group[0], seed, alone):
            continue
        units = [u for s in group for u in s.seed_units]
        if joinable and runs[-1][1] == group[0].label:
            runs[-1][0].extend(units)
        else:
            runs.append((units, group[0].label, number))
        joinable = True
    out: list[Addition] = []
    for units, label, number in runs:
        at = seed.units[units[0]].start
        where = "before" if at < first else "after" if at > last else "inside"
        out.append(Addition(_text(seed, units), _count(seed, units), where, where == "inside",
                            label, at, number))
    return out


def _findings(scores: _Scores, blocks: list[Block], changes: list[Change],
              additions: list[Addition]) -> list[Finding]:
    findings = []
    if F.is_altered(changes):
        findings.append(Finding("altered", "altered", F.altered(changes)))
    if scores.omitted_words:
        findings.append(Finding("excerpt", "excerpt", F.excerpt(
            scores.coverage, scores.omitted_words, _where_omitted(blocks))))
    if additions:
        findings.append(Finding("padded", "padded", F.padded(additions)))
    if not findings:
        findings.append(Finding("faithful", "faithful", F.faithful(scores.coverage,
                                                                   scores.added)))
    if scores.metadata:
        findings.append(scores.metadata)
    if scores.structure:
        findings.append(Finding("headings", "faithful", (
            f"carries {scores.structure} words of headings the original's text lacks")))
    if scores.on_page:
        findings.append(Finding("extraction", "faithful", (
            f"{scores.on_page} words of the seed are on the original page but not in its "
            "extracted text (the extraction's miss, not the seed's)")))
    moved = [b for b in blocks if b.kind == "moved"]
    if moved:
        words = sum(b.seed_word_count for b in moved)
        findings.append(Finding("moved", "faithful",
                                f"{len(moved)} passage(s) in another order ({words} words)"))
    low = [c for c in changes if c.severity == "low"]
    if low and not F.is_altered(changes):
        kinds = ", ".join(sorted({c.category for c in low}))
        findings.append(Finding("minor", "faithful", f"{len(low)} minor difference(s) ({kinds})"))
    return findings


def _where_omitted(blocks: list[Block]) -> list[str]:
    omitted = [k for k, b in enumerate(blocks) if b.kind == "omitted" and not b.boilerplate]
    carried = [k for k, b in enumerate(blocks) if b.kind in ("identical", "edited", "moved")]
    if not omitted:  # only words cut off mid-sentence
        return ["at the end of a sentence"]
    where = []
    if carried and omitted[0] < carried[0]:
        where.append("at the start")
    if carried and omitted[-1] > carried[-1]:
        where.append("at the end")
    if not carried or any(carried[0] < k < carried[-1] for k in omitted):
        where.append("in the middle")
    return where
