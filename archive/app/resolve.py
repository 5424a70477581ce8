"""`seedcheck resolve`: which candidate pages carry a seed's text, and writing winners back.

`resolve(options)` finds candidate URLs (crawler.discover) and crawls them under the data
folder's lock (live and archived, so they are WARC-recorded like any original); then it reads
what that crawl archived, extracts each candidate's text, compares it with the seed's, and adds
the winners to `seeds.yml` as `candidate` URLs with their score (archive.seeds.candidates),
never touching a `given` or `seen` URL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from archive.app.crawl import CrawlError, CrawlOptions, run_crawl
from archive.compare.engine import compare
from archive.extract.article import extract_payload
from archive.layout import DataDir
from archive.seeds.candidates import Found, ManifestError, add_candidates
from archive.seeds.parse import Seed, load_seeds
from archive.warc.crawllog import read_lines
from archive.warc.writer import Capture, iter_captures, read_capture, warc_files
from crawler.cdx import WAYBACK, ArchiveSource, RateLimit
from crawler.discover import candidate_seeds, discover

MIN_SCORE = 0.5  # at least half of the seed's words found in the candidate's text
ARCHIVE_RATE = 30.0  # CDX requests per minute to each archive
Echo = Callable[[str], None]


class ResolveError(Exception):
    """Resolving could not go on: no such seed, a crawl that could not run, a broken manifest."""


@dataclass(frozen=True)
class ResolveOptions:
    seeds_dir: Path
    data_dir: Path
    seed_ids: tuple[str, ...] = ()        # none: every seed without a given or seen URL
    archives: tuple[ArchiveSource, ...] | None = None   # None: the Wayback Machine
    best: int = 3                         # candidates to fetch and compare per seed
    hosts: tuple[str, ...] = ()           # "HOST:IP" for the crawl, like curl --resolve
    settings: tuple[tuple[str, str], ...] = ()          # crawl setting overrides


@dataclass(frozen=True)
class Scored:
    url: str
    score: float            # share of the seed's words the candidate's text carries
    coverage: float         # share of the candidate's article words the seed carries
    verdict: str
    source: str             # which capture gave the score: "live" or the archive's name
    record_id: str | None
    note: str               # why (or why not)


def needs_resolving(seed: Seed) -> bool:
    """No original URL, or only `candidate` ones."""
    return all(u.confidence == "candidate" for u in seed.urls)


def _locations(warcs_dir: Path) -> dict[str, tuple[Path, int, str | None]]:
    """record id -> (file, offset, the record a revisit refers to)."""
    found = {}
    for path in warc_files(warcs_dir):
        for c in iter_captures(path, with_body=False):
            found[c.record_id] = (path, c.offset, c.refers_to)
    return found


def _capture(record_id: str, where: dict) -> Capture | None:
    for _ in range(3):  # a revisit: follow WARC-Refers-To to the body
        spot = where.get(record_id)
        if spot is None:
            return None
        path, offset, refers_to = spot
        if refers_to is None:
            return read_capture(path, offset)
        record_id = refers_to
    return None


def _records(line: dict) -> list[tuple[str, str]]:
    """(source, record id) of every 2xx capture a crawl-log line names."""
    records = []
    if line.get("record_id") and line.get("status") and 200 <= line["status"] < 300:
        records.append(("live", line["record_id"]))
    for a in line.get("archived") or []:
        if a.get("record_id") and a.get("status") and 200 <= a["status"] < 300:
            records.append((a["archive"], a["record_id"]))
    return records


def score_candidates(seed: Seed, lines: Iterable[dict], warcs_dir: Path) -> list[Scored]:
    """Each crawled candidate URL scored by its best capture's text against the seed."""
    where = _locations(warcs_dir)
    scored = []
    for line in lines:
        best: Scored | None = None
        for source, record_id in _records(line):
            capture = _capture(record_id, where)
            if capture is None:
                continue
            text = extract_payload(capture.body, capture.content_type, capture.charset,
                                   url=line["url"])
            result = compare(seed.text, text.text, page_text=text.page_text)
            score = round(1.0 - result.added, 3) if text.text.strip() else 0.0
            if best is None or score > best.score:
                best = Scored(line["url"], score, round(result.coverage, 3), result.verdict,
                              source, record_id, result.reason)
        scored.append(best or Scored(line["url"], 0.0, 0.0, "-", "-", None,
                                     line.get("reason") or line.get("detail")
                                     or "nothing fetched"))
    return sorted(scored, key=lambda s: -s.score)


def winners(scored: Sequence[Scored], keep: int = 1) -> list[Scored]:
    return [s for s in scored if s.score >= MIN_SCORE][:keep]


def write_back(manifest: Path, seed: Seed, chosen: Sequence[Scored],
               slug_scores: dict[str, float]) -> list[str]:
    """Add the chosen URLs to the manifest as candidates; what was done, line by line."""
    found = [Found(s.url, s.score,
                   note=f"found by seedcheck resolve: {s.verdict} via {s.source}, "
                        f"slug score {slug_scores.get(s.url, 0):.2f}")
             for s in chosen]
    return add_candidates(manifest, seed.path.name, found)


def resolve(options: ResolveOptions, echo: Echo = print) -> None:
    """`seedcheck resolve`: candidates found, crawled and scored for each chosen seed."""
    loaded = load_seeds(options.seeds_dir)
    wanted = options.seed_ids
    chosen = [s for s in loaded.seeds if (s.id in wanted or s.path.name in wanted)
              or (not wanted and needs_resolving(s))]
    if wanted and len(chosen) < len(wanted):
        raise ResolveError(f"no such seed among {', '.join(wanted)} in {options.seeds_dir}")
    sources = (WAYBACK,) if options.archives is None else options.archives
    rate = RateLimit(ARCHIVE_RATE)
    with DataDir(options.data_dir).lock("resolve"):
        for seed in chosen:
            _resolve_seed(seed, options, sources, rate, echo)


def _resolve_seed(seed: Seed, options: ResolveOptions, sources: Sequence[ArchiveSource],
                  rate: RateLimit, echo: Echo) -> None:
    echo(f"{seed.id}  {seed.title}  ({seed.published or 'date unknown'})")
    found, tried = discover(seed.title, seed.published, [u.url for u in seed.urls],
                            seed.publication, sources, rate, best=options.best)
    for t in tried:
        echo(f"  query {t.query}: {t.error or f'{t.found} URL(s)'}")
    for c in found:
        echo(f"  candidate {c.url} (slug score {c.score:.2f}, {c.archive} {c.timestamp})")
    if not found:
        echo("  no candidate URL found")
        return
    data = DataDir(options.data_dir)
    seeds_dir = candidate_seeds(data.resolve_folder(seed.id), seed.path, seed.published,
                                [c.url for c in found])
    crawl = CrawlOptions(seeds_dir=seeds_dir, data_dir=data.root, hosts=options.hosts,
                         settings=options.settings, archives=tuple(sources))
    try:
        summary = run_crawl(crawl)
    except CrawlError as exc:
        raise ResolveError(str(exc)) from exc
    scored = score_candidates(seed, read_lines(summary.crawl_log), data.warcs)
    for s in scored:
        echo(f"  score {s.score:.3f} (coverage {s.coverage:.3f}) {s.url}: {s.note}")
    try:
        for message in write_back(options.seeds_dir / "seeds.yml", seed, winners(scored),
                                  {c.url: c.score for c in found}):
            echo(f"  seeds.yml: {message}")
    except ManifestError as exc:
        raise ResolveError(str(exc)) from exc
