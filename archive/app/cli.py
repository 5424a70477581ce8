"""The `seedcheck` command: thin click adapters over the `archive` package.

Every command parses its options, makes one call into `archive/` and turns the domain errors
that call raises into a message and an exit status (the sqlite-utils shape). Commands live in
`archive.app.commands`, a module per kind of work; heavy modules are imported inside them, so
`seedcheck --help` stays fast.
"""

from __future__ import annotations

import errno

import click

from archive import __version__
from archive.app.commands import crawling, database, running, sharing

# A full disk (or quota, or a file-size limit) is an answer from the machine, not a bug:
# one line says what could not be written, instead of a traceback.
DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS})


class Seedcheck(click.Group):
    def invoke(self, ctx: click.Context):
        args = list(ctx.args)                # the command's own, before click consumes them
        try:
            return super().invoke(ctx)
        except OSError as exc:
            if exc.errno not in DISK_FULL:
                raise
            raise click.ClickException(
                f"{exc.filename or _data_dir(args)}: {exc.strerror}: stopped at the first write "
                "that failed; free some space and run the command again") from exc


def _data_dir(args: list[str]) -> str:
    """The folder a command was writing in, from its --data option (default: data)."""
    for n, arg in enumerate(args):
        if arg == "--data" and n + 1 < len(args):
            return args[n + 1]
        if arg.startswith("--data="):
            return arg.removeprefix("--data=")
    return "data"


@click.group(cls=Seedcheck)
@click.version_option(__version__, prog_name="seedcheck")
def cli() -> None:
    """seedcheck: is this copy of an article faithful to its original?"""
    from archive.app.terminal import guard

    guard()      # what pages, seeds and servers say reaches the terminal without its controls


for command in (sharing.add, database.build, crawling.captures, database.check, crawling.crawl,
                running.demo, sharing.export, sharing.import_, sharing.report, crawling.resolve,
                running.run, running.schedule, database.seeds, database.serve):
    cli.add_command(command)
