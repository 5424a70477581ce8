"""Findings and the reason line: what a comparison found, in words a person can read.

Each finding names a verdict of DESIGN.md ("Verdicts, defined") or a note that leaves a seed
faithful (moved passages, minor spelling, title lines, the extraction's misses, metadata). The
reason is one headline ("altered: 3 changes of meaning: a number, a quote, a name"); its counts
are the counts of `.changed` and `.additions`, so the figures beside it agree.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

# Altered: any change of medium or high severity, or at least this many low changes of wording
# (spelling never counts).
MANY_LOW_CHANGES = 5
REASON_QUOTE_CHARS = 60
MEANING = {  # category -> how the headline names one change of meaning
    "number": "a number", "date": "a date", "quotation": "a quote", "negation": "a negation",
    "name": "a name", "modal": "a modal or hedge", "insertion": "an inserted sentence",
    "replacement": "a replaced passage", "omission": "words left out", "wording": "a wording",
}
ORDER = ("number", "date", "quotation", "negation", "name", "modal", "replacement", "insertion",
         "omission", "wording", "spelling")
LABEL_NAMES = {
    "comments": "reader comments", "caption": "captions and credits", "banner": "site banners",
    "widget": "link widgets", "related": "related-article links", "header": "title lines",
    "disclaimer": "disclaimers and source notes", "heading": "headings", None: "text",
    "pull-quote": "pull quotes",
}


@dataclass(frozen=True)
class Finding:
    kind: str      # a verdict, or a note that leaves a seed faithful: moved, minor, headings,
                   # extraction (the page shows what the extracted text lacks), metadata
                   # (title, standfirst, byline and date lines, compared apart from the body)
    verdict: str
    detail: str


def counted(changes) -> list:
    """The changes that make a copy altered (spelling never does)."""
    return [c for c in changes if c.category != "spelling"]


def is_altered(changes) -> bool:
    real = counted(changes)
    low = [c for c in real if c.severity == "low"]
    return len(low) < len(real) or len(low) >= MANY_LOW_CHANGES


def altered(changes) -> str:
    """'3 changes of meaning: a number, a quote, a name; 1 other change of wording'."""
    real = counted(changes)
    high = sorted((c for c in real if c.severity == "high"),
                  key=lambda c: (ORDER.index(c.category), c.seed_position))
    parts = []
    if high:
        kinds = Counter(c.category for c in high)
        names = ", ".join(MEANING.get(k, k) + (f" ({n})" if n > 1 else "") for k, n in
                          sorted(kinds.items(), key=lambda kv: ORDER.index(kv[0])))
        parts.append(f"{_n(len(high), 'change')} of meaning: {names}")
    rest = len(real) - len(high)
    if rest:
        parts.append(f"{_n(rest, 'other change' if high else 'change')} of wording")
    if high:
        top = high[0]
        parts.append(f"first: {_quote(top.original_words)} -> {_quote(top.seed_words)}")
    return "; ".join(parts)


def excerpt(coverage: float, omitted_words: int, where: list[str]) -> str:
    return (f"carries {coverage:.0%} of the article's words; leaves out {omitted_words} words "
            f"{' and '.join(where)}")


def padded(additions) -> str:
    """'adds 4 passages (120 words) the page does not show: reader comments (3), text (1)'."""
    words = sum(a.words for a in additions)
    kinds = Counter(LABEL_NAMES.get(a.label, a.label) for a in additions)
    inside = sum(a.where == "inside" for a in additions)
    where = f", {inside} inside the article's body" if inside else ""
    names = ", ".join(f"{k} ({n})" for k, n in kinds.most_common())
    return (f"adds {_n(len(additions), 'passage')} ({words} words) the page does not show"
            f"{where}: {names}")


def faithful(coverage: float, added: float) -> str:
    return (f"carries {coverage:.0%} of the article's words and adds none" if not added
            else f"carries {coverage:.0%} of the article's words")


def metadata(seed: str, original: str, on_page: bool | None) -> str:
    """The seed's title lines against the original's: same, different, or only on one side."""
    def lines(text: str) -> str:
        return " / ".join(_quote(p) for p in text.split("\n\n")) if text else ""

    if seed and original:
        same = " ".join(seed.casefold().split()) == " ".join(original.casefold().split())
        head = "same title lines" if same else "title lines differ"
        return f"{head}: seed {lines(seed)}; original {lines(original)}"
    if seed:
        where = {True: "shown on the page", False: "not on the page",
                 None: "not in the original's text"}[on_page]
        return f"the seed's title lines ({where}): {lines(seed)}"
    return f"the original's title lines, kept apart from its body: {lines(original)}"


def reason(verdict: str, findings: list[Finding]) -> str:
    main = next(f for f in findings if f.verdict == verdict and f.kind == verdict)
    others = sorted({f.kind for f in findings if f.kind in ("excerpt", "padded", "altered")
                     and f is not main})
    return f"{verdict}: {main.detail}" + (f" (also {', '.join(others)})" if others else "")


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _quote(words: str) -> str:
    """The words in quotes, clipped, without doubling the quote marks they carry."""
    text = words.replace('"', "").strip() or "nothing"
    if text == "nothing":
        return text
    if len(text) > REASON_QUOTE_CHARS:
        text = text[: REASON_QUOTE_CHARS - 1] + "…"
    return f'"{text}"'
