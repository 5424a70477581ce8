"""`seedcheck add`, `export`, `import`, `report`: seeds in, archives and findings out and in."""

from __future__ import annotations

from pathlib import Path

import click

from archive.app.options import DATA_DIR, SEEDS_DIR, exit_with


@click.command()
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


@click.command("import")
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
        exit_with(1)


@click.command()
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
    from archive.layout import DataDir
    from archive.web.report import ReportError, report_file

    try:
        click.echo(report_file(DataDir(data_dir).database, seed_id, format_, record_id))
    except ReportError as exc:
        raise click.ClickException(str(exc)) from exc


@click.command()
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
