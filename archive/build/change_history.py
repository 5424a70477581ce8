"""Change history: when each URL's text changed, went away, moved or came back.

Every capture of a URL (live or from a web archive) and every failed live fetch of it, in
capture-time order, is one observation: a page (2xx), a redirect (3xx), gone (404, 410) or
failed (a fetch that failed, any other error status). `record_changes` compares consecutive
observations of each URL and writes one `changes` row per event: `changed` (the extracted text
differs from the last page's: words added and removed), `moved` (it now redirects, or redirects
elsewhere), `gone`, `failed`, and `back` (a page again after a redirect or an error). Each row
carries the verdict of every seed against the new and the previous capture, from `comparisons`.

`snapshot` and `news` compare two builds for the alerts of `seedcheck schedule`.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from archive.db.store import DatabaseError, Store, open_database

MAX_SPANS = 20        # diff spans kept per change
MAX_SPAN_WORDS = 40   # words kept of each side of a span


@dataclass
class Seen:
    """One observation of a URL."""

    url: str
    at: str
    state: str                      # page | redirect | gone | failed
    record_id: str | None = None
    crawl_id: str | None = None
    status: int | None = None
    text_record_id: str | None = None
    location: str | None = None
    error: str | None = None


def observations(store: Store) -> Iterator[list[Seen]]:
    """Every URL's observations, oldest first, one URL at a time."""
    captures = store.query(
        "SELECT url, captured_at AS at, record_id, crawl_id, status, text_record_id, location, "
        "NULL AS error FROM captures "
        "UNION ALL SELECT url, time, NULL, crawl_id, status, NULL, NULL, "
        "coalesce(error, 'other') || coalesce(': ' || detail, '') FROM crawls "
        "WHERE outcome = 'failed' AND coalesce(source, 'live') = 'live' "
        "ORDER BY url, at, record_id")
    batch: list[Seen] = []
    for row in captures:
        seen = Seen(state=_state(row["status"], row["record_id"]), **row)
        if seen.location:
            seen.location = urljoin(seen.url, seen.location)
        if batch and batch[-1].url != seen.url:
            yield batch
            batch = []
        batch.append(seen)
    if batch:
        yield batch


def _state(status: int | None, record_id: str | None) -> str:
    if record_id is None:
        return "failed"
    if status is None or 200 <= status < 300:
        return "page"
    if 300 <= status < 400:
        return "redirect"
    return "gone" if status in (404, 410) else "failed"


def events(history: list[Seen]) -> Iterator[tuple[str, Seen, Seen, Seen | None]]:
    """(kind, previous observation, new one, last page before it) of one URL's history."""
    previous: Seen | None = None
    last_page: Seen | None = None
    for seen in history:
        kind = None
        if previous is not None:
            if seen.state == "page":
                if previous.state != "page":
                    kind = "back"
                elif seen.text_record_id != previous.text_record_id:
                    kind = "changed"
            elif seen.state == "redirect":
                if previous.state != "redirect" or previous.location != seen.location:
                    kind = "moved"
            elif seen.state != previous.state and previous.state in ("page", "redirect"):
                kind = seen.state
            elif seen.state == "gone" and previous.state == "failed":
                kind = "gone"
        if kind is not None:
            yield kind, previous, seen, last_page
        previous = seen
        if seen.state == "page":
            last_page = seen


def word_diff(before: str, after: str) -> tuple[int, int, list[dict]]:
    """(words added, words removed, the changed spans) between two texts."""
    old, new = before.split(), after.split()
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    added = removed = 0
    spans = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        added += j2 - j1
        removed += i2 - i1
        if len(spans) < MAX_SPANS:
            spans.append({"removed": " ".join(old[i1:min(i2, i1 + MAX_SPAN_WORDS)]),
                          "added": " ".join(new[j1:min(j2, j1 + MAX_SPAN_WORDS)])})
    return added, removed, spans


def verdicts(store: Store, seen: Seen | None) -> dict[str, str]:
    """Seed id -> verdict of the seed against this observation (its page, or where it led)."""
    if seen is None or seen.record_id is None:
        return {}
    rows = list(store.query(
        "SELECT seed_id, verdict FROM comparisons WHERE record_id = ? ORDER BY id",
        [seen.record_id]))
    if not rows and seen.crawl_id:   # a redirect: the comparison of the page it led to
        rows = list(store.query(
            "SELECT c.seed_id, c.verdict FROM comparisons c JOIN captures f "
            "ON f.record_id = c.record_id WHERE c.url = ? AND f.crawl_id = ? ORDER BY c.id",
            [seen.url, seen.crawl_id]))
    found: dict[str, str] = {}
    for row in rows:
        found.setdefault(row["seed_id"], row["verdict"])
    return found


def _text(store: Store, seen: Seen | None) -> str | None:
    if seen is None or seen.text_record_id is None:
        return None
    rows = list(store.query("SELECT text FROM texts WHERE record_id = ?", [seen.text_record_id]))
    return rows[0]["text"] if rows else None


def change_row(store: Store, number: int, kind: str, previous: Seen, seen: Seen,
               last_page: Seen | None) -> dict | None:
    """The `changes` row of one event; None for a `changed` whose text is the same."""
    before, after = _text(store, last_page), _text(store, seen)
    added = removed = None
    spans: list[dict] = []
    if before is not None and after is not None:
        if kind == "changed" and before == after:
            return None   # new bytes, same text (an ad, a timestamp): not a change
        added, removed, spans = word_diff(before, after)
    old, new = verdicts(store, previous), verdicts(store, seen)
    listed = [{"seed_id": s, "before": old.get(s), "after": new.get(s)}
              for s in sorted(set(old) | set(new))]
    return {
        "id": number, "url": seen.url, "kind": kind, "captured_at": seen.at,
        "record_id": seen.record_id, "crawl_id": seen.crawl_id, "status": seen.status,
        "location": seen.location, "error": seen.error,
        "previous_at": previous.at, "previous_record_id": previous.record_id,
        "previous_crawl_id": previous.crawl_id, "previous_status": previous.status,
        "text_record_id": seen.text_record_id,
        "previous_text_record_id": last_page.text_record_id if last_page else None,
        "words_added": added, "words_removed": removed,
        "diff": json.dumps(spans, ensure_ascii=False) if spans else None,
        "verdicts": json.dumps(listed), "seed_ids": json.dumps([v["seed_id"] for v in listed]),
        "verdict_changed": int(any(v["before"] != v["after"] for v in listed)),
    }


def record_changes(store: Store) -> int:
    """Fill the `changes` table from the captures, crawl logs and comparisons; returns rows."""
    number = 0
    for history in observations(store):   # streamed: one URL's observations at a time
        for kind, previous, seen, last_page in events(history):
            row = change_row(store, number + 1, kind, previous, seen, last_page)
            if row is not None:
                number += 1
                store.add("changes", row)
    store.flush("changes")
    return number


# -- what is new since the previous build (alerts) ----------------------------------------------

@dataclass
class Snapshot:
    """What a build says, reduced to what alerts compare."""

    changes: dict[tuple, dict] = field(default_factory=dict)   # event key -> changes row
    verdicts: dict[tuple[str, str], dict] = field(default_factory=dict)  # (seed, url) -> latest
    exists: bool = False


LATEST_VERDICTS = """
SELECT seed_id, url, verdict, captured_at, record_id, final_url FROM comparisons c
WHERE source = 'live' AND captured_at = (SELECT max(captured_at) FROM comparisons d
  WHERE d.seed_id = c.seed_id AND d.url = c.url AND d.source = 'live')
ORDER BY seed_id, url, id
"""


def snapshot(path: Path) -> Snapshot:
    """The changes and the latest live verdict of each seed and original URL of a database."""
    try:
        db = open_database(path)
    except DatabaseError:
        return Snapshot()
    try:
        shot = Snapshot(exists=True)
        if "changes" in db.table_names():
            for row in db.query("SELECT * FROM changes ORDER BY id"):
                shot.changes[(row["url"], row["kind"], row["captured_at"], row["record_id"])] = row
        for row in db.query(LATEST_VERDICTS):
            shot.verdicts.setdefault((row["seed_id"], row["url"]), row)
    finally:
        db.close()
    return shot


def news(before: Snapshot, after: Snapshot) -> dict[str, list[dict]]:
    """What the later build says that the earlier did not: new events and changed verdicts."""
    found: dict[str, list[dict]] = {"changed": [], "gone": [], "moved": [], "back": [],
                                    "verdicts": []}
    for key, row in after.changes.items():
        if key in before.changes:
            continue
        item = {k: row[k] for k in ("url", "kind", "captured_at", "previous_at", "status",
                                    "previous_status", "location", "error", "words_added",
                                    "words_removed", "record_id", "previous_record_id")}
        item["diff"] = json.loads(row["diff"]) if row["diff"] else []
        item["verdicts"] = json.loads(row["verdicts"] or "[]")
        found["gone" if row["kind"] == "failed" else row["kind"]].append(item)
    if before.exists:
        for key, row in after.verdicts.items():
            old = before.verdicts.get(key)
            if old is not None and old["verdict"] != row["verdict"]:
                found["verdicts"].append({
                    "seed_id": key[0], "url": key[1], "before": old["verdict"],
                    "after": row["verdict"], "previous_at": old["captured_at"],
                    "captured_at": row["captured_at"], "record_id": row["record_id"]})
    return found
