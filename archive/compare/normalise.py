"""The normalisation profile: what may differ between two copies of a text without being a change.

`normalise(text)` turns a seed or an extracted original into paragraphs of comparable text and
counts what each step changed, so a comparison can report the profile it applied. Whatever a
step changes is, by definition, never a difference between seed and original.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

PROFILE_NAME = "seedcheck-normalise 1"

# One line per step, as reported with every comparison (in the order they run).
STEPS = {
    "nfkc": "Unicode NFKC: ligatures, full-width forms, non-breaking and other spaces",
    "invisible": "soft hyphens and zero-width characters removed",
    "quotes": "curly quotes, primes and guillemets made straight",
    "dashes": "em/en dashes, minus signs and double hyphens made one spaced dash; a dash in a "
              "number range or inside a word made a hyphen",
    "entities": "HTML entities decoded",
    "markdown": "Markdown leftovers dropped: [text](url), **bold**, *italic*, # heading, > quote",
    "bullets": "list bullets at the start of a line dropped (remembered for boilerplate)",
    "line_joins": "line breaks that split a sentence joined (PDF lines, page breaks, hyphens)",
    "glued": "a sentence glued to the next by an extractor (\"stress.Click To Tweet\") split",
    "whitespace": "runs of whitespace made one space",
}
PUNCTUATION_NOTE = "words are compared; punctuation between words is not"

NBSP_LIKE = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
LIGATURES = re.compile(r"[\ufb00-\ufb06\uff01-\uff5e]")
INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")
SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u00b4\u2039\u203a"
DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b"
QUOTE_OF = dict.fromkeys(SINGLE_QUOTES + "`", "'") | dict.fromkeys(DOUBLE_QUOTES, '"')
# One scan finds every character some step changes (NBSP-like, ligatures, invisible, quotes,
# dashes); the steps then run only when their characters are there.
SPECIAL = re.compile(
    f"[{NBSP_LIKE.pattern[1:-1]}{LIGATURES.pattern[1:-1]}{INVISIBLE.pattern[1:-1]}"
    f"{SINGLE_QUOTES}{DOUBLE_QUOTES}{DASHES}]")
_STEP_OF = (dict.fromkeys(SINGLE_QUOTES + DOUBLE_QUOTES, "quotes") | dict.fromkeys(DASHES, "dashes")
            | dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff", "invisible")
            | {"--": "dashes"})
# Spaces around the dash are collapsed with all other whitespace afterwards.
DASH = re.compile(r"[\u2010-\u2015\u2212\u2e3a\u2e3b]+|--+")
# Two sentences an extractor glued together: a full stop between a word and a capitalised one.
GLUED = re.compile(r"([.!?])(?<=[^\W_]{2}[.!?])(?=[A-Z][a-z])")
ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+\d*);")
MARKDOWN = (  # (pattern, replacement, characters without which it cannot match)
    (re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)"), r"\1", "]("),
    (re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)"), r"\1", "]("),
    (re.compile(r"\*\*(.+?)\*\*"), r"\1", "**"),
    (re.compile(r"__(.+?)__"), r"\1", "__"),
    (re.compile(r"\*(?<![\w*]\*)(?![\s*])(.+?)(?<![\s*])\*(?![\w*])"), r"\1", "*"),
    (re.compile(r"_(?<![\w_]_)(?![\s_])(.+?)(?<![\s_])_(?![\w_])"), r"\1", "_"),
    (re.compile(r"^[ \t]*#{1,6}[ \t]+", re.M), "", "#"),
    (re.compile(r"^[ \t]*>[ \t]?", re.M), "", ">"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])"), r"\1", "\\"),
)
BULLET = re.compile(r"^[•◦▪‣·*+-] ")
BULLET_CHARS = frozenset("•◦▪‣·*+-")
# A line a page layout may drop into the middle of a sentence; a sentence split around it is
# joined across it ("…his government" / "Related article: …" / "opposed the coup…").
INSERT_LINE = re.compile(r"^(Related( article| story)?\s*:|Read (more|also)\s*:|See also\s*:"
                         r"|Advertisement$|CREDIT\s*:|Photo\s*:)", re.I)
# A line ends a sentence when its last character (before closing quotes/brackets) is one of these.
TERMINAL = frozenset(".!?:;。！？؟")
CLOSERS = "\"')]*"


@dataclass(frozen=True)
class Paragraph:
    text: str          # normalised
    bullet: bool       # the line started with a list bullet (a common mark of reader comments)


@dataclass(frozen=True)
class Normalised:
    paragraphs: tuple[Paragraph, ...]
    counts: dict[str, int]   # step -> how many places it changed


def profile(seed: Normalised, original: Normalised) -> dict:
    """The profile applied to a pair, as reported with the comparison (JSON-ready)."""
    return {
        "profile": PROFILE_NAME,
        "steps": dict(STEPS),
        "note": PUNCTUATION_NOTE,
        "seed": {k: v for k, v in seed.counts.items() if v},
        "original": {k: v for k, v in original.counts.items() if v},
    }


def normalise(text: str) -> Normalised:
    """Normalise `text` and split it into paragraphs (one per line, sentence-split lines joined)."""
    counts = dict.fromkeys(STEPS, 0)
    found = Counter(SPECIAL.findall(text)) if not text.isascii() else Counter()
    if "--" in text:
        found["--"] = text.count("--")
    for char, n in found.items():
        counts[_STEP_OF.get(char, "nfkc")] += n
    if not text.isascii() and not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if counts["invisible"]:
        text = INVISIBLE.sub("", text)
    if "`" in text:  # a backtick used as an apostrophe
        counts["quotes"] += text.count("`")
        found["`"] = 1
    for char in found:
        if char in QUOTE_OF:
            text = text.replace(char, QUOTE_OF[char])
    if counts["dashes"]:
        text = DASH.sub(_dash, text)
    if "&" in text:
        counts["entities"] = len(ENTITY.findall(text))
        text = html.unescape(text) if counts["entities"] else text
    text, counts["glued"] = GLUED.subn(r"\1 ", text) if "." in text else (text, 0)
    text, counts["markdown"] = _markdown(text)
    lines, counts["bullets"], counts["whitespace"] = _lines(text)
    paragraphs, counts["line_joins"] = _join(lines)
    return Normalised(tuple(paragraphs), counts)


def _dash(match: re.Match) -> str:
    """A hyphen inside a word or a dash in a number range stays a hyphen; others are spaced."""
    dash, text, start, end = match.group(), match.string, match.start(), match.end()
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if dash in "\u2010\u2011" and before.isalnum() and after.isalnum():
        return "-"
    if dash in "\u2012\u2013" and before.isdigit() and after.isdigit():
        return "-"
    return " - "


def _markdown(text: str) -> tuple[str, int]:
    total = 0
    for pattern, repl, needed in MARKDOWN:
        if needed in text:
            text, n = pattern.subn(repl, text)
            total += n
    return text, total


def _lines(text: str) -> tuple[list[tuple[str, bool]], int, int]:
    """(line text, bullet) for each non-empty line, whitespace collapsed."""
    lines: list[tuple[str, bool]] = []
    bullets = spaces = 0
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        spaces += len(line) != len(raw)
        bullet = line[0] in BULLET_CHARS and BULLET.match(line) is not None
        if bullet:
            line = BULLET.sub("", line)
            bullets += 1
            if not line:
                continue
        lines.append((line, bullet))
    return lines, bullets, spaces


def ends_sentence(line: str) -> bool:
    stripped = line.rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in TERMINAL


def _join(lines: list[tuple[str, bool]]) -> tuple[list[Paragraph], int]:
    """Join a line to the one before when the break splits a sentence.

    A break splits a sentence when the line before ends without terminal punctuation and the
    next begins with a lowercase letter (a PDF line or page break). A word hyphenated across
    the break ("gov-" / "ernment") is mended. Bullets always begin a new paragraph.
    """
    paragraphs: list[list] = []
    joins = 0
    for text, bullet in lines:
        target = len(paragraphs) - 1
        if target >= 1 and INSERT_LINE.match(paragraphs[target][0]):
            target -= 1
        if (target >= 0 and not bullet and text[0].islower()
                and not INSERT_LINE.match(paragraphs[target][0])
                and not ends_sentence(paragraphs[target][0])):
            prev = paragraphs[target][0]
            if len(prev) > 1 and prev[-1] == "-" and prev[-2].isalpha():
                paragraphs[target][0] = prev[:-1] + text
            else:
                paragraphs[target][0] = prev + " " + text
            joins += 1
        else:
            paragraphs.append([text, bullet])
    return [Paragraph(t, b) for t, b in paragraphs], joins
