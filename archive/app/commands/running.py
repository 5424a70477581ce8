"""`seedcheck run`, `schedule` and `demo`: the whole flow, once, on a schedule, or offline."""

from __future__ import annotations

from pathlib import Path

import click

from archive.app.options import (
    DATA_DIR,
    FRONTIER,
    NO_WAYBACK,
    PORT,
    SEEDS_DIR,
    cdx_option,
    crawl_options,
    exit_with,
    hosts_option,
    settings_option,
)


@click.command()
@SEEDS_DIR
@DATA_DIR
@PORT
@click.option("--no-serve", is_flag=True, help="Crawl and build, but do not serve.")
@hosts_option("Resolve HOST to IP during the crawl, like curl --resolve (repeatable).")
@settings_option("Override a crawl setting (repeatable; see `seedcheck crawl`).")
@cdx_option("Also ask this CDX server for archived captures (repeatable).")
@NO_WAYBACK
@FRONTIER
def run(seeds_dir: Path, data_dir: Path, port: int, no_serve: bool, hosts: tuple[str, ...],
        overrides: tuple[str, ...], cdx_archives: tuple[str, ...], no_wayback: bool,
        frontier: str | None) -> None:
    """Crawl the seeds' originals, build the database, and serve it in Datasette.

    The same as `seedcheck crawl`, `seedcheck build` and `seedcheck serve` one after the
    other. Serving runs until Ctrl-C; --no-serve stops after the build.
    """
    from archive.app.pipeline import RunError, RunOptions
    from archive.app.pipeline import run as run_all
    from archive.app.serve import PublishError

    crawl = crawl_options(seeds_dir, data_dir, hosts, overrides, cdx_archives, (), no_wayback,
                          frontier=frontier)
    try:
        status = run_all(RunOptions(crawl=crawl, port=port, serve=not no_serve), click.echo)
    except (RunError, PublishError) as exc:
        raise click.ClickException(str(exc)) from exc
    exit_with(status)


@click.command()
@SEEDS_DIR
@DATA_DIR
@click.option("--every", metavar="INTERVAL", default=None,
              help="Run now, then every INTERVAL: 90s, 15m, 6h, 1d.")
@click.option("--cron", metavar="EXPRESSION", default=None,
              help='Run at the minutes a 5-field cron expression matches, in UTC ("0 */6 * * *").')
@click.option("--runs", type=click.IntRange(min=1), default=None,
              help="Stop after this many runs [default: run until stopped]; --runs 1 needs "
                   "no --every or --cron.")
@click.option("--notify-command", metavar="CMD", default=None,
              help="After a run that found changes or failed, run CMD (no shell) with the "
                   "report's path as its last argument.")
@hosts_option("Resolve HOST to IP during the crawls, like curl --resolve (repeatable).")
@settings_option("Override a crawl setting (repeatable; see `seedcheck crawl`).")
@click.option("--no-wayback", is_flag=True, help="Do not ask the Wayback Machine.")
@FRONTIER
@click.option("--workers", type=click.IntRange(min=0), default=None,
              help="Worker processes of each build (see `seedcheck build`).")
def schedule(seeds_dir: Path, data_dir: Path, every: str | None, cron: str | None,
             runs: int | None, notify_command: str | None, hosts: tuple[str, ...],
             overrides: tuple[str, ...], no_wayback: bool, frontier: str | None,
             workers: int | None) -> None:
    """Crawl and build on a schedule, in the foreground, and report what changed.

    Each run crawls (one crawl id per run), builds, and writes DATA/reports/<crawl-id>.json:
    originals whose text changed, that went away or moved, and seeds whose verdict changed
    since the previous run. A failed run is logged and the next one still happens. One run
    at a time per data folder: a run that finds another at work (DATA/.lock) is skipped.
    Exit status (of the last run, with --runs): 0 nothing new, 3 changes found, 1 failed, 4
    skipped.
    """
    import sys

    from archive.app.cron import ScheduleError, timing
    from archive.app.schedule import RunOptions
    from archive.app.schedule import schedule as run_schedule

    try:
        when = timing(every, cron, runs)
    except ScheduleError as exc:
        raise click.UsageError(str(exc)) from exc
    options = RunOptions(crawl=crawl_options(seeds_dir, data_dir, hosts, overrides,
                                             no_wayback=no_wayback, frontier=frontier),
                         workers=workers, notify_command=notify_command)

    def echo(line: str) -> None:
        click.echo(line)
        sys.stdout.flush()

    try:
        exit_with(run_schedule(options, when, runs, echo))
    except KeyboardInterrupt:
        echo("schedule stopped")
        exit_with(130)


@click.command()
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
              default="data/demo", show_default=True,
              help="Folder for the demo's seeds, WARCs, archive and database (emptied first "
                   "if an earlier demo wrote it).")
@PORT
@click.option("--no-serve", is_flag=True, help="Do everything but serve (for scripts and tests).")
def demo(data_dir: Path, port: int, no_serve: bool) -> None:
    """The whole flow offline: a demo news site, a local web archive, seeds, crawl, build, serve.

    Starts an invented news site (demo-news.test, on 127.0.0.1) and a local pywb holding
    earlier captures of its articles, writes five seeds copying them (faithful, padded,
    excerpt, altered, a different article), then crawls, builds and serves, printing the
    URL to open. Needs no internet.
    """
    from archive.app.demo import DemoError, DemoOptions, run_demo
    from archive.app.pipeline import RunError
    from archive.app.serve import PublishError
    from archive.layout import LockedError

    options = DemoOptions(data_dir=data_dir, port=port, serve=not no_serve)
    try:
        status = run_demo(options, echo=click.echo)
    except (DemoError, RunError, PublishError, LockedError) as exc:
        raise click.ClickException(str(exc)) from exc
    exit_with(status)
