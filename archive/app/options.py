"""The options several `seedcheck` commands share, and turning their values into options objects."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

SEEDS_DIR = click.option(
    "--seeds", "seeds_dir", type=click.Path(file_okay=False, path_type=Path), default="seeds",
    show_default=True, help="Folder of seed documents and their seeds.yml manifest.")
DATA_DIR = click.option(
    "--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default="data",
    show_default=True, help="Folder for WARCs, crawl logs and the database.")
PORT = click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True,
                    help="Datasette's port on 127.0.0.1; 0 picks a free one.")
FRONTIER = click.option(
    "--frontier", metavar="URL", default=None,
    help="Passed to the crawl: a worker of the crawl shared in Redis redis://HOST:PORT/DB.")
NO_WAYBACK = click.option("--no-wayback", is_flag=True, help="Do not ask the Wayback Machine.")


def hosts_option(help_text: str) -> Callable:
    return click.option("--resolve", "hosts", multiple=True, metavar="HOST:IP", help=help_text)


def settings_option(help_text: str) -> Callable:
    return click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
                        help=help_text)


def cdx_option(help_text: str) -> Callable:
    return click.option("--archive", "cdx_archives", multiple=True, metavar="NAME=CDX_URL",
                        help=help_text)


def parsed(parse: Callable[..., Any], *args: Any, hint: str | None = None) -> Any:
    """An option value through its parser in `archive.app.crawl`; ValueError -> usage error."""
    try:
        return parse(*args)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=hint) from None


def crawl_options(seeds_dir: Path, data_dir: Path, hosts: Sequence[str],
                  overrides: Sequence[str], cdx: Sequence[str] = (),
                  timegates: Sequence[str] = (), no_wayback: bool = False, **more: Any) -> Any:
    """The `CrawlOptions` of a command's crawl options."""
    from archive.app.crawl import CrawlOptions, archive_sources, setting_overrides

    return CrawlOptions(seeds_dir=seeds_dir, data_dir=data_dir, hosts=tuple(hosts),
                        settings=parsed(setting_overrides, overrides, hint="-s"),
                        archives=parsed(archive_sources, cdx, timegates, no_wayback), **more)


def exit_with(status: int) -> None:
    raise SystemExit(status)
