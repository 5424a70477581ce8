"""The `seedcheck` command: thin click adapters over the `archive` package."""

from __future__ import annotations

from pathlib import Path

import click

from archive import __version__
from archive.seeds.parse import load_seeds

SEEDS_DIR = click.option(
    "--seeds",
    "seeds_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default="seeds",
    show_default=True,
    help="Folder of seed documents and their seeds.yml manifest.",
)
DATA_DIR = click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default="data",
    show_default=True,
    help="Folder for WARCs, crawl logs and the database.",
)
FRONTIER = click.option(
    "--frontier", metavar="URL", default=None,
    help="Passed to `seedcheck crawl`: a worker of the crawl shared in Redis redis://HOST:PORT/DB.",
)


@click.group()
@click.version_option(__version__, prog_name="seedcheck")
def cli() -> None:
    """seedcheck: is this copy of an article faithful to its original?"""
    from archive.app.terminal import guard

    guard()      # what pages, seeds and servers say reaches the terminal without its controls


@cli.command()
@SEEDS_DIR
def seeds(seeds_dir: Path) -> None:
    """List the seeds with their title, date, word count and original URLs.

    Exits with status 1, after listing every good seed, when a seed file or a
    manifest entry is broken.
    """
    loaded = load_seeds(seeds_dir)
    for seed in loaded.seeds:
        date = seed.published.isoformat() if seed.published else "date unknown"
        click.echo(f"{seed.id}  {seed.title}")
        publication = seed.publication or "publication unknown"
        click.echo(f"    {date} · {seed.word_count} words · {publication}")
        for url in seed.urls:
            click.echo(f"    {url.role:<8} {url.confidence:<9} {url.url}")
        if not seed.urls:
            click.echo("    (no original URL known: add one to seeds.yml)")
    click.echo(f"{len(loaded.seeds)} seeds in {seeds_dir}")
    if loaded.problems:
        click.echo(f"{len(loaded.problems)} problem(s):", err=True)
        for problem in loaded.problems:
            click.echo(f"  {problem}", err=True)
        raise SystemExit(1)


@cli.command()
@DATA_DIR
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True,
              help="Port on 127.0.0.1; 0 picks a free one.")
@click.option("--sql", is_flag=True, help="Let visitors run their own SQL queries (bounded in "
              "time, rows and bytes) [default: off; tables, facets and canned queries only].")
def serve(data_dir: Path, port: int, sql: bool) -> None:
    """Browse the database in Datasette (read-only) at http://127.0.0.1:PORT/-/seedcheck.

    Serves DATA/seedcheck.db with metadata.yml and the seedcheck plugin: every seed
    beside its originals, paragraph by paragraph. Stop it with Ctrl-C.
    """
    from archive.app.serve import PublishError, ServeOptions
    from archive.app.serve import serve as serve_datasette

    try:
        status = serve_datasette(ServeOptions(data_dir=data_dir, port=port, sql=sql),
                                 echo=click.echo)
    except PublishError as exc:
        raise click.ClickException(str(exc)) from exc
    raise SystemExit(status)


@cli.command()
@DATA_DIR
@SEEDS_DIR
@click.option("--workers", type=click.IntRange(min=0), default=None,
              help="Worker processes for extraction and comparison [default: one per core; "
                   "0: none, all in this process].")
def build(data_dir: Path, seeds_dir: Path, workers: int | None) -> None:
    """Build DATA/seedcheck.db from the seeds, the WARCs and the crawl logs.

    Extracts the text of every archived page, compares each seed with every capture of
    its originals and writes the database into a temporary file swapped in at the end,
    so an interrupted build leaves the previous database as it was. Rows whose sources
    did not change are reused from the previous database. Damaged, open or foreign files
    are reported and skipped; the exit status is 0 whenever a database was written.
    """
    import sys

    from archive.build.builder import BuildError, BuildOptions, format_summary
    from archive.build.builder import build as build_database
    from archive.build.progress import Progress

    options = BuildOptions(data_dir=data_dir, seeds_dir=seeds_dir, workers=workers)
    try:
        summary = build_database(options, Progress(sys.stderr, tty=sys.stderr.isatty()))
    except BuildError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(format_summary(summary))


@cli.command()
@DATA_DIR
@click.option("--wacz", "output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The WACZ file to write.")
@click.option("--seed", "seed_ids", multiple=True, metavar="ID",
              help="Only this seed and the WARCs it needs (repeatable) [default: every seed].")
def export(data_dir: Path, output: Path, seed_ids: tuple[str, ...]) -> None:
    """Package the archive and the finding as one WACZ file (ReplayWeb.page opens it).

    A WACZ 1.1.1 package of the WARCs (all, or those the chosen seeds need), their CDXJ
    index, pages.jsonl (one page per capture compared, with its title and extracted text
    for full-text search), datapackage.json with sha256 digests, and seedcheck's evidence
    in seedcheck/seeds.json: the seeds with every comparison, verdict and change. Run
    `seedcheck build` first.
    """
    from archive.app.export import ExportError, ExportOptions, export_wacz

    try:
        summary = export_wacz(ExportOptions(data_dir, output, seed_ids))
    except ExportError as exc:
        raise click.ClickException(str(exc)) from exc
    for note in summary.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(f"wrote {summary.output}: {summary.seeds} seed(s), {summary.pages} page(s), "
               f"{len(summary.warc_files)} WARC file(s)")


@cli.command("import")
@DATA_DIR
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def import_(data_dir: Path, paths: tuple[Path, ...]) -> None:
    """Keep WARC, ARC and WACZ files written by other tools for the build.

    Each file (WARC 1.0 or 1.1, gzip or not, ARC, WACZ) is copied unchanged into
    DATA/imports/ and read through once; `seedcheck build` then compares the seeds with
    every capture of their original URLs in it (URLs matched in SURT form). Damage is
    reported with the file and byte offset; whatever is readable is still kept and used.
    Exits with status 1, after importing the rest, when a file is damaged or refused.
    """
    from archive.app.imports import format_imports, import_archives

    results = import_archives(paths, data_dir)
    click.echo(format_imports(results))
    if any(r.problems for r in results):
        raise SystemExit(1)


@cli.command()
@DATA_DIR
@click.option("--json", "as_json", is_flag=True,
              help="Print a JSON list of seeds, each with every comparison and its changes.")
def check(data_dir: Path, as_json: bool) -> None:
    """Report how faithful each seed is to its originals, from the built database.

    One line per seed: its best-matching original, the verdict, coverage, added share
    and the most serious changes. Run `seedcheck build` first.
    """
    import json

    from archive.app.report import format_report
    from archive.db.store import DatabaseError, seed_report

    try:
        report = seed_report(data_dir / "seedcheck.db")
    except DatabaseError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        click.echo(format_report(report))


@cli.command()
@click.argument("target", metavar="URL|FILE")
@click.option("--seed", "seed_id", metavar="SEED", default=None,
              help="The seed (id or file name) whose original URL is given.")
@click.option("--role", type=click.Choice(["original", "repost", "quoted"]), default="original",
              show_default=True, help="What the URL is to the seed.")
@SEEDS_DIR
def add(target: str, seed_id: str | None, role: str, seeds_dir: Path) -> None:
    """Add a seed document (FILE) or an original URL of a seed (URL --seed SEED).

    Edits seeds.yml as text, keeping its comments and order; a URL added by hand is
    `given` (it confirms a candidate of the same URL). A FILE is copied into the seeds
    folder and gets its own entry.
    """
    from archive.seeds.adding import AddError
    from archive.seeds.adding import add as add_to_seeds

    try:
        for line in add_to_seeds(seeds_dir, target, seed_id, role):
            click.echo(line)
    except AddError as exc:
        raise click.ClickException(str(exc)) from exc


@cli.command()
@click.argument("seed_id", metavar="SEED")
@DATA_DIR
@click.option("--format", "format_", type=click.Choice(["md", "json", "html"]), default="md",
              show_default=True, help="Markdown, JSON, or a standalone HTML page.")
@click.option("--capture", "record_id", metavar="RECORD_ID", default=None,
              help="Compare with this capture (a WARC record id) instead of the best one.")
def report(seed_id: str, data_dir: Path, format_: str, record_id: str | None) -> None:
    """Print one seed's report: verdict, findings in the seed, changes, evidence, citation.

    The same report as the seed's page (/-/seedcheck/seed/SEED.md or .json), from the
    built database; redirect it to a file to share it.
    """
    from archive.web.report import ReportError, report_file

    try:
        click.echo(report_file(data_dir / "seedcheck.db", seed_id, format_, record_id))
    except ReportError as exc:
        raise click.ClickException(str(exc)) from exc


@cli.command()
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
@click.option("--resolve", "hosts", multiple=True, metavar="HOST:IP",
              help="Passed to `seedcheck crawl` (repeatable).")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Passed to `seedcheck crawl` (repeatable).")
@click.option("--no-wayback", is_flag=True, help="Passed to `seedcheck crawl`.")
@FRONTIER
@click.option("--workers", type=click.IntRange(min=0), default=None,
              help="Passed to `seedcheck build`.")
def schedule(seeds_dir: Path, data_dir: Path, every: str | None, cron: str | None,
             runs: int | None, notify_command: str | None, hosts: tuple[str, ...],
             overrides: tuple[str, ...], no_wayback: bool, frontier: str | None,
             workers: int | None) -> None:
    """Crawl and build on a schedule, in the foreground, and report what changed.

    Each run crawls (a `seedcheck crawl` subprocess, one crawl id per run), builds, and
    writes DATA/reports/<crawl-id>.json: originals whose text changed, that went away or
    moved, and seeds whose verdict changed since the previous run. A failed run is logged
    and the next one still happens. One run at a time per data folder: a run that finds
    another at work (DATA/.schedule.lock) is skipped. Exit status (of the last run, with
    --runs): 0 nothing new, 3 changes found, 1 failed, 4 skipped.
    """
    import sys

    from archive.app.cron import ScheduleError, timing
    from archive.app.schedule import RunOptions
    from archive.app.schedule import schedule as run_schedule

    try:
        when = timing(every, cron, runs)
    except ScheduleError as exc:
        raise click.UsageError(str(exc)) from exc
    crawl_args = [arg for host in hosts for arg in ("--resolve", host)]
    crawl_args += [arg for item in overrides for arg in ("-s", item)]
    crawl_args += ["--no-wayback"] if no_wayback else []
    crawl_args += ["--frontier", frontier] if frontier else []
    options = RunOptions(data_dir=data_dir, seeds_dir=seeds_dir, crawl_args=tuple(crawl_args),
                         workers=workers, notify_command=notify_command)

    def echo(line: str) -> None:
        click.echo(line)
        sys.stdout.flush()

    try:
        raise SystemExit(run_schedule(options, when, runs, echo))
    except KeyboardInterrupt:
        echo("schedule stopped")
        raise SystemExit(130) from None


@cli.command()
@SEEDS_DIR
@DATA_DIR
@click.option("--resolve", "hosts", multiple=True, metavar="HOST:IP",
              help="Resolve HOST to IP, like curl --resolve (repeatable).")
@click.option("--resume", is_flag=True,
              help="Continue the latest unfinished crawl instead of starting a new one.")
@click.option("--recover", is_flag=True,
              help="Only close WARC files a killed crawl left .open, then exit.")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy or SEEDCHECK_* setting (repeatable).")
@click.option("--archive", "cdx_archives", multiple=True, metavar="NAME=CDX_URL",
              help="Also ask this CDX server (pywb: http://HOST/COLL/cdx) for captures "
                   "(repeatable).")
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
    from crawler.runner import (
        CrawlError,
        CrawlOptions,
        ProgressLine,
        describe,
        recover_only,
        run_crawl,
    )

    settings = _setting_overrides(overrides)
    try:
        if recover:
            closed = recover_only(data_dir)
            click.echo(f"recovered {len(closed)} WARC file(s) left open in {data_dir / 'warcs'}")
            for path in closed:
                click.echo(f"  {path.name}")
            return
        for problem in load_seeds(seeds_dir).problems:
            click.echo(f"warning: {problem}", err=True)
        stderr = click.get_text_stream("stderr")
        progress = ProgressLine(stderr, tty=stderr.isatty())
        archives = archive_sources(cdx_archives, timegates, no_wayback)
        if workers > 1 and not frontier:
            raise click.BadParameter("several workers share a --frontier", param_hint="--workers")
        options = CrawlOptions(seeds_dir=seeds_dir, data_dir=data_dir, hosts=hosts,
                               resume=resume, settings=settings, archives=archives,
                               captures=choices, at=_date_option(at, "--at"),
                               frontier=frontier, workers=workers)
        try:
            runner = run_crawl
            if frontier:  # workers of a crawl shared through Redis (crawler/workers.py)
                from crawler.workers import run_frontier as runner
            summary = runner(options, on_line=progress)
        finally:
            progress.end()
    except CrawlError as exc:
        raise click.ClickException(str(exc)) from exc
    for line in describe(summary):
        click.echo(line)
    if summary.finish_reason == "warc_error":
        raise click.ClickException(f"WARC writing failed: {summary.stats.get('warc/error')}")
    if summary.finish_reason.startswith("workers failed"):
        raise click.ClickException(summary.finish_reason)
    _explain_failure(summary.crawl_logs or (summary.crawl_log,))


def _explain_failure(crawl_logs: tuple[Path, ...]) -> None:
    """When every fetch of the crawl (all of this machine's workers) failed: why, in words,
    and exit status 3."""
    from archive.warc.crawllog import read_lines
    from archive.warc.failures import NOTHING_FETCHED, explain_crawl

    failure = explain_crawl([line for log in crawl_logs for line in read_lines(log)])
    if failure is not None:
        for line in failure.lines():
            click.echo(line, err=True)
        raise SystemExit(NOTHING_FETCHED)


def _setting_overrides(overrides: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """`-s NAME=VALUE` options as pairs, refusing the malformed ones."""
    settings = []
    for item in overrides:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="-s")
        settings.append((name.strip(), value))
    return tuple(settings)


def _date_option(value: str | None, hint: str) -> str | None:
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date YYYY-MM-DD", param_hint=hint) from None


def archive_sources(cdx: tuple[str, ...], timegates: tuple[str, ...], no_wayback: bool,
                    ) -> tuple | None:
    """The archives of --archive/--memento/--no-wayback; None: the settings' default."""
    from crawler.cdx import WAYBACK, ArchiveError, parse_archives

    if not cdx and not timegates and not no_wayback:
        return None
    sources = [] if no_wayback else [WAYBACK]
    for kind, items, hint in (("cdx", cdx, "--archive"), ("memento", timegates, "--memento")):
        for item in items:
            name, sep, url = item.partition("=")
            if not sep or not name or not url:
                raise click.BadParameter(f"{item!r} is not NAME=URL", param_hint=hint)
            sources.append({"name": name.strip(), "kind": kind, "url": url.strip()})
    try:
        archives = parse_archives(sources)
        for source in archives:
            if source.kind == "cdx":
                source.replay_base  # noqa: B018 - fails early for an endpoint of unknown shape
    except ArchiveError as exc:
        raise click.BadParameter(str(exc)) from None
    return archives


@cli.command()
@click.argument("url")
@click.option("--archive", "cdx_archives", multiple=True, metavar="NAME=CDX_URL",
              help="Also ask this CDX server (pywb: http://HOST/COLL/cdx) (repeatable).")
@click.option("--no-wayback", is_flag=True, help="Do not ask the Wayback Machine.")
@click.option("--rate", type=click.FloatRange(min=0), default=30.0, show_default=True,
              help="Requests per minute to each archive.")
def captures(url: str, cdx_archives: tuple[str, ...], no_wayback: bool, rate: float) -> None:
    """List what the web archives hold for URL: time, status, type, digest, length.

    Asks each archive's CDX API (the Wayback Machine by default). Exits with status 1
    when no archive could be asked.
    """
    from crawler.cdx import WAYBACK, RateLimit, lookup

    sources = archive_sources(cdx_archives, (), no_wayback)
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
        raise SystemExit(1)


@cli.command()
@click.argument("seed_ids", nargs=-1, metavar="[SEED]...")
@SEEDS_DIR
@DATA_DIR
@click.option("--archive", "cdx_archives", multiple=True, metavar="NAME=CDX_URL",
              help="Also ask this CDX server (pywb: http://HOST/COLL/cdx) (repeatable).")
@click.option("--no-wayback", is_flag=True, help="Do not ask the Wayback Machine.")
@click.option("--best", type=click.IntRange(min=1), default=3, show_default=True,
              help="Candidates to fetch and compare per seed.")
@click.option("--resolve", "hosts", multiple=True, metavar="HOST:IP",
              help="Resolve HOST to IP, like curl --resolve (repeatable).")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy or SEEDCHECK_* setting of the crawl (repeatable).")
def resolve(seed_ids: tuple[str, ...], seeds_dir: Path, data_dir: Path,
            cdx_archives: tuple[str, ...], no_wayback: bool, best: int,
            hosts: tuple[str, ...], overrides: tuple[str, ...]) -> None:
    """Find original URLs for seeds that have none, or only candidates.

    Lists what the archives captured under the seed's site and date (e.g.
    site/2019/05/14/*), ranks the URLs by the title's words in their slug, crawls the
    best few (live and archived, into DATA's WARCs) and compares their text with the
    seed; the winners go into seeds.yml as candidate URLs with their score.
    """
    from archive.app.resolve import needs_resolving, score_candidates, winners, write_back
    from archive.seeds.candidates import ManifestError
    from archive.warc.crawllog import read_lines
    from crawler.cdx import WAYBACK, RateLimit
    from crawler.discover import candidate_seeds, discover
    from crawler.runner import CrawlError, CrawlOptions, run_crawl

    loaded = load_seeds(seeds_dir)
    chosen = [s for s in loaded.seeds if (s.id in seed_ids or s.path.name in seed_ids)
              or (not seed_ids and needs_resolving(s))]
    if seed_ids and len(chosen) < len(seed_ids):
        raise click.UsageError(f"no such seed among {', '.join(seed_ids)} in {seeds_dir}")
    sources = archive_sources(cdx_archives, (), no_wayback)
    sources = (WAYBACK,) if sources is None else sources
    settings = _setting_overrides(overrides)
    rate = RateLimit(30.0)
    for seed in chosen:
        click.echo(f"{seed.id}  {seed.title}  ({seed.published or 'date unknown'})")
        found, tried = discover(seed.title, seed.published, [u.url for u in seed.urls],
                                seed.publication, sources, rate, best=best)
        for t in tried:
            click.echo(f"  query {t.query}: {t.error or f'{t.found} URL(s)'}")
        for c in found:
            click.echo(f"  candidate {c.url} (slug score {c.score:.2f}, {c.archive} {c.timestamp})")
        if not found:
            click.echo("  no candidate URL found")
            continue
        folder = data_dir / "resolve" / seed.id
        options = CrawlOptions(seeds_dir=candidate_seeds(folder, seed.path, seed.published,
                                                         [c.url for c in found]),
                               data_dir=data_dir, hosts=hosts, settings=settings,
                               archives=sources)
        try:
            summary = run_crawl(options)
        except CrawlError as exc:
            raise click.ClickException(str(exc)) from exc
        scored = score_candidates(seed, read_lines(summary.crawl_log), data_dir / "warcs")
        for s in scored:
            click.echo(f"  score {s.score:.3f} (coverage {s.coverage:.3f}) {s.url}: {s.note}")
        try:
            for message in write_back(seeds_dir / "seeds.yml", seed, winners(scored),
                                      {c.url: c.score for c in found}):
                click.echo(f"  seeds.yml: {message}")
        except ManifestError as exc:
            raise click.ClickException(str(exc)) from exc


@cli.command()
@SEEDS_DIR
@DATA_DIR
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True,
              help="Datasette's port on 127.0.0.1; 0 picks a free one.")
@click.option("--no-serve", is_flag=True, help="Crawl and build, but do not serve.")
@click.option("--resolve", "hosts", multiple=True, metavar="HOST:IP",
              help="Resolve HOST to IP during the crawl, like curl --resolve (repeatable).")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a crawl setting (repeatable; see `seedcheck crawl`).")
@click.option("--archive", "cdx_archives", multiple=True, metavar="NAME=CDX_URL",
              help="Also ask this CDX server for archived captures (repeatable).")
@click.option("--no-wayback", is_flag=True, help="Do not ask the Wayback Machine.")
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

    args = [arg for host in hosts for arg in ("--resolve", host)]
    args += [arg for item in overrides for arg in ("-s", item)]
    args += [arg for item in cdx_archives for arg in ("--archive", item)]
    args += ["--no-wayback"] if no_wayback else []
    args += ["--frontier", frontier] if frontier else []
    options = RunOptions(seeds_dir=seeds_dir, data_dir=data_dir, port=port, serve=not no_serve,
                         crawl_args=tuple(args))
    try:
        status = run_all(options, echo=click.echo)
    except (RunError, PublishError) as exc:
        raise click.ClickException(str(exc)) from exc
    raise SystemExit(status)


@cli.command()
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
              default="data/demo", show_default=True,
              help="Folder for the demo's seeds, WARCs, archive and database (emptied first "
                   "if an earlier demo wrote it).")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True,
              help="Datasette's port on 127.0.0.1; 0 picks a free one.")
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

    options = DemoOptions(data_dir=data_dir, port=port, serve=not no_serve)
    try:
        status = run_demo(options, echo=click.echo)
    except (DemoError, RunError, PublishError) as exc:
        raise click.ClickException(str(exc)) from exc
    raise SystemExit(status)
