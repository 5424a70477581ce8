"""The `seedcheck` command: thin click adapters over the `archive` package.

Every command parses its options, makes one call into `archive/` and turns the domain errors
that call raises into a message and an exit status (the sqlite-utils shape). Commands live in
`archive.app.commands`, a module per kind of work; heavy modules are imported inside them, so
`seedcheck --help` stays fast.
"""

from __future__ import annotations

import click

from archive import __version__
from archive.app.commands import crawling, database, running, sharing


@click.group()
@click.version_option(__version__, prog_name="seedcheck")
def cli() -> None:
    """seedcheck: is this copy of an article faithful to its original?"""
    from archive.app.terminal import guard

    guard()      # what pages, seeds and servers say reaches the terminal without its controls


for command in (sharing.add, database.build, crawling.captures, database.check, crawling.crawl,
                running.demo, sharing.export, sharing.import_, sharing.report, crawling.resolve,
                running.run, running.schedule, database.seeds, database.serve):
    cli.add_command(command)
