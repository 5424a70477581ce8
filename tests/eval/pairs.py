"""The labelled evaluation set of the compare engine: (seed, original, page text) pairs.

Every pair is made from one of the article texts in `tests/eval/articles/` (written for this
set) by a known transformation, with the verdict a correct comparison gives and the changes it
must locate. `split.json` cut the articles once, before any tuning, into a tuning half and a
held-out half; `pairs("heldout")` is what the figures report.

Kinds (the `kind` of a pair, for the per-kind table): faithful (typography, Markdown, PDF lines,
list and table formatting, metadata lines, paragraphs joined), furniture (the original's
extracted text carries credit lines and widgets the seed leaves out), extraction (the extracted
text lost a sentence, an inline link's words or a second body container that the page shows),
excerpt, padded (reader comments, commentary around quoted paragraphs, another article's
paragraphs interleaved, widgets and credits), altered (one-word changes of meaning, an inserted
sentence, several changes), replaced (a passage replaced by another at the same place),
different.
"""

from __future__ import annotations

import json
import random
import zlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from tests import variants as V
from tests.eval import edits as E
from tests.eval import layout as L

HERE = Path(__file__).resolve().parent
KINDS = ("faithful", "furniture", "extraction", "excerpt", "padded", "altered", "replaced",
         "different")


@dataclass(frozen=True)
class Pair:
    article: str
    kind: str
    name: str
    seed: str
    original: str
    verdict: str
    page: str | None = None
    edits: tuple[E.Edit, ...] = ()        # word changes to locate (kind "replaced" too)
    additions: tuple[str, ...] = ()       # added passages to locate
    findings: frozenset[str] = field(default_factory=frozenset)


@cache
def texts() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8").strip()
            for p in sorted((HERE / "articles").glob("*.txt"))}


@cache
def split() -> dict[str, list[str]]:
    data = json.loads((HERE / "split.json").read_text(encoding="utf-8"))
    return {"tuning": data["tuning"], "heldout": data["heldout"]}


def pairs(half: str | None = None) -> list[Pair]:
    """Every pair of the set, or of one half ("tuning" or "heldout")."""
    names = split()[half] if half else sorted(texts())
    return [p for key in names for p in pairs_of(key)]


@cache
def pairs_of(key: str) -> tuple[Pair, ...]:
    all_texts = texts()
    text = all_texts[key]
    paras = V.paragraphs_of(text)
    title, body = paras[0], paras[1:]
    script = E.script_of(text)
    others = [k for k in sorted(all_texts) if k != key]
    kin = [k for k in others if E.script_of(all_texts[k]) == script] or others
    rng = random.Random(zlib.crc32(key.encode()))
    other = V.paragraphs_of(all_texts[rng.choice(kin)])
    # Trafilatura's text usually lacks the headline; half the articles keep it.
    original = "\n\n".join(body if rng.random() < 0.5 else paras)
    seed = "\n\n".join(paras)
    make = _Maker(key, title, body, original, seed, other, script, rng)
    return tuple(p for p in make.all() if p is not None)


class _Maker:
    def __init__(self, key, title, body, original, seed, other, script, rng):
        self.key, self.title, self.body, self.original = key, title, body, original
        self.seed, self.other, self.script, self.rng = seed, other, script, rng

    def pair(self, kind, name, seed, verdict, **kw) -> Pair:
        kw.setdefault("original", self.original)
        return Pair(self.key, kind, name, seed, verdict=verdict, **kw)

    def all(self):
        yield from self.faithful()
        yield from self.furniture()
        yield from self.extraction()
        yield from self.excerpts()
        yield from self.padded()
        yield from self.altered()
        yield from self.replaced()
        yield from self.different()

    def faithful(self):
        t, b, r = self.title, self.body, self.rng
        yield self.pair("faithful", "identical", self.seed, "faithful")
        yield self.pair("faithful", "typography", V.typography(self.seed, r), "faithful")
        yield self.pair("faithful", "markdown", V.markdown([t, *b], r), "faithful")
        yield self.pair("faithful", "pdf", V.pdf_lines([t, *b], r), "faithful")
        yield self.pair("faithful", "lists", L.restyled([t, *b], r), "faithful")
        yield self.pair("faithful", "metadata", L.with_metadata(t, b, r), "faithful")
        yield self.pair("faithful", "joined", L.joined([t, *b], r), "faithful")
        yield self.pair("faithful", "spelling", _misspelt([t, *b], r), "faithful")
        yield self.pair("faithful", "number-format", L.numbers_restyled(self.seed), "faithful")
        noisy = V.typography(V.pdf_lines([t, *b], r), r)
        yield self.pair("faithful", "pdf+typography", noisy, "faithful")
        noisy = V.typography(L.with_metadata(t, V.markdown(b, r).split("\n\n"), r), r)
        yield self.pair("faithful", "markdown+metadata", noisy, "faithful")

    def furniture(self):
        r = self.rng
        for n in range(3):
            original = L.furnished(self.original.split("\n\n"), r, glued=n == 2)
            yield self.pair("furniture", f"furniture-{n}", self.seed, "faithful", original=original)
        page = L.page(self.title, self.body, r)
        yield self.pair("furniture", "furniture+page", self.seed, "faithful",
                        original=L.furnished(self.original.split("\n\n"), r), page=page)

    def extraction(self):
        r, page = self.rng, L.page(self.title, self.body, self.rng)
        for name, lost in (("lost-sentence", L.lost_sentence), ("lost-link", L.lost_link),
                           ("lost-container", L.lost_container), ("lost-sentence-2", L.lost_sentence),
                           ("lost-link-2", L.lost_link)):
            original = lost(self.original.split("\n\n"), r)
            if original is not None:
                yield self.pair("extraction", name, self.seed, "faithful", original=original,
                                page=page)

    def excerpts(self):
        t, b, r = self.title, self.body, self.rng
        half = max(2, len(b) // 2)
        yield self.pair("excerpt", "lead", "\n\n".join([t, *b[:2]]), "excerpt")
        yield self.pair("excerpt", "half", "\n\n".join([t, *b[:half]]), "excerpt")
        mid = len(b) // 2
        yield self.pair("excerpt", "drop-middle", "\n\n".join([t, *b[:mid], *b[mid + 1:]]), "excerpt")
        yield self.pair("excerpt", "drop-last", "\n\n".join([t, *b[:-1]]), "excerpt")
        yield self.pair("excerpt", "drop-lines", L.dropped_lines([t, *b], r), "excerpt")
        yield self.pair("excerpt", "half+pdf", V.pdf_lines([t, *b[:half]], r), "excerpt")
        yield self.pair("excerpt", "cut", "\n\n".join([t, *b[:half - 1], _cut(b[half - 1])]),
                        "excerpt")

    def padded(self):
        t, b, r = self.title, self.body, self.rng
        for n in range(3):
            comments = L.comments(n, self.script, r)
            yield self.pair("padded", f"comments-{n}", self.seed + "\n\n" + comments, "padded",
                            additions=(L.first_words(comments, n),))
        for n in range(5):
            seed, added = L.commentary(t, b, self.script, r, echo=n >= 2)
            yield self.pair("padded", f"commentary-{n}", seed, "padded", additions=added)
        for n in range(2):
            seed, added = L.interleaved(t, b, self.other, r)
            yield self.pair("padded", f"interleaved-{n}", seed, "padded", additions=added)
        seed, added = L.widgets(t, b, r)
        yield self.pair("padded", "widgets", seed, "padded", additions=added)
        note = L.editors_note(self.script)
        yield self.pair("padded", "editors-note", "\n\n".join([t, note, *b]), "padded",
                        additions=(note,))
        comments = L.comments(0, self.script, r)
        yield self.pair("padded", "comments+page", self.seed + "\n\n" + comments, "padded",
                        original=L.lost_container(self.original.split("\n\n"), r) or self.original,
                        page=L.page(t, b, r), additions=(L.first_words(comments, 0),))

    def altered(self):
        t, b, r = self.title, self.body, self.rng
        plan = [("modal",), ("modal",), ("hedge",), ("negation",), ("number",), ("date",),
                ("name",), ("quote",), ("word",), ("insertion",), ("number", "modal", "name"),
                ("date", "quote", "negation")]
        for kinds in plan:
            made = _apply(b, kinds, r)
            if made:
                body, planted = made
                yield self.pair("altered", "+".join(kinds), "\n\n".join([t, *body]), "altered",
                                edits=planted)
        made = _apply(b, ("number", "hedge"), r)
        if made:
            body, planted = made
            comments = L.comments(1, self.script, r)
            yield self.pair("altered", "altered+comments", "\n\n".join([t, *body, comments]),
                            "altered", edits=planted, findings=frozenset({"altered", "padded"}))
            yield self.pair("altered", "altered+pdf", V.typography(V.pdf_lines([t, *body], r), r),
                            "altered", edits=planted)
            yield self.pair("altered", "altered+page", "\n\n".join([t, *body]), "altered",
                            edits=planted, page=L.page(t, b, r))

    def replaced(self):
        t, b, r = self.title, self.body, self.rng
        for n in range(2):
            k = 1 + (len(b) - 2) * n // 2 + r.randrange(max(1, (len(b) - 2) // 2))
            k = min(k, len(b) - 2)
            new = r.choice(self.other[1:])
            seed = "\n\n".join([t, *b[:k], new, *b[k + 1:]])
            yield self.pair("replaced", f"replaced-{n}", seed, "altered",
                            edits=(E.Edit("replaced", new, b[k]),))

    def different(self):
        t, other = self.title, self.other
        yield self.pair("different", "same-headline", "\n\n".join([t, *other[1:]]), "different")
        yield self.pair("different", "other-article", "\n\n".join(other), "different")


def _apply(body: list[str], kinds: tuple[str, ...], rng: random.Random):
    """Plant one edit of each kind in a different paragraph; None if one finds no place."""
    paras, planted, used = list(body), [], set()
    for kind in kinds:
        free = [k for k in range(len(paras)) if k not in used]
        made = E.EDITS[kind]([paras[k] for k in free], rng)
        if not made:
            return None
        changed, edit = made
        k = next(free[i] for i, p in enumerate(changed) if p != paras[free[i]])
        paras[k] = changed[free.index(k)]
        used.add(k)
        planted.append(edit)
    return paras, tuple(planted)


def _cut(paragraph: str) -> str:
    """The paragraph stopped mid-sentence, as a blog's excerpt does ("...to power a…")."""
    words = paragraph.split(" ")
    if len(words) > 6:
        return " ".join(words[: len(words) * 2 // 3]) + "…"
    return paragraph[: len(paragraph) * 2 // 3] + "…"


def _misspelt(paras: list[str], rng: random.Random) -> str:
    seed, _ = V.misspelt(paras, 1, rng)
    return seed
