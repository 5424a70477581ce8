"""How much a change of words matters: numbers, dates, quotations, names and negations most.

`classify` names the category of one changed span and ranks it `high`, `medium` or `low`.
Case, accents, hyphenation and one-letter typos are `low` (spelling); a change to function
words only is `low` (wording); any other change of words is `medium`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence

from rapidfuzz.distance import Levenshtein

RANK = {"low": 0, "medium": 1, "high": 2}
# A one-letter difference in a lowercase word at least this long is a typo, not a new word.
TYPO_MIN_LENGTH = 5
# Seed-only sentences (not boilerplate): this many words make a high-severity insertion.
INSERTION_HIGH_WORDS = 6
INSERTION_LOW_WORDS = 3

def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Month and weekday names count as dates only when capitalised ("May", not "may").
CALENDAR_NAMES = _set(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday "
    "saturday sunday")
RELATIVE_DAYS = _set("today yesterday tomorrow tonight weekend")
NUMBER_WORDS = _set(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty "
    "ninety hundred hundreds thousand thousands million millions billion billions trillion "
    "dozen dozens half quarter double triple twice first second third fourth fifth percent"
)
NEGATIONS = _set("not no never nor none nobody nothing neither without cannot nowhere n't")
FUNCTION_WORDS = _set(
    "a an the this that these those which who whom whose and or but so as at by for from in "
    "into of on onto to with about over up out off than then there here it its is are was were "
    "be been being has have had do does did will would shall should can could may might must "
    "very just also too"
)
# Modals and hedges: a change of these changes how certain a statement is.
MODALS = _set(
    "could would might may will shall should can must cannot won't wouldn't couldn't mightn't "
    "probably possibly likely unlikely perhaps maybe reportedly allegedly alleged apparently "
    "presumably supposedly seemingly suspected purported claimed about around nearly almost "
    "roughly approximately partly fairly some")
YEAR = re.compile(r"^(1[5-9]|20)\d\d(s|'s)?$")
DIGIT = re.compile(r"\d")
THOUSANDS = re.compile(r"(?<=\d)[, \u202f\u00a0'](?=\d{3}(?!\d))")
NUMBER_MARK = re.compile(r"(?<=\d)[.,](?=\d)")


def fold(words: Sequence[str]) -> str:
    """Words without case, accents, hyphens, apostrophes or spaces: spelling-blind.

    A point or comma between digits stays: "$4.8" and "$48" are different numbers; a thousands
    separator does not ("1,200", "1 200" and "1200" are one number), nor how percent is
    written ("10%", "10 per cent")."""
    text = unicodedata.normalize("NFKD", " ".join(words).casefold())
    if any(c.isdigit() for c in text):
        text = THOUSANDS.sub("", text).replace("%", "percent").replace("per cent", "percent")
    text = NUMBER_MARK.sub("#", text)
    return "".join(c for c in text if c.isalnum() or c == "#")


def _negations(words: Sequence[str]) -> list[str]:
    found = []
    for w in words:
        lw = w.lower()
        if lw in NEGATIONS or lw.endswith("n't"):
            found.append(lw)
    return sorted(found)


def _modals(words: Sequence[str]) -> list[str]:
    return sorted(w.lower() for w in words if w.lower() in MODALS)


def _is_date(word: str) -> bool:
    lw = word.lower().rstrip(".")
    if lw in CALENDAR_NAMES:
        return word[:1].isupper()
    return lw in RELATIVE_DAYS or bool(YEAR.match(lw))


def _is_number(word: str) -> bool:
    return bool(DIGIT.search(word)) or word.lower() in NUMBER_WORDS


def classify(
    seed: Sequence[str],
    original: Sequence[str],
    quoted: bool,
    proper: Callable[[str], bool],
) -> tuple[str, str]:
    """(severity, category) of replacing `original` words by `seed` words."""
    both = [*seed, *original]
    if seed and original and fold(seed) == fold(original):
        return "low", "spelling"
    if not original and len(seed) >= INSERTION_HIGH_WORDS:
        return "high", "insertion"
    if not seed and len(original) >= INSERTION_HIGH_WORDS:
        return "medium", "omission"
    if _modals(seed) != _modals(original):
        return "high", "modal"
    if _typo(seed, original, proper) and not DIGIT.search(seed[0] + original[0]) and not (
            seed[0].lower() in NUMBER_WORDS and original[0].lower() in NUMBER_WORDS):
        return "low", "spelling"  # "milllion", not "billion"
    if any(_is_date(w) for w in both):
        return "high", "date"
    if any(_is_number(w) for w in both):
        return "high", "number"
    if _negations(seed) != _negations(original):
        return "high", "negation"
    if quoted:
        return "high", "quotation"
    if any(proper(w) for w in both):
        return "high", "name"
    if all(w.lower() in FUNCTION_WORDS for w in both):
        return "low", "wording"
    return "medium", "wording"


def classify_insertion(words: Sequence[str]) -> tuple[str, str]:
    """A sentence found only in the seed and not labelled as boilerplate."""
    if len(words) >= INSERTION_HIGH_WORDS:
        return "high", "insertion"
    if len(words) >= INSERTION_LOW_WORDS or any(_is_number(w) for w in words):
        return "medium", "insertion"
    return "low", "insertion"


def _typo(seed: Sequence[str], original: Sequence[str], proper: Callable[[str], bool]) -> bool:
    if len(seed) != 1 or len(original) != 1:
        return False
    a, b = seed[0], original[0]
    if proper(a) or proper(b) or min(len(a), len(b)) < TYPO_MIN_LENGTH:
        return False
    return Levenshtein.distance(a.lower(), b.lower(), score_cutoff=1) <= 1
