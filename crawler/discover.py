"""URL discovery for `seedcheck resolve`: CDX prefix queries from a seed's site and date.

A news site files an article under its publication date (`/2019/05/14/slug/`, or
`/2019-05-14/`); the web archives list every URL they captured under such a prefix. The
captured URLs are ranked by how many of the title's words their path spells (the slug), and
the best few become candidates to fetch and compare. No Scrapy here: the blocking client of
`crawler.cdx` asks the archives; the crawl and the comparison come after.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from crawler.cdx import ArchiveSource, CdxRow, RateLimit, lookup

STOP_WORDS = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is",
    "it", "its", "of", "on", "or", "that", "the", "this", "to", "was", "were", "will", "with"))
MIN_SCORE = 0.34  # a third of the title's words in the slug


@dataclass(frozen=True)
class Candidate:
    url: str
    score: float          # share of the title's words found in the URL's path
    archive: str
    timestamp: str        # a capture of it (the latest listed)


@dataclass(frozen=True)
class Tried:
    archive: str
    query: str
    found: int            # URLs listed
    error: str | None


def words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", unquote(text).lower()) if w not in STOP_WORDS]


def slug_score(title: str, url: str) -> float:
    """Share of the title's content words that the URL's path spells (0 to 1)."""
    wanted = set(words(title))
    if not wanted:
        return 0.0
    path = set(words(urlsplit(url).path))
    return len(wanted & path) / len(wanted)


def origins(urls: Iterable[str], publication: str | None = None) -> list[str]:
    """`scheme://host[:port]` of every known URL, and of a publication that is a host name."""
    found = [f"{p.scheme}://{p.netloc}" for p in map(urlsplit, urls) if p.netloc]
    if publication and re.fullmatch(r"[\w.-]+\.[a-z]{2,}", publication.strip().lower()):
        found.append(f"https://{publication.strip().lower()}")
    return list(dict.fromkeys(found))


def date_prefixes(origin: str, published: date, spread: int = 1) -> list[str]:
    """Date paths under `origin` from the day before to `spread` days after publication."""
    days = [published + timedelta(days=d) for d in range(-1 if spread else 0, spread + 1)]
    days.sort(key=lambda d: abs((d - published).days))  # the day itself first
    forms = []
    for day in days:
        forms += [f"{origin}/{day:%Y/%m/%d}/", f"{origin}/{day:%Y-%m-%d}/"]
    return forms


def discover(title: str, published: date | None, urls: Sequence[str], publication: str | None,
             sources: Sequence[ArchiveSource], rate: RateLimit, *, spread: int = 0,
             best: int = 3) -> tuple[list[Candidate], list[Tried]]:
    """Ask each CDX source for the URLs under each date prefix; the `best` by slug score."""
    tried: list[Tried] = []
    rows: list[CdxRow] = []
    if published is None:
        return [], tried
    for origin in origins(urls, publication):
        for prefix in date_prefixes(origin, published, spread):
            for source in (s for s in sources if s.kind == "cdx"):
                found = lookup(source, prefix, prefix=True, rate=rate)
                tried.append(Tried(source.name, found.query, len(found.rows), found.error))
                rows.extend(found.rows)
    known = set(urls)
    ranked: dict[str, Candidate] = {}
    for row in rows:
        if row.url in known or (row.status is not None and row.status >= 400):
            continue
        score = round(slug_score(title, row.url), 3)
        seen = ranked.get(row.url)
        if score >= MIN_SCORE and (seen is None or row.timestamp > seen.timestamp):
            ranked[row.url] = Candidate(row.url, score, row.archive, row.timestamp)
    order = sorted(ranked.values(), key=lambda c: (-c.score, c.url))
    return order[:best], tried


def candidate_seeds(folder: Path, seed_file: Path, published: date | None,
                    urls: Sequence[str]) -> Path:
    """A seeds folder for crawling `urls` as one seed's candidates (a copy of its file)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(seed_file, folder / seed_file.name)
    entry: dict = {"file": seed_file.name, "originals": [
        {"url": url, "role": "original", "confidence": "candidate"} for url in urls]}
    if published:
        entry["published"] = published
    (folder / "seeds.yml").write_text(yaml.safe_dump({"seeds": [entry]}, sort_keys=False))
    return folder
