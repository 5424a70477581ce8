"""The WARC files of a build: which are read, their records stored as `captures`, their texts.

A closed WARC file is never rewritten, so a file with the fingerprint the previous build saw
is not read again: its rows are copied. Records of a new file are read one at a time and
their texts made in worker processes (`archive.build.text_rows`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from archive.build.imported import load_imports
from archive.build.pool import Batches, Workers
from archive.build.progress import Progress
from archive.build.summary import BuildSummary, Problem
from archive.build.text_rows import MAX_INLINE, Failure, extract_chunk, task
from archive.db.store import Store
from archive.extract.article import EXTRACTOR_VERSION
from archive.layout import IMPORTS
from archive.seeds.intake import shown
from archive.warc.lookups import purpose
from archive.warc.urlkey import url_key
from archive.warc.writer import Capture, iter_captures

KNOWN_FILES = ("digests.jsonl",)   # kept beside the WARCs by the writer (docs/interfaces.md)

def utc(moment: datetime | None) -> str | None:
    """ISO 8601 UTC with a Z, microseconds only when there are some."""
    if moment is None:
        return None
    moment = moment.astimezone(UTC) if moment.tzinfo else moment
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    return text + (f".{moment.microsecond:06d}" if moment.microsecond else "") + "Z"


def archive_name(fields: Iterable[Iterable[str]]) -> str | None:
    """The archive a metadata record names (its `archive` field, or a similar one)."""
    for name, value in fields:
        if name.lower() in ("archive", "archive-name", "source-archive", "via-archive"):
            return value
    return None


def fingerprint(path: Path) -> str:
    """Cheap identity of a closed (append-only, never rewritten) WARC file."""
    size = path.stat().st_size
    digest = hashlib.sha256(str(size).encode())
    with path.open("rb") as f:
        digest.update(f.read(65536))
        f.seek(max(size - 65536, 0))
        digest.update(f.read(65536))
    return digest.hexdigest()


def warc_candidates(warcs_dir: Path, summary: BuildSummary) -> list[Path]:
    """The closed WARC files to read; `.open` and other files are reported and skipped."""
    if not warcs_dir.is_dir():
        summary.notes.append(f"{warcs_dir}: no WARC folder; nothing crawled yet")
        return []
    found = []
    for path in sorted(p for p in warcs_dir.iterdir() if p.is_file()):
        if shown(path.name) != path.name:     # cannot be stored or shown: named, not read
            summary.skipped_files.append(shown(path.name))
            summary.problems.append(Problem(shown(path), "file name is not UTF-8; skipped"))
        elif path.name.endswith((".warc.gz", ".warc")):
            found.append(path)
        elif path.name.endswith(".open"):
            summary.skipped_files.append(path.name)
            summary.problems.append(Problem(str(path), (
                "still open (a crawl is writing it, or crashed: `seedcheck crawl` recovers it); "
                "skipped")))
        elif path.name not in KNOWN_FILES:
            summary.skipped_files.append(path.name)
            summary.problems.append(Problem(str(path), "not a WARC file (.warc.gz); skipped"))
    return found


def load_warcs(store: Store, warcs_dir: Path, workers: Workers, chunk: int,
               summary: BuildSummary, progress: Progress) -> None:
    paths = warc_candidates(warcs_dir, summary)
    total = sum(p.stat().st_size for p in paths)
    extraction = Batches(workers, extract_chunk, _texts_stored(store, summary), chunk)
    state = {"done": 0, "items": 0, "captures": 0}
    progress.phase("reading WARCs", total)
    for path in paths:
        summary.warc_files += 1
        try:
            _load_warc(store, path, extraction, summary, progress, state)
        except OSError as exc:   # unreadable before any record: nothing of it was stored
            summary.skipped_files.append(path.name)
            summary.problems.append(Problem(str(path), f"cannot read it ({exc}); skipped"))
        state["done"] += path.stat().st_size
        progress.update(state["done"], state["items"])
    files, captures = load_imports(
        warcs_dir.parent / IMPORTS,
        lambda capture, imported: _take(store, Path(imported["warc_file"]), capture, extraction,
                                        summary, imported),
        lambda file, problem, offset: summary.problems.append(Problem(file, problem,
                                                                      offset=offset)))
    summary.warc_files += files
    state["captures"] += captures
    progress.end()
    progress.phase("extracting the last records", 0)
    extraction.drain()
    progress.end()
    twice = state["captures"] - store.count("captures")
    if twice:
        summary.problems.append(Problem(str(warcs_dir), (
            f"{twice} record(s) are in more than one WARC file (the same WARC-Record-ID): "
            "each was kept once, from the first file in name order")))


def _texts_stored(store: Store, summary: BuildSummary) -> Callable[[list], None]:
    def stored(results: list[tuple[dict | None, Failure | None]]) -> None:
        for row, failure in results:
            if failure is not None:
                summary.problems.append(Problem(failure.path, failure.message,
                                                offset=failure.offset))
            if row is not None:
                store.add("texts", row)
                summary.extracted += 1
    return stored


def _load_warc(store: Store, path: Path, extraction: Batches, summary: BuildSummary,
               progress: Progress, state: dict) -> None:
    mark = fingerprint(path)
    previous = store.previous_warc_file(path.name, mark)
    if previous is not None:
        state["captures"] += _reuse_warc(store, path, previous, extraction, summary)
        state["items"] += previous["records"] or 0
        return
    records, status, problem = 0, "ok", not_a_warc(path)
    if problem:
        status = "not-warc"
        summary.skipped_files.append(path.name)
        summary.problems.append(Problem(str(path), problem))
    else:
        damage: list[str] = []             # the reader skips a damaged record, goes on
        for capture in iter_captures(path, with_body=True, on_damage=lambda exc: damage.append(
                f"bytes {exc.offset}-{exc.end} skipped ({str(exc).removeprefix(f'{path}: ')})")):
            records += 1
            state["items"] += 1
            state["captures"] += _take(store, path, capture, extraction, summary)
            if records % 25 == 0:
                progress.update(state["done"] + capture.offset, state["items"])
        if damage:
            status = "damaged" if records else "not-warc"
            (summary.partial_files if records else summary.skipped_files).append(path.name)
            problem = f"{'; '.join(damage)}; {records} record(s) read"
            summary.problems.append(Problem(str(path), problem))
    store.add("warc_files", {"name": path.name, "size": path.stat().st_size,
                             "fingerprint": mark, "records": records, "status": status,
                             "problem": problem})


def not_a_warc(path: Path) -> str | None:
    """Why a file is no WARC at all, from its first bytes (readers would guess at anything)."""
    with path.open("rb") as f:
        start = f.read(16)
    if start.startswith((b"\x1f\x8b", b"WARC/")):
        return None
    shown = start.decode("ascii", "replace")
    shown = "".join(c if c.isprintable() else "?" for c in shown)
    return (f"not a WARC file: it starts with {shown!r}, not a gzip member or 'WARC/'; "
            "skipped")


def _reuse_warc(store: Store, path: Path, previous: dict, extraction: Batches,
                summary: BuildSummary) -> int:
    """An unchanged file: its rows come from the previous build, new texts only are made."""
    captures = store.reuse_warc_file(path.name)
    summary.reused_texts += store.reuse_texts(path.name, EXTRACTOR_VERSION)
    for row in store.records_without_text(path.name):
        if wants_text(row):
            extraction.submit(task(path, row))
    if previous["problem"]:
        summary.problems.append(Problem(str(path), previous["problem"]))
    store.add("warc_files", previous)
    return captures


def _take(store: Store, path: Path, capture: Capture, extraction: Batches,
          summary: BuildSummary, imported: dict | None = None) -> int:
    """Store one record read from a WARC; returns the number of captures rows it made.
    `imported`: row values of a record from an imported file, whose body travels inline."""
    if capture.record_type == "metadata":
        store.add("warc_metadata", {
            "record_id": capture.record_id, "concurrent_to": capture.concurrent_to,
            "url": capture.target_uri, "captured_at": utc(capture.date),
            "fields": json.dumps([list(f) for f in capture.fields]),
            "warc_file": capture.filename, "warc_offset": capture.offset,
        })
        return 0
    if capture.record_type not in ("response", "revisit"):
        return 0
    row = capture_row(capture) | (imported or {})
    store.add("captures", row)
    if wants_text(row):
        if store.reuse_text(row["record_id"], EXTRACTOR_VERSION):
            summary.reused_texts += 1
        elif imported or capture.body_problem or len(capture.body) <= MAX_INLINE:
            extraction.submit(task(path, row, capture.body, capture.body_problem))
        else:
            extraction.submit(task(path, row))
    return 1


def capture_row(c: Capture) -> dict:
    location = next((v for k, v in c.headers if k.lower() == "location"), None)
    return {
        "record_id": c.record_id, "record_type": c.record_type, "url": c.target_uri,
        "url_key": url_key(c.target_uri),
        "fetched_url": c.source_uri or c.target_uri,
        "source": "archive" if c.source_uri else "live", "archive": None, "crawl_id": None,
        "purpose": purpose(c.target_uri, "archive" if c.source_uri else "live"),
        "captured_at": utc(c.date), "status": c.status, "reason": c.reason,
        "protocol": c.protocol, "content_type": c.content_type, "charset": c.charset,
        "payload_digest": c.payload_digest, "block_digest": c.block_digest,
        "refers_to": c.refers_to, "refers_to_url": c.refers_to_target_uri,
        "refers_to_date": utc(c.refers_to_date), "text_record_id": None,
        "warc_file": c.filename, "warc_offset": c.offset, "warc_length": c.length,
        "truncated": c.truncated, "ip_address": c.ip_address, "location": location,
    }


def wants_text(row: dict) -> bool:
    """Responses whose body is a page: success and error pages; not redirects, not revisits."""
    status = row["status"]
    return row["record_type"] == "response" and (
        status is None or (200 <= status < 300 and status != 204) or status >= 400)
