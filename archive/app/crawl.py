"""The crawl workflow: a crawl of the seeds' originals run in a child process, and its report.

`run_crawl(options)` is the one way every workflow (`crawl`, `run`, `schedule`, `resolve`,
`demo`) starts a crawl: `crawler.runner.run_crawl` in a spawned child (Twisted's reactor starts
once per process, and stays out of this one), its progress streamed back, its summary, with the
crawl id, returned. The caller holds the data folder's lock; `crawl(options)` is the
`seedcheck crawl` command's workflow: the lock, then the crawl.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from archive.app.child import ChildDied, run_in_child
from archive.layout import DataDir
from archive.warc import WarcError
from archive.warc import recover as recover_warcs
from archive.warc.crawllog import LogLine, read_lines
from archive.warc.failures import CrawlFailure, explain_crawl
from crawler.cdx import WAYBACK, ArchiveError, ArchiveSource, parse_archives
from crawler.runner import CrawlError, CrawlOptions, CrawlSummary

OnLine = Callable[[LogLine, Counter, int], None]

__all__ = ["CrawlError", "CrawlOptions", "CrawlSummary", "ProgressLine", "archive_sources",
           "crawl", "describe", "recover", "run_crawl", "setting_overrides"]


def run_crawl(options: CrawlOptions, on_line: OnLine | None = None,
              on_start: Callable[[int], None] | None = None,
              on_id: Callable[[str], None] | None = None) -> CrawlSummary:
    """One crawl in a spawned child process; the caller holds the data folder's lock.

    `on_start(pid)` when the child runs, `on_id(crawl_id)` as soon as the crawl has its id
    (so a crawl that dies still has one), `on_line(...)` for each crawl-log line written."""
    def event(kind: str, *payload: object) -> None:
        if kind == "id" and on_id is not None:
            on_id(*payload)
        elif kind == "line" and on_line is not None:
            line, counts, total = payload
            on_line(line, Counter(counts), total)

    try:
        return run_in_child(_crawl_step, options, on_line is not None, on_event=event,
                            on_start=on_start)
    except ChildDied as exc:
        raise CrawlError(f"the crawl exited with status {exc.exitcode} (pid {exc.pid}); the next "
                         "crawl closes the WARC files it left open") from None


def _crawl_step(options: CrawlOptions, progress: bool, *, emit: Callable[..., None]
                ) -> CrawlSummary:
    """In the child: the crawl itself, its id and each crawl-log line sent back."""
    from crawler.runner import run_crawl as crawl_here

    def on_line(line: LogLine, counts: Counter, total: int) -> None:
        emit("line", line, dict(counts), total)

    if options.frontier:  # this machine's workers of a crawl shared through Redis
        from crawler.workers import run_frontier

        return run_frontier(options, on_line if progress else None)
    return crawl_here(options, on_line if progress else None, lambda crawl_id: emit("id", crawl_id))


def crawl(options: CrawlOptions, on_line: OnLine | None = None) -> CrawlSummary:
    """`seedcheck crawl`: under the data folder's lock (LockedError when taken), one crawl."""
    with DataDir(options.data_dir).lock("crawl"):
        return run_crawl(options, on_line)


def explain(summary: CrawlSummary) -> CrawlFailure | None:
    """When nothing at all could be fetched, live or archived: why, and the next step."""
    return explain_crawl(line for log in summary.crawl_logs or (summary.crawl_log,)
                         for line in read_lines(log))


def recover(data_dir: Path) -> list[Path]:
    """`seedcheck crawl --recover`: close leftover `.open` WARCs, never beside a running crawl."""
    data = DataDir(data_dir)
    with data.lock("crawl --recover"):
        try:
            return recover_warcs(data.warcs) if data.warcs.is_dir() else []
        except (WarcError, OSError) as exc:
            raise CrawlError(f"cannot close the WARC files a crawl left open: {exc}") from exc


def setting_overrides(items: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """`-s NAME=VALUE` items as pairs; ValueError names a malformed one."""
    settings = []
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise ValueError(f"{item!r} is not NAME=VALUE")
        settings.append((name.strip(), value))
    return tuple(settings)


def iso_date(value: str | None) -> str | None:
    """A YYYY-MM-DD option checked; ValueError when it is not a date."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValueError(f"{value!r} is not a date YYYY-MM-DD") from None


def archive_sources(cdx: Sequence[str], timegates: Sequence[str], no_wayback: bool,
                    ) -> tuple[ArchiveSource, ...] | None:
    """The archives of --archive/--memento/--no-wayback; None: the settings' default.

    ValueError (naming the option) for an item that is not NAME=URL or an unknown endpoint."""
    if not cdx and not timegates and not no_wayback:
        return None
    sources = [] if no_wayback else [WAYBACK]
    for kind, items, hint in (("cdx", cdx, "--archive"), ("memento", timegates, "--memento")):
        for item in items:
            name, sep, url = item.partition("=")
            if not sep or not name or not url:
                raise ValueError(f"{hint}: {item!r} is not NAME=URL")
            sources.append({"name": name.strip(), "kind": kind, "url": url.strip()})
    try:
        archives = parse_archives(sources)
        for source in archives:
            if source.kind == "cdx":
                source.replay_base  # noqa: B018 - fails early for an endpoint of unknown shape
    except ArchiveError as exc:
        raise ValueError(str(exc)) from None
    return tuple(archives)


class ProgressLine:
    """Live progress: one rewritten line on a terminal, one plain line per URL elsewhere."""

    def __init__(self, stream: TextIO, tty: bool):
        self.stream = stream
        self.tty = tty
        self.shown = False

    def __call__(self, line: LogLine, counts: Counter, total: int) -> None:
        done = sum(counts.values())
        failed = done - counts.get("fetched", 0)
        if self.tty:
            self.stream.write(f"\rcrawl: {done}/{total} URLs · {counts.get('fetched', 0)} fetched"
                              f" · {failed} failed · {total - done} remaining\x1b[K")
            self.shown = True
        else:
            what = str(line.status) if line.outcome == "fetched" else line.error
            self.stream.write(f"{line.outcome} {what} {line.url}"
                              + (f" ({line.detail})" if line.detail else "") + "\n")
        self.stream.flush()

    def end(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.shown = False


def describe(summary: CrawlSummary) -> Sequence[str]:
    """The final summary, line by line."""
    failures = ", ".join(f"{kind} {n}" for kind, n in sorted(summary.counts.items())
                         if kind != "fetched")
    lines = [
        f"crawl {summary.crawl_id}{' (resumed)' if summary.resumed else ''}: "
        f"{summary.total} URLs, {summary.fetched} fetched, {summary.failed} failed"
        + (f" ({failures})" if failures else "")
        + (f", {summary.remaining} not reached" if summary.remaining else "")
        + f" in {summary.seconds:.1f} s ({summary.finish_reason})",
    ]
    archived, unusable = (summary.stats.get(f"seedcheck/used/{k}", 0) for k in ("archive", "none"))
    if archived or unusable:
        lines.append(f"web archives: {archived} URL(s) to compare from an archived capture, "
                     f"{unusable} with neither a usable live page nor a capture (why, for each "
                     f"URL: the seed's page, or `reason` in the crawl log)")
    if summary.recovered:
        lines.append("recovered WARC files left open by an earlier crawl: "
                     + ", ".join(p.name for p in summary.recovered))
    lines.append(f"WARC files written: {len(summary.warc_files)}")
    lines.extend(f"  {name}" for name in summary.warc_files)
    if summary.frontier:
        lines.append(f"frontier: {summary.frontier}")
    for log in summary.crawl_logs or (summary.crawl_log,):
        lines.append(f"crawl log: {log}")
    if summary.scrapy_log:
        lines.append(f"Scrapy log: {summary.scrapy_log}")
    return lines
