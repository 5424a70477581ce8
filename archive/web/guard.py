"""What keeps the published archive answering whatever visitors ask: Datasette hooks the
plugin (`archive.web.plugin`) exposes as its own.

- every connection Datasette opens is bounded (`archive.web.limits`);
- visitors' own SQL (`?sql=`, only with `seedcheck serve --sql`) runs one request at a time,
  the others waiting in the event loop rather than on Datasette's threads;
- two of Datasette's ways of stopping a query no longer stall every page for seconds: its
  default error handler rendered each error's traceback with every local variable (rich) in
  the event loop, and its time limit took the GIL every 1,000 SQLite instructions;
- a bad sort parameter is answered 400 (Datasette: 500), and `/-/databases` names the file
  served, not where it lives on the server.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from datasette import database as datasette_database
from datasette import handle_exception as datasette_errors
from datasette import hookimpl
from datasette.utils.asgi import Response
from datasette.views.base import DatasetteError

from archive.web import limits

# Datasette's messages for sort parameters naming no column, answered with a 500 of its own.
BAD_SORT = ("Cannot sort table by ", "Cannot use _sort and _sort_desc")
SQL_AT_ONCE = 1                  # of Datasette's threads (3): the rest stay free, and a core


@hookimpl
def prepare_connection(conn):
    limits.bound(conn)


@hookimpl
def startup(datasette):
    datasette_errors.rich = None                                # its console printout only
    datasette_database.sqlite_timelimit = limits.time_limit     # the same limit, fewer looks


@hookimpl
def handle_exception(datasette, request, exception):
    if (isinstance(exception, DatasetteError) and exception.status == 500
            and str(exception.message).startswith(BAD_SORT)):
        exception.status = 400                # Datasette's own handler renders it, as a 400


class SqlGate:
    """Lets requests carrying visitors' SQL into Datasette SQL_AT_ONCE at a time."""

    def __init__(self) -> None:
        self.slots = asyncio.Semaphore(SQL_AT_ONCE)

    async def __call__(self, app, scope, receive, send) -> None:
        if b"sql=" in scope.get("query_string", b""):
            async with self.slots:
                await app(scope, receive, send)
        else:
            await app(scope, receive, send)


async def databases(datasette, request):
    """Datasette's /-/databases, without the server's file system paths."""
    data = [{"name": name, "route": db.route, "file": Path(db.path).name if db.path else None,
             "size": db.size, "is_mutable": db.is_mutable, "is_memory": db.is_memory,
             "hash": db.hash} for name, db in datasette.databases.items() if name != "_internal"]
    if request.url_vars.get("format"):
        return Response.json(data)
    return Response.html(await datasette.render_template(
        "show_json.html", {"filename": "databases.json", "data_json": json.dumps(data, indent=4)},
        request=request))
