"""What a seed says about itself, before any original is fetched.

A copy often carries traces of how and when it was made: reader comments or a comment form
appended after the article, a browser banner the site only showed years after the date line,
dates in the text later than the date the copy claims, links stripped to `[text](#)`. These
are read from the seed's own text (`Seed.raw` / `seeds.raw`), so the seed page shows them even
when no original could be fetched. Each finding names where in the seed it was seen.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass

# Lines that start reader comments or a comment form (WordPress, Disqus, news sites).
COMMENT_START = re.compile(
    r"^(leave a (reply|comment)|\d+\s+(comments?|responses?|replies)\b|comments?( \(\d+\))?$"
    r"|your email address will not be published|join the discussion|add a comment"
    r"|.{1,40}\bsays:|.{1,40}\bsaid:$)", re.I)
COMMENT_LINE = re.compile(r"^(\s*•\s+|reply$|required fields are marked)", re.I)
THREAD_SHARE = 0.3            # a tail whose paragraphs are this often "• name" is a thread
# Banners a site added at a known time: (pattern, first year seen, what it is).
BANNERS = (
    (re.compile(r"IE 11 is not supported", re.I), 2020,
     "a browser banner ('IE 11 is not supported') that news sites showed from 2020 on"),
    (re.compile(r"we use cookies|cookie (settings|preferences)|accept (all )?cookies", re.I),
     2018, "a cookie banner (sites added these with the GDPR, from 2018 on)"),
)
STRIPPED_LINK = re.compile(r"\[([^\]]+)\]\(#\)")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
DATE_IN_TEXT = re.compile(
    r"\b(?P<month>" + "|".join(m.title() for m in MONTHS) + r")\.? (?P<day>\d{1,2}),? "
    r"(?P<year>(19|20)\d\d)\b|\b(?P<iso>(19|20)\d\d-\d\d-\d\d)\b")
URL_DATE = re.compile(r"/((19|20)\d\d)/(\d\d)/(\d\d)/")
LATE_DAYS = 2                 # a date this many days after the date line does not fit


@dataclass(frozen=True)
class SeedFinding:
    kind: str                 # appended | banner | date | links
    summary: str              # one line a person can read
    where: str                # paragraph numbers, or "whole seed"
    evidence: str             # the words of the seed that show it (shortened)

    def to_dict(self) -> dict:
        return asdict(self)


def paragraphs(raw: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", raw) if p.strip()]


def seed_findings(raw: str, published: str | dt.date | None = None,
                  urls: tuple[str, ...] | list[str] = ()) -> list[SeedFinding]:
    """Every finding in a seed's own text, in the order of the seed."""
    paras = paragraphs(raw)
    date = _date(published)
    found = [*_banners(paras, date), *_appended(paras), *_late_dates(paras, date, urls)]
    links = STRIPPED_LINK.findall(raw)
    if links:
        shown = ", ".join(f"[{t}](#)" for t in links[:3]) + (" …" if len(links) > 3 else "")
        found.append(SeedFinding(
            "links", f"{len(links)} link(s) stripped to [text](#): where they pointed was lost "
            "in copying (the original page keeps them)", "whole seed", shown))
    return found


def _banners(paras: list[str], date: dt.date | None) -> list[SeedFinding]:
    found = []
    for number, para in enumerate(paras, 1):
        for pattern, year, what in BANNERS:
            if pattern.search(para) and (date is None or date.year < year):
                when = f", after the seed's date {date.isoformat()}" if date else ""
                found.append(SeedFinding(
                    "banner", f"{what}{when}: the copy was made later than its date line, "
                    "and this line is site furniture, not article text",
                    f"paragraph {number}", _short(para)))
    return found


def _appended(paras: list[str]) -> list[SeedFinding]:
    """Reader comments or a comment form from the first line that starts them to the end."""
    for number, para in enumerate(paras, 1):
        first = para.splitlines()[0].strip()
        rest = paras[number - 1:]
        thread = COMMENT_LINE.match(first) and \
            sum(1 for p in rest if COMMENT_LINE.match(p)) >= max(3, THREAD_SHARE * len(rest))
        if number > 1 and (COMMENT_START.match(first) or thread):
            comments = sum(1 for p in rest if COMMENT_START.match(p) or COMMENT_LINE.match(p))
            return [SeedFinding(
                "appended", f"reader comments or a comment form appended after the article "
                f"({len(rest)} paragraph(s), {comments} of them comment lines): not article text",
                f"paragraphs {number}–{len(paras)}", _short(para))]
    return []


def _late_dates(paras: list[str], date: dt.date | None,
                urls: tuple[str, ...] | list[str]) -> list[SeedFinding]:
    if date is None:
        return []
    found = []
    for number, para in enumerate(paras, 1):
        for match in DATE_IN_TEXT.finditer(para):
            seen = _match_date(match)
            if seen and (seen - date).days >= LATE_DAYS:
                where = "the headline" if number == 1 else f"paragraph {number}"
                found.append(SeedFinding(
                    "date", f"{where} mentions {seen.isoformat()}, after the seed's date "
                    f"{date.isoformat()}: the date line does not fit the text",
                    f"paragraph {number}", _short(match.group(0))))
    for url in urls:
        match = URL_DATE.search(url)
        seen = _safe_date(int(match[1]), int(match[3]), int(match[4])) if match else None
        if seen and seen != date:
            found.append(SeedFinding(
                "date", f"an original's URL is dated {seen.isoformat()}, the seed "
                f"{date.isoformat()}", "date line", url))
    return found


def _match_date(match: re.Match) -> dt.date | None:
    if match["iso"]:
        try:
            return dt.date.fromisoformat(match["iso"])
        except ValueError:
            return None
    return _safe_date(int(match["year"]), MONTHS.index(match["month"].lower()) + 1,
                      int(match["day"]))


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _date(value: str | dt.date | None) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
