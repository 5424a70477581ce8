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
import io
import json
import os
import sqlite3
import time
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from archive import __version__
from archive.build.change_history import record_changes
from archive.build.comparisons import compare_seeds
from archive.build.crawl_logs import load_crawl_logs
from archive.build.inputs import input_digest
from archive.build.pool import Workers
from archive.build.progress import Progress
from archive.build.summary import BuildSummary, Problem, format_summary
from archive.build.warc_files import archive_name, load_warcs, utc
from archive.compare.engine import COMPARE_VERSION
from archive.db.previous import unchanged_build
from archive.db.store import SCHEMA_VERSION, Store
from archive.extract.article import EXTRACTOR_VERSION
from archive.layout import DATABASE_NAME, DataDir
from archive.seeds.parse import SeedError, iter_seeds

__all__ = ["BuildError", "BuildOptions", "BuildSummary", "Problem", "build", "format_summary"]

TEMP_SUFFIX = ".tmp-"


class BuildError(Exception):
    """Nothing could be built: the data folder is missing or the database cannot be written."""


@dataclass(frozen=True)
class BuildOptions:
    data_dir: Path = Path("data")
    seeds_dir: Path = Path("seeds")
    workers: int | None = None       # worker processes; None: one per core; 0: no workers
    chunk: int = 8                   # records per task handed to a worker


def build(options: BuildOptions, progress: Progress | None = None) -> BuildSummary:
    """Build the database; raises BuildError only when no database could be written."""
    data_dir = Path(options.data_dir)
    if not data_dir.is_dir():
        raise BuildError(f"{data_dir}: no such data folder (run `seedcheck crawl`, or pass --data)")
    started = time.monotonic()
    target = data_dir / DATABASE_NAME
    summary = BuildSummary(database=target)
    summary.inputs = input_digest(data_dir, Path(options.seeds_dir), (
        __version__, str(SCHEMA_VERSION), EXTRACTOR_VERSION, COMPARE_VERSION))
    kept = unchanged_build(target, summary.inputs, EXTRACTOR_VERSION, COMPARE_VERSION)
    if kept is not None:
        _kept(summary, kept, data_dir)
        summary.seconds = time.monotonic() - started
        return summary
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


def _kept(summary: BuildSummary, kept: dict, data_dir: Path) -> None:
    """The summary of a build that kept the previous database: everything was reused."""
    summary.seeds, summary.captures = kept["seeds_rows"], kept["captures_rows"]
    summary.texts = summary.reused_texts = kept["texts_rows"]
    summary.comparisons, summary.changes = kept["comparisons_rows"], kept["changes_rows"]
    summary.reused_comparisons = kept["compared_rows"]
    summary.warc_files = kept["warc_files"] or 0
    summary.problems = [Problem(str(data_dir / p["file"]), p["problem"], p["line"], p["offset"])
                        for p in kept["problem_rows"]]
    summary.notes.append(
        f"nothing changed since the build of {kept['finished_at']} (the same seeds, crawl logs, "
        "WARC files and versions): its database is kept as it is")


def _quiet() -> Progress:
    return Progress(io.StringIO(), interval=float("inf"), every=2**62)


def _build_into(store: Store, target: Path, options: BuildOptions, workers: Workers,
                summary: BuildSummary, progress: Progress) -> None:
    started_at = utc(datetime.now(UTC))
    why_not = store.attach_previous(target)
    if why_not and target.exists():
        summary.notes.append(why_not)
    load_seed_rows(store, Path(options.seeds_dir), summary)
    load_crawl_logs(store, DataDir(options.data_dir).crawls, lambda path, line, problem:
                    summary.problems.append(Problem(str(path), problem, line=line)))
    clock = time.monotonic()
    load_warcs(store, DataDir(options.data_dir).warcs, workers, options.chunk, summary,
               progress)
    store.link_captures(archive_name)
    summary.timings["records"] = time.monotonic() - clock
    clock = time.monotonic()
    compare_seeds(store, workers, summary, progress)
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
        "problems": len(summary.problems), "verdicts": json.dumps(store.verdict_counts()),
        "inputs": summary.inputs,
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

def load_seed_rows(store: Store, seeds_dir: Path, summary: BuildSummary) -> None:
    """Store the seeds and their originals, one seed at a time."""
    problems: list[SeedError] = []
    original_id = 0
    for seed in iter_seeds(seeds_dir, problems):
        summary.seeds += 1
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
    for error in problems:
        summary.problems.append(Problem(str(error.path), error.problem, line=error.line))
