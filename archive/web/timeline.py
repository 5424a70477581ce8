"""The history pages: one URL's captures and changes over time, and what changed since a date.

Plain functions over a sqlite3 connection, like `archive.web.pages`; the Datasette plugin calls
them from `/-/seedcheck/url?url=…` and `/-/seedcheck/changes?since=…`. They return plain data;
the templates escape every string they print. A database built before the `changes` table
existed shows captures and no changes.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from archive.web.pages import Links, verdict_class

MAX_CHANGES = 500
DATE = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?Z?)?")


@dataclass(frozen=True)
class HistoryLinks:
    base: Links
    timeline: Callable[[str], str]       # (url) -> the URL's timeline page
    changes: Callable[[str], str]        # (since) -> the changes page


def _rows(conn: sqlite3.Connection, sql: str, params: Any = ()) -> list[dict]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def _has_changes(conn: sqlite3.Connection) -> bool:
    return bool(conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'changes'").fetchone())


def _change(row: dict, links: HistoryLinks) -> dict:
    """A `changes` row with its JSON read and links to the compare pages."""
    row = dict(row)
    row["diff"] = json.loads(row.get("diff") or "[]")
    verdicts = json.loads(row.get("verdicts") or "[]")
    for v in verdicts:
        v["before_class"] = verdict_class(v["before"])
        v["after_class"] = verdict_class(v["after"])
        v["href"] = links.base.compare(v["seed_id"], row["record_id"]) if row["record_id"] \
            else links.base.compare(v["seed_id"])
    row["verdicts"] = verdicts
    row["timeline"] = links.timeline(row["url"])
    return row


def timeline(conn: sqlite3.Connection, url: str, links: HistoryLinks) -> dict:
    """Every capture and failed fetch of `url`, oldest first, each with what changed there."""
    changes = {}
    if _has_changes(conn):
        for row in _rows(conn, "SELECT * FROM changes WHERE url = ? ORDER BY id", [url]):
            changes[(row["captured_at"], row["record_id"])] = _change(row, links)
    events = []
    for capture in _rows(conn, (
            "SELECT c.*, t.word_count, t.kind AS text_kind FROM captures c "
            "LEFT JOIN texts t ON t.record_id = c.text_record_id WHERE c.url = ? "
            "ORDER BY c.captured_at, c.record_id"), [url]):
        verdicts = _rows(conn, "SELECT seed_id, verdict, id FROM comparisons "
                               "WHERE record_id = ? ORDER BY seed_id", [capture["record_id"]])
        for v in verdicts:
            v["verdict_class"] = verdict_class(v["verdict"])
            v["href"] = links.base.compare(v["seed_id"], capture["record_id"])
        events.append({"at": capture["captured_at"], "what": "capture", "capture": capture,
                       "raw": links.base.raw(capture["record_id"]), "verdicts": verdicts,
                       "change": changes.get((capture["captured_at"], capture["record_id"]))})
    for failure in _rows(conn, "SELECT * FROM fetch_errors WHERE url = ? ORDER BY time", [url]):
        events.append({"at": failure["time"], "what": "failed", "failure": failure,
                       "change": changes.get((failure["time"], None))})
    events.sort(key=lambda e: e["at"] or "")
    seeds = _rows(conn, "SELECT DISTINCT seed_id, role FROM originals WHERE url = ? "
                        "ORDER BY seed_id", [url])
    for seed in seeds:
        seed["href"] = links.base.compare(seed["seed_id"])
    return {"url": url, "events": events, "seeds": seeds, "links": links,
            "changes": len(changes), "known": bool(events or seeds)}


def changes_since(conn: sqlite3.Connection, since: str, links: HistoryLinks) -> dict:
    """The changes seen on or after `since` (a date or time; empty: all), newest first."""
    since = since.strip()
    problem = None
    if since and not DATE.fullmatch(since):
        problem = f"{since!r} is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM)"
        since = ""
    rows: list[dict] = []
    if _has_changes(conn):
        rows = _rows(conn, "SELECT * FROM changes WHERE ? = '' OR captured_at >= ? "
                           "ORDER BY captured_at DESC, id DESC LIMIT ?",
                     [since, since, MAX_CHANGES + 1])
    counts: dict[str, int] = {}
    for row in rows[:MAX_CHANGES]:
        counts[row["kind"]] = counts.get(row["kind"], 0) + 1
    return {"since": since, "problem": problem, "links": links, "counts": counts,
            "changes": [_change(r, links) for r in rows[:MAX_CHANGES]],
            "more": len(rows) > MAX_CHANGES}
