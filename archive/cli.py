"""The `seedcheck` command: thin click adapters over the `archive` package."""

from __future__ import annotations

from pathlib import Path

import click

from archive import __version__
from archive.seeds import load_seeds

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


@click.group()
@click.version_option(__version__, prog_name="seedcheck")
def cli() -> None:
    """seedcheck: is this copy of an article faithful to its original?"""


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
