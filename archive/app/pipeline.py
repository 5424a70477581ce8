"""`seedcheck run`: crawl the seeds' originals, build the database, serve it.

Every step is a Python call: the crawl through `archive.app.crawl.run_crawl` (a spawned child
process, so Twisted's reactor stays out of this one), the build here, and serving hands over to
`archive.app.serve.serve`, which runs Datasette in the foreground until Ctrl-C. The crawl and
the build happen under the data folder's lock (`archive.layout.DataDir.lock`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

from archive.app.crawl import (
    CrawlError,
    CrawlOptions,
    CrawlSummary,
    ProgressLine,
    describe,
    explain,
)
from archive.app.crawl import run_crawl as crawl_in_child
from archive.layout import DataDir, LockedError
from archive.warc.failures import NOTHING_FETCHED

Echo = Callable[[str], None]


class RunError(Exception):
    """A step of `seedcheck run` failed; the message names the step and how to see why."""


@dataclass(frozen=True)
class RunOptions:
    crawl: CrawlOptions
    port: int = 8001                      # Datasette's port on 127.0.0.1; 0 picks a free one
    serve: bool = True
    workers: int | None = None            # build workers (see BuildOptions)


def crawl(options: CrawlOptions, echo: Echo = print) -> CrawlSummary:
    """One crawl (the caller holds the lock): progress on stderr, its summary through `echo`."""
    echo(f"== crawl: the originals of the seeds in {options.seeds_dir}")
    progress = ProgressLine(sys.stderr, tty=sys.stderr.isatty())
    try:
        summary = crawl_in_child(options, on_line=progress)
    except CrawlError as exc:
        raise RunError(f"the crawl could not run: {exc}") from exc
    finally:
        progress.end()
    for line in describe(summary):
        echo(line)
    failure = explain(summary)
    for line in failure.lines() if failure else ():
        print(line, file=sys.stderr)
    return summary


def nothing_fetched(summary: CrawlSummary) -> bool:
    return explain(summary) is not None


def build(seeds_dir: object, data_dir: object, workers: int | None = None,
          echo: Echo = print) -> object:
    """Build DATA/seedcheck.db; returns the build summary."""
    from archive.build.builder import BuildError, BuildOptions, format_summary
    from archive.build.builder import build as build_database
    from archive.build.progress import Progress

    echo(f"== build: {DataDir(data_dir).database}")
    options = BuildOptions(data_dir=data_dir, seeds_dir=seeds_dir, workers=workers)
    try:
        summary = build_database(options, Progress(sys.stderr, tty=sys.stderr.isatty()))
    except BuildError as exc:
        raise RunError(f"the build failed: {exc}") from exc
    echo(format_summary(summary))
    return summary


def serve(data_dir: object, port: int, echo: Echo = print) -> int:
    """Datasette in the foreground, with the address to open printed plainly."""
    from archive.app.serve import ServeOptions
    from archive.app.serve import serve as serve_datasette

    def announce(line: str) -> None:
        echo(f"== serve: {line}")
        url = line.rsplit(" ", 1)[-1]
        if url.startswith("http"):
            echo(f"\n    Open {url} in your browser.  (Ctrl-C stops the server.)\n")

    return serve_datasette(ServeOptions(data_dir=data_dir, port=port), echo=announce)


def run(options: RunOptions, echo: Echo = print) -> int:
    """Crawl, build, then serve unless `options.serve` is false; returns an exit status."""
    data_dir = options.crawl.data_dir
    try:
        with DataDir(data_dir).lock("run"):  # never beside a scheduled run on the same data
            summary = crawl(options.crawl, echo)
            if summary.finish_reason == "shutdown":
                raise RunError("the crawl was stopped before it finished (Ctrl-C or SIGTERM); "
                               "nothing was built: `seedcheck crawl --resume` continues it")
            build(options.crawl.seeds_dir, data_dir, options.workers, echo)
    except LockedError as exc:
        raise RunError(str(exc)) from None
    if nothing_fetched(summary):
        echo(f"nothing could be fetched (see above); the pages say so too: "
             f"`seedcheck serve --data {data_dir}`")
        return NOTHING_FETCHED
    if not options.serve:
        echo(f"done: browse it with `seedcheck serve --data {data_dir}`")
        return 0
    return serve(data_dir, options.port, echo)
