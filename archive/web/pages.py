"""What the seedcheck pages show, read from the database: plain functions over a sqlite3 connection.

The Datasette plugin calls these from its routes (`db.execute_fn`), so they are tested without
a server. They return plain data; the templates escape every string they print.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from archive.web import evidence
from archive.web.sidebyside import Row, rows_of, stretches

VERDICTS = ("faithful", "excerpt", "padded", "altered", "different")
NOT_CHECKED = "unchecked"
# Archived payloads the raw view shows as the browser would; anything else is offered as text
# (readable, inert) or as a download.
RENDERED_TYPES = {"text/html", "application/xhtml+xml", "image/png", "image/jpeg", "image/gif",
                  "image/webp"}
TEXT_TYPES = {"text/plain", "text/css", "text/xml", "application/xml", "application/json",
              "application/javascript", "text/javascript", "application/rss+xml",
              "application/atom+xml"}
CHARSET = re.compile(r"[A-Za-z0-9._:-]{1,40}")


@dataclass(frozen=True)
class Links:
    """URLs of the pages, from the web layer (it knows the base URL)."""

    home: str
    compare: Callable[..., str]          # (seed_id, record_id=None)
    raw: Callable[[str], str]            # (record_id)
    table: Callable[[str], str]          # (table name)
    replay: Callable[[str], str] | None = None   # (record_id) the page with its own assets


@dataclass(frozen=True)
class Location:
    warc_file: str
    warc_offset: int
    record_id: str                       # the record holding the payload (a revisit's original)


def verdict_class(verdict: str | None) -> str:
    return verdict if verdict in VERDICTS else NOT_CHECKED


def bare_id(record_id: str) -> str:
    """`<urn:uuid:…>` → `urn:uuid:…`, for URLs."""
    return record_id.strip().removeprefix("<").removesuffix(">")


def full_id(record_id: str) -> str:
    return f"<{bare_id(record_id)}>"


def _rows(conn: sqlite3.Connection, sql: str, params: Any = ()) -> list[dict]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _loads(text: str | None, default: Any) -> Any:
    if not text:
        return default
    try:
        return json.loads(text)
    except ValueError:
        return default


def reason_text(verdict: str | None, reason: str | None) -> str:
    """A verdict's reason without the verdict it starts with (the badge beside it says it)."""
    reason = reason or ""
    return reason.removeprefix(f"{verdict}: ") if verdict else reason


def percent(share: float | None) -> str:
    return "–" if share is None else f"{share * 100:.0f}%"


# -- the seed list ------------------------------------------------------------------------------
PAGE_SIZE = 50    # seeds per home page: it costs the same with 300 seeds or 100,000 (rendering
                  # 100 rows took 35 ms of the server's time; the queries 1 ms)
HOME_SQL = """
select s.id, s.title, s.publication, s.author, s.published, s.word_count,
  c.id as comparison_id, c.record_id, c.verdict, c.reason, c.coverage, c.added, c.changed,
  c.url, c.final_url, c.role, c.source, c.archive, c.captured_at, c.status,
  (select count(*) from comparisons k where k.seed_id = s.id) as comparisons,
  (select count(*) from originals o where o.seed_id = s.id) as originals,
  (select count(*) from fetch_error_seeds f where f.seed_id = s.id) as fetch_errors
from seeds s left join comparisons c on c.seed_id = s.id and c.best = 1
where s.id > ?
order by s.id
limit ?
"""


def home(conn: sqlite3.Connection, links: Links, after: str = "",
         size: int | None = None) -> dict:
    """One page of the seed list, by seed id after `after`; the counts are of every seed."""
    size = size or PAGE_SIZE
    seeds = _rows(conn, HOME_SQL, [after, size + 1])
    more = len(seeds) > size
    seeds = seeds[:size]
    for seed in seeds:
        seed["verdict_class"] = verdict_class(seed["verdict"])
        seed["reason_text"] = reason_text(seed["verdict"], seed["reason"])
        seed["href"] = links.compare(seed["id"])
        seed["coverage_pct"] = percent(seed["coverage"])
        seed["added_pct"] = percent(seed["added"])
        seed["bar"] = round((seed["coverage"] or 0) * 100)
    counts = verdict_counts(conn)
    before = conn.execute("select count(*) from seeds where id <= ?", [after]).fetchone()[0]
    captured = conn.execute(
        "select exists (select 1 from captures where purpose = 'page')").fetchone()[0]
    errors = [] if captured else _rows(conn, "select error from fetch_errors")
    return {"seeds": seeds, "counts": counts, "links": links,
            "failure": evidence.failures(errors, captured, "the seeds' original pages"),
            "total": sum(counts.values()), "first": before + 1 if seeds else before,
            "last": before + len(seeds),
            "next": links.home + "?after=" + quote(seeds[-1]["id"], safe="") if more else None,
            "start": links.home if after else None}


def verdict_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Seeds per verdict class, as the build counted them (`builds.verdicts`)."""
    row = conn.execute("select verdicts from builds order by id desc limit 1").fetchone()
    counts = dict.fromkeys((*VERDICTS, NOT_CHECKED), 0)
    for verdict, count in _loads(row[0] if row else None, {}).items():
        counts[verdict_class(verdict)] += count
    return {k: v for k, v in counts.items() if v}


# -- one seed beside one capture ----------------------------------------------------------------
CHOICES_SQL = """
select c.id as comparison_id, c.record_id, c.original_id, c.url, c.final_url, c.role,
  c.source, c.archive, c.captured_at, c.status, c.kind, c.verdict, c.coverage, c.added,
  c.best, o.position, o.confidence
from comparisons c left join originals o on o.id = c.original_id
where c.seed_id = ?
order by o.position, c.url, c.captured_at, c.id
"""


def compare(conn: sqlite3.Connection, seed_id: str, record_id: str | None,
            links: Links, view: str = "changes") -> dict | None:
    """The compare page of a seed: None when there is no such seed.

    `view`: "changes" folds each run of identical paragraphs into one line; "all" shows them.
    """
    found = _rows(conn, "select * from seeds where id = ?", [seed_id])
    if not found:
        return None
    seed = found[0]
    choices = _rows(conn, CHOICES_SQL, [seed_id])
    current = _choose(choices, record_id and full_id(record_id))
    for choice in choices:
        choice["href"] = links.compare(seed_id, choice["record_id"])
        choice["current"] = choice is current
        choice["verdict_class"] = verdict_class(choice["verdict"])
        choice["coverage_pct"] = percent(choice["coverage"])
    page: dict[str, Any] = {
        "seed": seed, "choices": choices, "groups": _groups(choices), "links": links,
        "originals": _rows(conn, "select * from originals where seed_id = ? order by position",
                           [seed_id]),
        "errors": _rows(conn, "select f.* from fetch_errors f join fetch_error_seeds e "
                              "on e.fetch_error_id = f.id where e.seed_id = ? order by f.time",
                        [seed_id]),
        "comparison": None, "capture": None, "text": None, "rows": [], "differences": [],
        "asked": record_id,
    }
    if current is not None:
        page.update(_evidence(conn, current["comparison_id"], links))
    else:
        page["rows"] = rows_of([], seed["body"] or "", "")
    page["view"] = "all" if view == "all" else "changes"
    page["stretches"] = stretches(page["rows"], fold=page["view"] == "changes")
    page["changes"] = sum(1 for s in page["stretches"] if not s.identical)
    page["own"] = evidence.own_findings(seed, page["originals"])
    page["failure"] = evidence.failures(page["errors"], len(choices))
    page["errors"] = evidence.plain_errors(page["errors"])
    page["citation"] = evidence.citation(seed, page["comparison"], page["capture"])
    page["memento"] = evidence.memento(page["capture"])
    return page


def _choose(choices: list[dict], record_id: str | None) -> dict | None:
    if record_id:
        return next((c for c in choices if c["record_id"] == record_id), None)
    return next((c for c in choices if c["best"]), choices[0] if choices else None)


def _groups(choices: list[dict]) -> list[dict]:
    """Choices grouped by original URL, in the seed's order."""
    groups: dict[tuple, dict] = {}
    for choice in choices:
        key = (choice["original_id"], choice["url"])
        groups.setdefault(key, {"url": choice["url"], "role": choice["role"],
                                "confidence": choice["confidence"], "choices": []})
        groups[key]["choices"].append(choice)
    return list(groups.values())


def _evidence(conn: sqlite3.Connection, comparison_id: int, links: Links) -> dict:
    comparison = _rows(conn, "select * from comparisons where id = ?", [comparison_id])[0]
    capture = _first(conn, "select * from captures where record_id = ?", comparison["record_id"])
    text = _first(conn, "select * from texts where record_id = ?",
                  comparison["text_record_id"] or comparison["record_id"])
    seed = _rows(conn, "select body from seeds where id = ?", [comparison["seed_id"]])[0]
    comparison["findings"] = _loads(comparison["findings"], [])
    comparison["additions"] = _loads(comparison.get("additions"), [])
    comparison["redirects"] = _loads(comparison["redirects"], [])
    comparison["normalisation"] = _loads(comparison["normalisation"], {})
    comparison["verdict_class"] = verdict_class(comparison["verdict"])
    comparison["reason_text"] = reason_text(comparison["verdict"], comparison["reason"])
    comparison["coverage_pct"] = percent(comparison["coverage"])
    comparison["added_pct"] = percent(comparison["added"])
    blocks = _loads(comparison.pop("blocks"), [])
    location = payload_location(conn, comparison["record_id"])
    return {
        "comparison": comparison, "capture": capture, "text": text,
        "rows": rows_of(blocks, seed["body"] or "", (text or {}).get("text") or ""),
        "differences": _rows(conn, "select * from differences where comparison_id = ? "
                                   "order by position", [comparison_id]),
        "raw_href": links.raw(location.record_id) if location else None,
        "replay_href": (links.replay or links.raw)(comparison["record_id"]) if location else None,
        "raw_inline": bool(capture) and raw_content_type(capture["content_type"], None)[1] == {},
        "payload_record": location.record_id if location else None,
    }


def _first(conn: sqlite3.Connection, sql: str, key: str | None) -> dict | None:
    found = _rows(conn, sql, [key]) if key else []
    return found[0] if found else None


# -- the raw archived payload -------------------------------------------------------------------
def payload_location(conn: sqlite3.Connection, record_id: str) -> Location | None:
    """Where the payload of a capture is: its own record, or the one a revisit refers to."""
    seen: set[str] = set()
    while record_id not in seen:
        seen.add(record_id)
        found = _rows(conn, "select record_type, refers_to, warc_file, warc_offset "
                            "from captures where record_id = ?", [record_id])
        if not found:
            return None
        row = found[0]
        if row["record_type"] == "revisit" and row["refers_to"]:
            record_id = row["refers_to"]
            continue
        return Location(row["warc_file"], row["warc_offset"], record_id)
    return None


def raw_content_type(content_type: str | None, charset: str | None) -> tuple[str, dict]:
    """The Content-Type to serve an archived payload with, and any extra headers."""
    mime = (content_type or "").lower()
    # The charset comes from the archived headers: only a plain token goes into ours.
    suffix = f"; charset={charset}" if charset and CHARSET.fullmatch(charset) else ""
    if mime in RENDERED_TYPES:
        return (mime + suffix if mime.startswith(("text/", "application/xhtml")) else mime), {}
    if mime in TEXT_TYPES or mime.startswith("text/"):
        return "text/plain" + suffix, {}
    return "application/octet-stream", {"Content-Disposition": "attachment"}


__all__ = ["Links", "Location", "Row", "bare_id", "compare", "full_id", "home",
           "payload_location", "raw_content_type", "verdict_class"]
