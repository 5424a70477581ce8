"""Which version of an original does a seed match, and where do the differences come from?

A seed may have several originals (the article and a repost) and each several captures (live
today, a web archive's copy of 2019). `best_match` compares the seed with every version, ranks
them, and tells apart a seed that was altered (it differs from every version in the same way)
from an original that was edited later (the seed matches an early capture, not a later one).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from archive.compare.engine import VERDICTS, Change, Comparison, compare

ROLE_ORDER = ("original", "repost", "quoted")
CAUSES = ("none", "original-edited", "versions-differ", "seed-altered", "undecided", "no-match")


@dataclass(frozen=True)
class Version:
    key: Any                              # e.g. the capture's record id, or a comparison id
    text: str
    captured_at: datetime | str | None = None
    role: str = "original"                # original | repost | quoted
    source: str = "live"                  # live | archive
    url: str | None = None


@dataclass(frozen=True)
class BestMatch:
    best: Any                             # key of the version the seed matches best
    ranking: list                         # every key, best first
    comparisons: dict[str, Comparison]
    cause: str                            # one of CAUSES
    explanation: str                      # one line a person can read
    shared_changes: list[Change] = field(default_factory=list)  # found against every version

    @property
    def id(self):
        """The best version's key (the comparison id when versions were database rows)."""
        return self.best

    @property
    def reason(self) -> str:
        return self.explanation

    def to_dict(self) -> dict:
        return {
            "best": self.best, "ranking": self.ranking, "cause": self.cause,
            "explanation": self.explanation,
            "shared_changes": [asdict(c) for c in self.shared_changes],
            "comparisons": {k: c.to_dict() for k, c in self.comparisons.items()},
        }


def best_match(seed_text: str, versions: Sequence[Version | Mapping]) -> BestMatch:
    """Compare the seed with every version; say which it matches and why the others differ.

    A version may also be a mapping (a `comparisons` row joined with its text): `id` or `key`,
    `text`, `captured_at`, `role`, `source`, `url`.
    """
    versions = [v if isinstance(v, Version) else as_version(v) for v in versions]
    return pick(versions, {v.key: compare(seed_text, v.text) for v in versions})


def pick(versions: Sequence[Version], comparisons: Mapping[Any, Comparison]) -> BestMatch:
    """The best match among versions already compared with the seed (`comparisons` by key):
    the build compares each version once and picks from those comparisons."""
    comparisons = dict(comparisons)
    if not versions:
        return BestMatch(None, [], {}, "no-match", "no version of the original to compare with")
    ranked = sorted(versions, key=lambda v: _rank(v, comparisons[v.key]))
    best = ranked[0]
    ranking = [v.key for v in ranked]
    found = comparisons[best.key]
    if found.verdict == "different":
        return BestMatch(best.key, ranking, comparisons, "no-match",
                         f"the seed matches none of the {len(versions)} version(s): "
                         f"{found.reason}")
    comparable = [v for v in ranked if comparisons[v.key].verdict != "different"]
    shared = _shared(comparisons, comparable)
    if not _serious(found):
        cause, explanation = _best_is_clean(best, found, comparable, comparisons)
    else:
        cause, explanation = _best_is_altered(best, found, comparable, comparisons, shared)
    return BestMatch(best.key, ranking, comparisons, cause, explanation, shared)


def as_version(row: Mapping) -> Version:
    key = row["key"] if "key" in row else row["id"]
    return Version(key=key, text=row.get("text") or "", captured_at=row.get("captured_at"),
                   role=row.get("role") or "original", source=row.get("source") or "live",
                   url=row.get("url"))


def _rank(version: Version, c: Comparison) -> tuple:
    role = ROLE_ORDER.index(version.role) if version.role in ROLE_ORDER else len(ROLE_ORDER)
    return (VERDICTS.index(c.verdict), len(_serious(c)), -round(c.coverage, 4), c.added, role,
            _date(version.captured_at) or "9999")


def _serious(c: Comparison) -> list[Change]:
    return [ch for ch in c.changed if ch.severity != "low"]


def _signature(c: Comparison) -> set[tuple]:
    return {(ch.seed_position, ch.seed_words, ch.original_words) for ch in _serious(c)}


def _shared(comparisons: dict[str, Comparison], comparable: list[Version]) -> list[Change]:
    if len(comparable) < 2:
        return []
    common = set.intersection(*(_signature(comparisons[v.key]) for v in comparable))
    first = comparisons[comparable[0].key]
    return [ch for ch in _serious(first)
            if (ch.seed_position, ch.seed_words, ch.original_words) in common]


def _best_is_clean(best, found, comparable, comparisons) -> tuple[str, str]:
    differing = [v for v in comparable[1:] if _serious(comparisons[v.key])]
    head = f"the seed matches {_describe(best)} ({found.verdict})"
    same_page = [v for v in differing if v.url == best.url and _date(v.captured_at)
                 and _date(best.captured_at) and _date(v.captured_at) != _date(best.captured_at)]
    if same_page:
        other = same_page[0]
        then = ("the original was edited later"
                if _date(other.captured_at) > _date(best.captured_at)
                else "the original was edited and the seed follows the edited text")
        return "original-edited", f"{head}; {_differs(other, comparisons)}: {then}"
    if differing:
        return "versions-differ", f"{head}; {_differs(differing[0], comparisons)}"
    return "none", head


def _differs(v: Version, comparisons: dict[str, Comparison]) -> str:
    c = comparisons[v.key]
    return f"{_describe(v)} differs in {len(_serious(c))} change(s), e.g. {_example(c)}"


def _best_is_altered(best, found, comparable, comparisons, shared) -> tuple[str, str]:
    n = len(_serious(found))
    if len(comparable) < 2:
        return "undecided", (
            f"the seed differs from {_describe(best)}, the only matching version, in {n} "
            f"change(s), e.g. {_example(found)}: either the seed was altered or the original "
            f"was edited before it was captured")
    if len(shared) == n:
        later = _later_edits(best, comparable, comparisons, n)
        return "seed-altered", (
            f"the seed differs from all {len(comparable)} versions in the same {n} change(s), "
            f"e.g. {_example(found)}: the seed was altered{later}")
    if shared:
        return "seed-altered", (
            f"{len(shared)} change(s) appear against every version, e.g. "
            f"{_describe_change(shared[0])}: the seed was altered; closest is "
            f"{_describe(best)}, other differences vary between versions")
    return "versions-differ", (
        f"the seed differs from each version in other ways; closest is {_describe(best)} "
        f"({n} change(s), e.g. {_example(found)})")


def _later_edits(best, comparable, comparisons, n: int) -> str:
    """A note on later captures of the same page that differ in more changes than the best."""
    for v in comparable[1:]:
        more = len(_serious(comparisons[v.key])) - n
        if more > 0 and v.url == best.url and _date(v.captured_at) > _date(best.captured_at):
            return (f"; {_describe(v)} differs in {more} more change(s): the original was "
                    f"edited later")
    return ""


def _date(value: datetime | str | None) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return value or ""


def _describe(v: Version) -> str:
    when = _date(v.captured_at)[:10]
    return f"the {v.role} ({v.source}{', ' + when if when else ''})"


def _example(c: Comparison) -> str:
    serious = _serious(c)
    return _describe_change(serious[0]) if serious else "none"


def _describe_change(ch: Change) -> str:
    return f"{ch.category} (original \"{ch.original_words[:40]}\", seed \"{ch.seed_words[:40]}\")"
