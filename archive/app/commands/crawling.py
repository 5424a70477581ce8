"""`seedcheck crawl`, `captures` and `resolve`: fetching originals and finding them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from archive.app.options import (
    DATA_DIR,
    NO_WAYBACK,
    SEEDS_DIR,
    cdx_option,
    crawl_options,
    exit_with,
    hosts_option,
    parsed,
    settings_option,
)
from archive.seeds.parse import load_seeds


@click.command()
@SEEDS_DIR
@DATA_DIR
@hosts_option("Resolve HOST to IP, like curl --resolve (repeatable).")
@click.option("--resume", is_flag=True,
              help="Continue the latest unfinished crawl instead of starting a new one.")
@click.option("--recover", is_flag=True,
              help="Only close WARC files a killed crawl left .open, then exit.")
@settings_option("Override a Scrapy or SEEDCHECK_* setting (repeatable).")
@cdx_option("Also ask this CDX server (pywb: http://HOST/COLL/cdx) for captures (repeatable).")
@click.option("--memento", "timegates", multiple=True, metavar="NAME=TIMEGATE",
              help="Also ask this Memento TimeGate (the URL is appended) for captures "
                   "(repeatable).")
@click.option("--no-wayback", is_flag=True,
              help="Do not ask the Internet Archive's Wayback Machine (asked by default).")
@click.option("--at", metavar="YYYY-MM-DD", default=None,
              help="Archived captures closest to this date [default: each seed's date].")
@click.option("--captures", "choices", metavar="LIST", default=None,
              help="Archived captures per URL: any of first,closest,latest [default: closest].")
@click.option("--frontier", metavar="URL", default=None,
              help="Be a worker of a crawl shared in Redis at URL, redis://HOST:PORT/DB (see "
                   "README: Crawling with several machines).")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="With --frontier: worker processes on this machine.")
def crawl(seeds_dir: Path, data_dir: Path, hosts: tuple[str, ...], resume: bool, recover: bool,
          overrides: tuple[str, ...], cdx_archives: tuple[str, ...], timegates: tuple[str, ...],
          no_wayback: bool, at: str | None, choices: str | None, frontier: str | None,
          workers: int) -> None:
    """Fetch every original URL of the seeds into WARC files under DATA/warcs.

    Writes one line per URL to DATA/crawls/<crawl-id>.jsonl (fetched, or why not:
    dns, timeout, refused, reset, robots, too-large, scheme, other). Unreachable
    originals are results, not errors; but when nothing at all could be fetched, live
    or from a web archive (no internet?), it says why and what to do, and exits with
    status 3. Status 1: the crawl could not run.

    Beside each live page, the web archives' capture closest to the seed's date is
    fetched and archived under the original URL; when the live page is gone (DNS,
    timeout, 404/410, 5xx, redirect to the home page) the log says the archived one
    is the one to compare.
    """
    from archive.app import crawl as workflow
    from archive.layout import LockedError

    try:
        if recover:
            return _recover(data_dir)
        if workers > 1 and not frontier:
            raise click.BadParameter("several workers share a --frontier", param_hint="--workers")
        options = crawl_options(seeds_dir, data_dir, hosts, overrides, cdx_archives, timegates,
                                no_wayback, resume=resume, captures=choices,
                                at=parsed(workflow.iso_date, at, hint="--at"),
                                frontier=frontier, workers=workers)
        for problem in load_seeds(seeds_dir).problems:
            click.echo(f"warning: {problem}", err=True)
        stderr = click.get_text_stream("stderr")
        progress = workflow.ProgressLine(stderr, tty=stderr.isatty())
        try:
            summary = workflow.crawl(options, on_line=progress)
        finally:
            progress.end()
    except (workflow.CrawlError, LockedError) as exc:
        raise click.ClickException(str(exc)) from exc
    _report(summary)


def _recover(data_dir: Path) -> None:
    from archive.app import crawl as workflow
    from archive.layout import DataDir

    closed = workflow.recover(data_dir)
    click.echo(f"recovered {len(closed)} WARC file(s) left open in {DataDir(data_dir).warcs}")
    for path in closed:
        click.echo(f"  {path.name}")


def _report(summary: Any) -> None:
    """The crawl's summary; an exit status that says when it failed as a whole."""
    from archive.app import crawl as workflow
    from archive.warc.failures import NOTHING_FETCHED

    for line in workflow.describe(summary):
        click.echo(line)
    if summary.finish_reason == "warc_error":
        raise click.ClickException(f"WARC writing failed: {summary.stats.get('warc/error')}")
    if summary.finish_reason.startswith("workers failed"):
        raise click.ClickException(summary.finish_reason)
    failure = workflow.explain(summary)
    if failure is not None:  # every fetch failed: why, in words, and exit status 3
        for line in failure.lines():
            click.echo(line, err=True)
        exit_with(NOTHING_FETCHED)


@click.command()
@click.argument("url")
@cdx_option("Also ask this CDX server (pywb: http://HOST/COLL/cdx) (repeatable).")
@NO_WAYBACK
@click.option("--rate", type=click.FloatRange(min=0), default=30.0, show_default=True,
              help="Requests per minute to each archive.")
def captures(url: str, cdx_archives: tuple[str, ...], no_wayback: bool, rate: float) -> None:
    """List what the web archives hold for URL: time, status, type, digest, length.

    Asks each archive's CDX API (the Wayback Machine by default). Exits with status 1
    when no archive could be asked.
    """
    from archive.app.crawl import archive_sources
    from crawler.cdx import WAYBACK, RateLimit, lookup

    sources = parsed(archive_sources, cdx_archives, (), no_wayback)
    sources = (WAYBACK,) if sources is None else sources
    if not sources:
        raise click.UsageError("no archive to ask: give --archive NAME=CDX_URL")
    limiter, failed = RateLimit(rate), 0
    for source in sources:
        found = lookup(source, url, rate=limiter, max_wait=60.0)
        click.echo(f"{source.name}: {found.query}")
        if found.error:
            failed += 1
            click.echo(f"  lookup failed: {found.error}")
            continue
        for row in found.rows:
            click.echo(f"  {row.date:%Y-%m-%d %H:%M:%S}  {row.status or '-':>3}  "
                       f"{row.mime or '-':<24} {row.digest or '-':<32} {row.length or '-':>8}"
                       f"  {row.archive}  {row.url}")
        click.echo(f"  {len(found.rows)} capture(s)"
                   + (f" (waited {found.waited:.0f} s for the archive's rate limit)"
                      if found.waited else ""))
    if failed == len(sources):
        exit_with(1)


@click.command()
@click.argument("seed_ids", nargs=-1, metavar="[SEED]...")
@SEEDS_DIR
@DATA_DIR
@cdx_option("Also ask this CDX server (pywb: http://HOST/COLL/cdx) (repeatable).")
@NO_WAYBACK
@click.option("--best", type=click.IntRange(min=1), default=3, show_default=True,
              help="Candidates to fetch and compare per seed.")
@hosts_option("Resolve HOST to IP, like curl --resolve (repeatable).")
@settings_option("Override a Scrapy or SEEDCHECK_* setting of the crawl (repeatable).")
def resolve(seed_ids: tuple[str, ...], seeds_dir: Path, data_dir: Path,
            cdx_archives: tuple[str, ...], no_wayback: bool, best: int,
            hosts: tuple[str, ...], overrides: tuple[str, ...]) -> None:
    """Find original URLs for seeds that have none, or only candidates.

    Lists what the archives captured under the seed's site and date (e.g.
    site/2019/05/14/*), ranks the URLs by the title's words in their slug, crawls the
    best few (live and archived, into DATA's WARCs) and compares their text with the
    seed; the winners go into seeds.yml as candidate URLs with their score.
    """
    from archive.app.resolve import ResolveError, ResolveOptions
    from archive.app.resolve import resolve as resolve_seeds
    from archive.layout import LockedError

    crawl = crawl_options(seeds_dir, data_dir, hosts, overrides, cdx_archives, (), no_wayback)
    options = ResolveOptions(seeds_dir=seeds_dir, data_dir=data_dir, seed_ids=seed_ids,
                             archives=crawl.archives, best=best, hosts=crawl.hosts,
                             settings=crawl.settings)
    try:
        resolve_seeds(options, echo=click.echo)
    except (ResolveError, LockedError) as exc:
        raise click.ClickException(str(exc)) from exc
