"""`seedcheck run`: crawl the seeds' originals, build the database, serve it.

The crawl runs as a child `seedcheck crawl` process: Twisted's reactor starts once per
process, and this keeps `archive/` free of Scrapy. The build runs here; serving hands over to
`archive.app.serve.serve`, which runs Datasette in the foreground until Ctrl-C.
"""

from __future__ import annotations

import fcntl
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

Echo = Callable[[str], None]


LOCK_NAME = ".schedule.lock"


class LockedError(Exception):
    """Another run holds the data folder's run lock."""


class RunError(Exception):
    """A step of `seedcheck run` failed; the message names the step and how to see why."""


@dataclass(frozen=True)
class RunOptions:
    seeds_dir: Path = Path("seeds")
    data_dir: Path = Path("data")
    port: int = 8001                      # Datasette's port on 127.0.0.1; 0 picks a free one
    serve: bool = True
    crawl_args: tuple[str, ...] = ()      # extra `seedcheck crawl` options, e.g. --resolve H:IP
    workers: int | None = None            # build workers (see BuildOptions)


@contextmanager
def run_lock(data_dir: Path) -> Iterator[None]:
    """One run per data folder; LockedError at once when another holds it (never waits)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / LOCK_NAME
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockedError(f"{data_dir}: another seedcheck run is at work here "
                              f"({path} is locked); this run is skipped") from None
        yield


def seedcheck_command() -> list[str]:
    """How to start `seedcheck` as a subprocess of this Python."""
    script = Path(sys.executable).parent / "seedcheck"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from archive.app.cli import cli; cli(prog_name='seedcheck')"]


def crawl_command(seeds_dir: Path, data_dir: Path, args: Sequence[str] = ()) -> list[str]:
    """The `seedcheck crawl` command line, run with this interpreter."""
    return [*seedcheck_command(), "crawl", "--seeds", str(seeds_dir), "--data", str(data_dir),
            *args]


def crawl(seeds_dir: Path, data_dir: Path, args: Sequence[str] = (), echo: Echo = print) -> bool:
    """Run `seedcheck crawl` in a child process; its progress and summary go to our output.

    Returns False when the crawl ran but nothing could be fetched (it said why).
    """
    from archive.warc.failures import NOTHING_FETCHED

    echo(f"== crawl: the originals of the seeds in {seeds_dir}")
    sys.stdout.flush()
    sys.stderr.flush()
    result = subprocess.run(crawl_command(seeds_dir, data_dir, args), check=False)
    if result.returncode == NOTHING_FETCHED:
        return False
    if result.returncode != 0:
        raise RunError(f"the crawl could not run (`seedcheck crawl` exited with "
                       f"{result.returncode}; its message is above)")
    return True


def build(seeds_dir: Path, data_dir: Path, workers: int | None = None,
          echo: Echo = print) -> object:
    """Build DATA/seedcheck.db; returns the build summary."""
    from archive.build.builder import BuildError, BuildOptions, format_summary
    from archive.build.builder import build as build_database
    from archive.build.progress import Progress

    echo(f"== build: {data_dir / 'seedcheck.db'}")
    options = BuildOptions(data_dir=data_dir, seeds_dir=seeds_dir, workers=workers)
    try:
        summary = build_database(options, Progress(sys.stderr, tty=sys.stderr.isatty()))
    except BuildError as exc:
        raise RunError(f"the build failed: {exc}") from exc
    echo(format_summary(summary))
    return summary


def serve(data_dir: Path, port: int, echo: Echo = print) -> int:
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
    from archive.warc.failures import NOTHING_FETCHED

    try:
        with run_lock(options.data_dir):  # never beside a scheduled run on the same data
            fetched = crawl(options.seeds_dir, options.data_dir, options.crawl_args, echo)
            build(options.seeds_dir, options.data_dir, options.workers, echo)
    except LockedError as exc:
        raise RunError(str(exc)) from None
    if not fetched:
        echo(f"nothing could be fetched (see above); the pages say so too: "
             f"`seedcheck serve --data {options.data_dir}`")
        return NOTHING_FETCHED
    if not options.serve:
        echo(f"done: browse it with `seedcheck serve --data {options.data_dir}`")
        return 0
    return serve(options.data_dir, options.port, echo)
