"""Datasette's own table pages, made to read well: JSON columns out of the way.

A comparison's alignment or a crawl line's redirects are JSON; shown in full they make ten rows
thousands of pixels tall. A table page asked for without a choice of columns hides them
(`hidden_columns` gives the `_nocol` a redirect adds), and wherever they are shown, a cell
holds a one-line summary that opens to the pretty-printed JSON (`json_summary`).
"""

from __future__ import annotations

import json
from functools import cache
from urllib.parse import parse_qsl, urlencode

from archive.db.schema import TABLES

MAX_SHOWN = 20_000                        # characters of pretty JSON put in a cell


@cache
def json_columns() -> dict[str, tuple[str, ...]]:
    """Each table's JSON columns, from the schema's own column descriptions."""
    found = {t.name: tuple(c.name for c in t.columns if c.doc.startswith("JSON"))
             for t in TABLES}
    return {name: columns for name, columns in found.items() if columns}


def hidden_columns(table: str, query_string: str) -> str | None:
    """The query string that hides a table's JSON columns, or None to leave the page as asked."""
    columns = json_columns().get(table)
    if not columns:
        return None
    asked = parse_qsl(query_string, keep_blank_values=True)
    if any(name in ("_col", "_nocol") for name, _ in asked):
        return None                       # the visitor chose the columns
    return urlencode([*asked, *(("_nocol", c) for c in columns)])


def json_summary(value: str) -> tuple[str, str] | None:
    """(one-line summary, pretty JSON) of a JSON cell; None when the text is not JSON."""
    try:
        data = json.loads(value)
    except (TypeError, ValueError):
        return None
    if isinstance(data, list):
        summary = f"{len(data)} item{'s' if len(data) != 1 else ''}"
    elif isinstance(data, dict):
        summary = f"{len(data)} key{'s' if len(data) != 1 else ''}: " + ", ".join(list(data)[:4])
    else:
        return None
    pretty = json.dumps(data, indent=1, ensure_ascii=False)
    return summary, pretty if len(pretty) <= MAX_SHOWN else pretty[:MAX_SHOWN] + "\n…"


def json_hidden(path: str, prefix: str, query_string: str) -> str | None:
    """Where to send a request for `path` (under a database's `prefix`) to hide JSON columns."""
    if not path.startswith(prefix):
        return None
    table = path[len(prefix):]
    if "/" in table or "." in table:
        return None                       # a row page, or another format: left as asked
    query = hidden_columns(table, query_string)
    return f"{path}?{query}" if query else None
