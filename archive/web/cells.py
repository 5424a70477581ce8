"""How the seedcheck plugin renders cells of Datasette's table and row pages.

Verdicts as badges, seed and comparison ids as links to the compare page, JSON folded into a
one-line summary (`archive.web.tables`), look-ups and robots.txt labelled in `captures.source`.
Plain functions: the plugin's `render_cell` hook hands over the row and the links.
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup, escape

from archive.web import pages as review
from archive.web import tables


def cell(row, value, column: str, table: str | None,
         compare: Callable[..., str], comparison: Callable[[int], str]) -> Markup | None:
    """The HTML of a cell, or None to leave it to Datasette."""
    value, label = plain(value)
    if value is None:
        return None
    keys = row.keys() if hasattr(row, "keys") else ()
    if column == "verdict" and isinstance(value, str):
        return badge(value)
    if column in tables.json_columns().get(table or "", ()) and isinstance(value, str):
        return json_cell(value)
    if table == "captures" and column == "source" and "purpose" in keys \
            and row["purpose"] not in (None, "page"):
        return Markup('{} <span class="sc-small">({}, not a page)</span>').format(
            value, row["purpose"])
    if column == "seed_id" and isinstance(value, str):
        record_id = plain(row["record_id"])[0] if table == "comparisons" else None
        return link(compare(value, record_id), label or value)
    if column == "comparison_id" and isinstance(value, int):
        return link(comparison(value), str(value))
    if table == "seeds" and column == "title" and "id" in keys:
        return link(compare(plain(row["id"])[0]), value)
    return None


def plain(value):
    """(value, label): table views hand over expanded foreign keys as {"value", "label"}."""
    if isinstance(value, dict):
        return value.get("value"), value.get("label")
    return value, None


def badge(verdict: str) -> Markup:
    css = review.verdict_class(verdict)
    return Markup('<span class="sc-badge sc-verdict-{}">{}</span>').format(css, verdict)


def json_cell(value: str) -> Markup | None:
    found = tables.json_summary(value)
    if found is None:
        return None
    summary, pretty = found
    return Markup('<details class="sc-json"><summary>JSON: {}</summary><pre>{}</pre></details>'
                  ).format(summary, pretty)


def link(href: str, text: str) -> Markup:
    return Markup('<a href="{}">{}</a>').format(href, escape(text))
