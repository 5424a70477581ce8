"""`seedcheck resolve`: which candidate pages carry a seed's text, and writing winners back.

The CLI finds candidate URLs (crawler.discover) and crawls them (live and archived, so they are
WARC-recorded like any original); this module reads what that crawl archived, extracts each
candidate's text, compares it with the seed's, and adds the winners to `seeds.yml` as
`candidate` URLs with their score (archive.seeds.candidates),
never touching a `given` or `seen` URL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from archive.compare.engine import compare
from archive.extract.article import extract_payload
from archive.seeds.candidates import Found, add_candidates
from archive.seeds.parse import Seed
from archive.warc.writer import Capture, iter_captures, read_capture, warc_files

MIN_SCORE = 0.5  # at least half of the seed's words found in the candidate's text


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
            result = compare(seed.text, text.text)
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
