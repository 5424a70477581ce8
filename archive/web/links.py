"""The URLs of the seedcheck pages, under Datasette's base URL (`datasette.urls.path`).

Plain functions over the `urls` helper Datasette gives the plugin, so the page functions
(`archive.web.pages`, `archive.web.timeline`, `archive.web.report`) receive links without
knowing where the site is mounted.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from archive.web.pages import Links, bare_id
from archive.web.timeline import HistoryLinks


def compare_path(urls, seed_id: str, record_id: str | None = None) -> str:
    path = urls.path(f"/-/seedcheck/seed/{quote(seed_id, safe='')}")
    return f"{path}?capture={quote(record_id, safe='')}" if record_id else path


def record_path(urls, view: str, record_id: str) -> str:
    """`/-/seedcheck/raw/ID`, `/replay/ID` or `/asset/ID` of a WARC record."""
    return urls.path(f"/-/seedcheck/{view}/{quote(bare_id(record_id), safe=':')}")


def page_links(urls, database: str) -> Links:
    return Links(
        home=urls.path("/-/seedcheck"),
        compare=lambda seed_id, record_id=None: compare_path(urls, seed_id, record_id),
        raw=lambda record_id: record_path(urls, "raw", record_id),
        table=lambda name: urls.table(database, name),
        replay=lambda record_id: record_path(urls, "replay", record_id),
    )


def history_links(urls, database: str) -> HistoryLinks:
    return HistoryLinks(
        base=page_links(urls, database),
        timeline=lambda url: urls.path("/-/seedcheck/url") + "?url=" + quote(url, safe=""),
        changes=lambda since: urls.path("/-/seedcheck/changes")
        + (f"?since={quote(since, safe='')}" if since else ""),
    )


def compare_extras(urls, seed_id: str, record_id: str | None) -> dict:
    """The compare page's other views: the whole text, and its reports."""
    here = compare_path(urls, seed_id, record_id)
    joiner = "&" if "?" in here else "?"
    base = urls.path(f"/-/seedcheck/seed/{quote(seed_id, safe='')}")
    suffix = f"?capture={quote(record_id, safe='')}" if record_id else ""
    return {"view_links": {"all": f"{here}{joiner}view=all", "changes": here},
            "report_links": {"json": f"{base}.json{suffix}", "md": f"{base}.md{suffix}"}}


def asset_href(urls, record_id: str) -> Callable[[str], str]:
    """(asset URL) -> this archive's route to the capture of it nearest the page `record_id`."""
    base = record_path(urls, "asset", record_id)
    return lambda url: f"{base}?url={quote(url, safe='')}"


def asset_prefix(urls) -> str:
    return urls.path("/-/seedcheck/asset/")
