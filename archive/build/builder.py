"""`seedcheck build`: derive `data/seedcheck.db` from the seeds, the WARCs and the crawl logs.

The build writes `seedcheck.db.tmp-<pid>` beside the database and swaps it in with
`os.replace`, so an interrupted build leaves the previous database untouched; a temp file
whose build died is removed by the next one (it is locked while its build runs). Rows of the
previous database are reused when what they derive from has not changed: the captures of an
unchanged WARC file, the texts of records extracted by the same extractor version, the
comparisons of the same seed bytes, text and engine. Extraction and comparison run in worker
processes fed in small chunks with a bound on the work in flight, so memory stays flat however
large the archive is: the main process streams the records, one at a time, and hands small
bodies to the workers with their task; a worker reads a large one from the WARC itself.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from archive import __version__
from archive.build.change_history import record_changes
from archive.build.comparisons import compare_seeds
from archive.build.crawl_logs import load_crawl_logs
from archive.build.pool import Batches, Workers
from archive.build.progress import Progress
from archive.build.text_rows import MAX_INLINE, Failure, extract_chunk, task
from archive.compare.engine import COMPARE_VERSION
from archive.db.store import SCHEMA_VERSION, Store
from archive.extract.article import EXTRACTOR_VERSION
from archive.seeds.parse import Seed, load_seeds
from archive.warc.writer import Capture, WarcError, iter_captures

DATABASE_NAME = "seedcheck.db"
TEMP_SUFFIX = ".tmp-"
KNOWN_FILES = ("digests.jsonl",)   # kept beside the WARCs by the writer (docs/interfaces.md)


class BuildError(Exception):
    """Nothing could be built: the data folder is missing or the database cannot be written."""


@dataclass(frozen=True)
class BuildOptions:
    data_dir: Path = Path("data")
    seeds_dir: Path = Path("seeds")
    workers: int | None = None       # worker processes; None: one per core; 0: no workers
    chunk: int = 8                   # records per task handed to a worker


@dataclass(frozen=True)
class Problem:
    """Something on disk the build could not use, located by file and line or byte offset."""

    file: str
    problem: str
    line: int | None = None
    offset: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.offset is not None:
            where += f" (offset {self.offset})"
        return f"{where}: {self.problem}"


@dataclass
class BuildSummary:
    database: Path
    seeds: int = 0
    warc_files: int = 0
    captures: int = 0
    texts: int = 0
    extracted: int = 0
    reused_texts: int = 0
    comparisons: int = 0
    compared: int = 0
    reused_comparisons: int = 0
    changes: int = 0                                          # rows of `changes`
    skipped_files: list[str] = field(default_factory=list)    # not read at all
    partial_files: list[str] = field(default_factory=list)    # read up to a damaged record
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)   # seconds per phase


def format_summary(summary: BuildSummary) -> str:
    """What a person reads after a build: what was written, what was reused, what went wrong."""
    lines = [
        f"built {summary.database} in {summary.seconds:.1f} s: {summary.seeds} seeds, "
        f"{summary.warc_files} WARC files, {summary.captures} captures",
        f"  texts: {summary.texts} ({summary.extracted} extracted, "
        f"{summary.reused_texts} reused from the previous build)",
        f"  comparisons: {summary.comparisons} ({summary.compared} computed, "
        f"{summary.reused_comparisons} reused)",
    ]
    lines += [f"  note: {note}" for note in summary.notes]
    if summary.problems:
        lines.append(f"{len(summary.problems)} problem(s):")
        lines += [f"  {problem}" for problem in summary.problems]
        lost = []
        if summary.skipped_files:
            lost.append(f"{len(summary.skipped_files)} file(s) were skipped")
        if summary.partial_files:
            lost.append(f"{len(summary.partial_files)} read only up to a damaged record")
        lines.append(
            f"The database was written, but {' and '.join(lost)}: records may be missing "
            "(see the problems above, also in the build_problems table)." if lost else
            "The database was written; the problems above are in the build_problems table.")
    return "\n".join(lines)


def utc(moment: datetime | None) -> str | None:
    """ISO 8601 UTC with a Z, microseconds only when there are some."""
    if moment is None:
        return None
    moment = moment.astimezone(UTC) if moment.tzinfo else moment
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    return text + (f".{moment.microsecond:06d}" if moment.microsecond else "") + "Z"


def build(options: BuildOptions, progress: Progress | None = None) -> BuildSummary:
    """Build the database; raises BuildError only when no database could be written."""
    data_dir = Path(options.data_dir)
    if not data_dir.is_dir():
        raise BuildError(f"{data_dir}: no such data folder (run `seedcheck crawl`, or pass --data)")
    started = time.monotonic()
    target = data_dir / DATABASE_NAME
    summary = BuildSummary(database=target)
    summary.notes.extend(remove_stale_temps(data_dir))
    temp = data_dir / f"{DATABASE_NAME}{TEMP_SUFFIX}{os.getpid()}"
    try:
        lock = temp.open("wb")
    except OSError as exc:
        raise BuildError(f"{temp}: cannot write the database: {exc}") from exc
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)   # tells later builds this temp file is alive
        with Workers(options.workers, close_fds=(lock.fileno(),)) as workers:
            _build_into(Store.create(temp), target, options, workers, summary,
                        progress or _quiet())
        _swap(temp, target)
    except BrokenProcessPool as exc:
        temp.unlink(missing_ok=True)
        raise BuildError(
            f"a worker process died ({exc}); the previous database is unchanged. "
            "Run `seedcheck build --workers 0` to see which record kills it") from exc
    except (sqlite3.Error, OSError) as exc:
        temp.unlink(missing_ok=True)
        raise BuildError(f"{temp}: the database could not be written ({exc}); "
                         "the previous database is unchanged") from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    finally:
        lock.close()
    summary.seconds = time.monotonic() - started
    return summary


def _quiet() -> Progress:
    return Progress(io.StringIO(), interval=float("inf"), every=2**62)


def _build_into(store: Store, target: Path, options: BuildOptions, workers: Workers,
                summary: BuildSummary, progress: Progress) -> None:
    started_at = utc(datetime.now(UTC))
    why_not = store.attach_previous(target)
    if why_not and target.exists():
        summary.notes.append(why_not)
    seeds = load_seed_rows(store, Path(options.seeds_dir), summary)
    load_crawl_logs(store, Path(options.data_dir) / "crawls", lambda path, line, problem:
                    summary.problems.append(Problem(str(path), problem, line=line)))
    clock = time.monotonic()
    load_warcs(store, Path(options.data_dir) / "warcs", workers, options, summary, progress)
    store.link_captures(archive_name)
    summary.timings["records"] = time.monotonic() - clock
    clock = time.monotonic()
    compare_seeds(store, seeds, workers, summary, progress)
    summary.timings["comparisons"] = time.monotonic() - clock
    summary.changes = record_changes(store)   # archive/changes.py: history of every URL
    progress.end()
    summary.captures = store.count("captures")
    summary.texts = store.count("texts")
    summary.comparisons = store.count("comparisons")
    for number, problem in enumerate(summary.problems, 1):
        store.add("build_problems", {"id": number, "line": problem.line,
                                     "file": _relative(problem.file, Path(options.data_dir)),
                                     "offset": problem.offset, "problem": problem.problem})
    store.add("builds", {
        "id": 1, "started_at": started_at, "finished_at": utc(datetime.now(UTC)),
        "seedcheck_version": __version__, "schema_version": SCHEMA_VERSION,
        "extractor_version": EXTRACTOR_VERSION, "compare_version": COMPARE_VERSION,
        "warc_files": summary.warc_files, "records": summary.captures,
        "extracted": summary.extracted, "reused_texts": summary.reused_texts,
        "compared": summary.compared, "reused_comparisons": summary.reused_comparisons,
        "problems": len(summary.problems),
    })
    clock = time.monotonic()
    store.finish()
    summary.timings["indexes"] = time.monotonic() - clock


def _relative(file: str, data_dir: Path) -> str:
    """A path inside the data folder as relative to it: the database does not say where it was."""
    try:
        return str(Path(os.path.abspath(file)).relative_to(os.path.abspath(data_dir)))
    except ValueError:
        return file


def _swap(temp: Path, target: Path) -> None:
    """Make the new database durable, then put it in place in one rename."""
    with temp.open("rb") as f:
        os.fsync(f.fileno())
    os.replace(temp, target)
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def remove_stale_temps(data_dir: Path) -> list[str]:
    """Delete temp databases of builds that died (their lock is free); say what was removed."""
    notes = []
    for path in sorted(data_dir.glob(f"{DATABASE_NAME}{TEMP_SUFFIX}*")):
        try:
            with path.open("rb") as f:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                path.unlink()
        except BlockingIOError:
            notes.append(f"{path}: another build is writing it; left alone")
        except FileNotFoundError:
            continue
        else:
            notes.append(f"{path}: removed, left by a build that did not finish")
    return notes


# -- seeds -----------------------------------------------------------------------

def load_seed_rows(store: Store, seeds_dir: Path, summary: BuildSummary) -> list[Seed]:
    loaded = load_seeds(seeds_dir)
    for error in loaded.problems:
        summary.problems.append(Problem(str(error.path), error.problem, line=error.line))
    original_id = 0
    for seed in loaded.seeds:
        store.add("seeds", {
            "id": seed.id, "file": seed.path.name, "sha256": seed.sha256, "title": seed.title,
            "subtitle": seed.subtitle, "byline": seed.byline, "author": seed.author,
            "publication": seed.publication,
            "published": seed.published.isoformat() if seed.published else None,
            "word_count": seed.word_count, "body": seed.text, "raw": seed.raw,
        })
        for position, url in enumerate(seed.urls):
            original_id += 1
            store.add("originals", {
                "id": original_id, "seed_id": seed.id, "position": position, "url": url.url,
                "role": url.role, "confidence": url.confidence, "score": url.score,
                "note": url.note,
            })
    summary.seeds = len(loaded.seeds)
    return loaded.seeds


def archive_name(fields: Iterable[Iterable[str]]) -> str | None:
    """The archive a metadata record names (its `archive` field, or a similar one)."""
    for name, value in fields:
        if name.lower() in ("archive", "archive-name", "source-archive", "via-archive"):
            return value
    return None


# -- WARC files ---------------------------------------------------------------------------------

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
        if path.name.endswith((".warc.gz", ".warc")):
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


def load_warcs(store: Store, warcs_dir: Path, workers: Workers, options: BuildOptions,
               summary: BuildSummary, progress: Progress) -> None:
    paths = warc_candidates(warcs_dir, summary)
    total = sum(p.stat().st_size for p in paths)
    extraction = Batches(workers, extract_chunk, _texts_stored(store, summary), options.chunk)
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
        try:
            for capture in iter_captures(path, with_body=True):
                records += 1
                state["items"] += 1
                state["captures"] += _take(store, path, capture, extraction, summary)
                if records % 25 == 0:
                    progress.update(state["done"] + capture.offset, state["items"])
        except WarcError as exc:
            status = "damaged" if records else "not-warc"
            (summary.partial_files if records else summary.skipped_files).append(path.name)
            kept = f"the {records} record(s) before it were built, " if records else ""
            problem = (f"{str(exc).removeprefix(f'{path}: ')}; {kept}"
                       "the rest of the file was skipped")
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
          summary: BuildSummary) -> int:
    """Store one record read from a WARC; returns the number of captures rows it made."""
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
    row = capture_row(capture)
    store.add("captures", row)
    if wants_text(row):
        if store.reuse_text(row["record_id"], EXTRACTOR_VERSION):
            summary.reused_texts += 1
        elif len(capture.body) <= MAX_INLINE:
            extraction.submit(task(path, row, capture.body))
        else:
            extraction.submit(task(path, row))
    return 1


def capture_row(c: Capture) -> dict:
    location = next((v for k, v in c.headers if k.lower() == "location"), None)
    return {
        "record_id": c.record_id, "record_type": c.record_type, "url": c.target_uri,
        "fetched_url": c.source_uri or c.target_uri,
        "source": "archive" if c.source_uri else "live", "archive": None, "crawl_id": None,
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
