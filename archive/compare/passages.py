"""What each passage only one side has is: furniture, on the page, an addition, an insertion, or
one side of a replaced passage.

After alignment, the seed's unaligned sentences and the original's are labelled
(`archive.compare.boilerplate`): comments, captions, widgets, credits, title lines. Then:
- a seed sentence the page shows word for word is on the original (label `page`): the
  extraction missed it, the seed did not add it;
- a seed paragraph with no sentence of the original's is an addition (padding); a seed
  sentence inside a paragraph that carries the original's sentences is an insertion (altered);
- an addition that sits exactly where the original has a passage the seed lacks, inside the
  body, in a copy that leaves out and adds nothing else, is one "replaced" change (label
  `replaced`).
"""

from __future__ import annotations

from archive.compare.align import Doc, Segment
from archive.compare.boilerplate import Piece, label
from archive.compare.evidence import Page, shown
from archive.compare.normalise import ends_sentence

CARRIED = frozenset({"identical", "edited", "moved"})
# Labels of the article's own furniture (title lines, subheads): a seed that carries them where
# the original's text lacks them is not padded.
STRUCTURE = frozenset({"header", "heading"})
# The page shows it (the extraction missed it); one side of a replaced passage.
ON_PAGE, REPLACED = "page", "replaced"
# A passage put in another's place, rather than commentary around an excerpt: at most this
# many such places in one copy.
REPLACED_MAX_PLACES = 2
# A repeated sentence this long is a pull quote (shorter ones repeat by chance: "He agreed.").
PULL_QUOTE_MIN_WORDS = 5


def classify(seed: Doc, original: Doc, segments: list[Segment], page: Page | None,
             excerpt_words: int) -> None:
    """Set `label` on every added and omitted segment (None: article text / a real addition)."""
    _split_titles(seed, original, segments)
    _cut_ends(segments)
    _label(seed, original, segments)
    _pull_quotes(original, segments)
    if page is not None:
        for s in segments:
            candidate = (s.kind == "added" and s.label not in ("comments", "header")) or (
                s.kind in ("edited", "moved") and s.ops)
            if candidate and shown(seed, s.seed_units, page):
                s.label = ON_PAGE
    _replacements(seed, original, segments, excerpt_words)


def _cut_ends(segments: list[Segment]) -> None:
    """An excerpt that starts or stops mid-sentence ("...the dam was built in 1894 to power…")
    leaves words out; it does not change the sentence."""
    carried = [s for s in segments if s.kind in CARRIED]
    if not carried:
        return
    first, last = carried[0], carried[-1]
    if last.ops and last.ops[-1].tag == "omitted":
        last.cut += len(last.ops[-1].original)
        last.ops = last.ops[:-1]
    if first.ops and first.ops[0].tag == "omitted":
        first.cut += len(first.ops[0].original)
        first.ops = first.ops[1:]
    for s in (first, last):
        if s.kind == "edited" and all(op.tag == "equal" for op in s.ops):
            s.kind = "identical"


def _pull_quotes(original: Doc, segments: list[Segment]) -> None:
    """A sentence the original's text repeats (a pull quote set in the page's margin) is page
    furniture when the seed carries it once."""
    omitted = [s for s in segments if s.kind == "omitted" and s.label is None]
    if not omitted:
        return
    carried = "\n".join(original.units[u].text for s in segments if s.kind in CARRIED
                         for u in s.original_units)
    for s in omitted:
        if all(original.units[u].end - original.units[u].start >= PULL_QUOTE_MIN_WORDS
               and original.units[u].text in carried for u in s.original_units):
            s.label = "pull-quote"


def _split_titles(seed: Doc, original: Doc, segments: list[Segment]) -> None:
    """Title lines before the body that differ ("City Museum Reopens" against "City Museum
    Reopens After Restoration") are metadata on each side, not an edited sentence."""
    for k, s in enumerate(segments):
        if s.kind in ("identical", "moved") and ends_sentence(seed.units[s.seed_units[0]].text):
            return
        if (s.kind == "edited" and len(s.seed_units) == len(s.original_units) == 1
                and not ends_sentence(seed.units[s.seed_units[0]].text)
                and not ends_sentence(original.units[s.original_units[0]].text)):
            segments[k] = Segment("added", s.seed_units, [], key=s.key, gap=s.gap)
            segments.insert(k + 1, Segment("omitted", [], s.original_units, key=s.key, gap=s.gap))
        elif s.kind == "edited":
            return


def whole_paragraphs(seed: Doc, segments: list[Segment]) -> set[int]:
    """Seed paragraphs that carry none of the original's sentences."""
    carried = {seed.units[u].para for s in segments if s.kind in CARRIED for u in s.seed_units}
    return set(range(len(seed.paragraphs))) - carried


def is_addition(segment: Segment, seed: Doc, alone: set[int]) -> bool:
    """An added segment that pads the copy (not structure, not on the page, not replaced)."""
    if segment.kind != "added" or segment.label in STRUCTURE or segment.label in (ON_PAGE,
                                                                                 REPLACED):
        return False
    return segment.label is not None or seed.units[segment.seed_units[0]].para in alone


def _label(seed: Doc, original: Doc, segments: list[Segment]) -> None:
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
        for run, found in zip(runs, label(pieces, seed_side=doc is seed), strict=True):
            for index in run:
                owner[index].label = found


def _piece(doc: Doc, run: list[int], carried: bool) -> Piece:
    first, last = doc.units[run[0]], doc.units[run[-1]]
    starts = run[0] == 0 or doc.units[run[0] - 1].para != first.para
    ends = run[-1] + 1 == len(doc.units) or doc.units[run[-1] + 1].para != last.para
    paragraph = doc.paragraphs[first.para]
    return Piece(
        text=" ".join(doc.units[i].text for i in run), words=last.end - first.start,
        bullet=starts and paragraph.bullet, carried=carried, whole=starts and ends,
    )


def _replacements(seed: Doc, original: Doc, segments: list[Segment], excerpt_words: int) -> None:
    """Mark additions that stand where the original has another passage as replaced."""
    alone = whole_paragraphs(seed, segments)
    places: list[tuple[list[Segment], list[Segment]]] = []
    run: list[Segment] = []
    seen_carried = False
    omitted_total = 0
    for s in [*segments, None]:
        if s is not None and s.kind == "omitted" and s.label is None:
            omitted_total += _words(original, s.original_units)
        if s is None or s.kind in CARRIED:
            added = [x for x in run if is_addition(x, seed, alone) and x.label is None]
            omitted = [x for x in run if x.kind == "omitted" and x.label is None]
            if seen_carried and s is not None and added and omitted:
                places.append((added, omitted))
            run, seen_carried = [], seen_carried or s is not None
        else:
            run.append(s)
    if not places or len(places) > REPLACED_MAX_PLACES:
        return
    inside_places = {id(x) for added, _ in places for x in added}
    if any(is_addition(x, seed, alone) and x.label is None and id(x) not in inside_places
           for x in segments):
        return  # commentary around quoted passages, not a passage put in another's place
    inside = sum(_words(original, x.original_units) for _, omitted in places for x in omitted)
    if omitted_total - inside >= excerpt_words:
        return
    for added, omitted in places:
        for x in (*added, *omitted):
            x.label = REPLACED


def _words(doc: Doc, units: list[int]) -> int:
    return sum(doc.units[u].end - doc.units[u].start for u in units)
