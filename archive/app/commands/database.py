"""`seedcheck seeds`, `build`, `check` and `serve`: the seeds, the database and its pages."""

from __future__ import annotations

from pathlib import Path

import click

from archive.app.options import (
    DATA_DIR,
    SEEDS_DIR,
    exit_with,
)
from archive.seeds.parse import load_seeds


@click.command()
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
        exit_with(1)


@click.command()
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


@click.command()
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
    from archive.layout import DataDir

    try:
        report = seed_report(DataDir(data_dir).database)
    except DatabaseError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(report, indent=2, ensure_ascii=False) if as_json
               else format_report(report))


@click.command()
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
    exit_with(status)
