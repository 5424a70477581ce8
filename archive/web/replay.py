"""Replay that looks like the page: an archived HTML page with its own archived stylesheets and
images, still unable to run anything or reach the live web.

`rewrite_html` points the page's stylesheets, images and CSS `url()`s at the archive's asset
route (`asset_href`), which serves the capture of that URL closest in time to the page's
(`nearest_asset`) out of the WARCs; `archive.web.sandbox` then removes everything else that
could make a browser connect anywhere (`replay_html`). The page is served under `REPLAY_CSP`:
sandboxed (no script, no forms, no top navigation), styles inline or from this server, images
and fonts from this server or `data:`, nothing else; an asset the crawl did not archive is
simply missing.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

from lxml import etree, html

from archive.web import sandbox

# What the replayed page may load, and only from this server: no script, no frames, no fetch.
REPLAY_CSP = ("sandbox; default-src 'none'; style-src 'self' 'unsafe-inline'; "
              "img-src 'self' data:; font-src 'self' data:; form-action 'none'; "
              "base-uri 'none'")
ASSET_TYPES = {"text/css", "image/png", "image/jpeg", "image/gif", "image/webp", "image/avif",
               "image/svg+xml", "image/x-icon", "image/vnd.microsoft.icon", "font/woff",
               "font/woff2", "font/ttf", "font/otf", "application/font-woff"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""", re.I)

NEAREST_SQL = """
select a.record_id from captures a, captures page
where page.record_id = ? and a.url = ? and a.record_type in ('response', 'revisit')
  and a.status between 200 and 299
order by abs(julianday(a.captured_at) - julianday(page.captured_at)), a.captured_at desc limit 1
"""


def nearest_asset(conn: sqlite3.Connection, url: str, page_id: str) -> str | None:
    """The capture of `url` closest in time to the page `page_id` (a 2xx), or None."""
    found = conn.execute(NEAREST_SQL, [page_id, url]).fetchone()
    return found[0] if found else None


def _absolute(base: str, ref: str) -> str | None:
    ref = (ref or "").strip()
    if not ref or ref.startswith(("data:", "#")):
        return None
    url = urljoin(base, ref)
    return url if urlsplit(url).scheme in ("http", "https") else None


def rewrite_css(text: str, base: str, asset_href: Callable[[str], str]) -> str:
    """Every `url(…)` and `@import` of a stylesheet pointed at the asset route."""
    def swap(match: re.Match) -> str:
        ref = match.group(2) or match.group(4)
        url = _absolute(base, ref)
        if url is None:
            return match.group(0)
        return f'url("{asset_href(url)}")' if match.group(2) else f'@import "{asset_href(url)}"'
    return CSS_URL.sub(swap, text)


def rewrite_html(body: bytes, charset: str | None, page_url: str,
                 asset_href: Callable[[str], str]) -> bytes:
    """The page with its stylesheets, images and CSS URLs served by the archive (UTF-8)."""
    text = body.decode(charset or "utf-8", errors="replace")
    try:
        doc = html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return body
    base = page_url
    for element in doc.iter(etree.Element):
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "link" and "stylesheet" in (element.get("rel") or "").lower().split():
            _swap(element, "href", base, asset_href)
        elif tag in ("img", "input"):
            _swap(element, "src", base, asset_href)
            element.attrib.pop("srcset", None)
        elif tag == "source":
            element.attrib.pop("srcset", None)
        elif tag == "style" and element.text:
            element.text = rewrite_css(element.text, base, asset_href)
        if element.get("style"):
            element.set("style", rewrite_css(element.get("style"), base, asset_href))
    return html.tostring(doc, encoding="utf-8", method="html", doctype="<!DOCTYPE html>")


def _swap(element, attribute: str, base: str, asset_href: Callable[[str], str]) -> None:
    url = _absolute(base, element.get(attribute) or "")
    if url is not None:
        element.set(attribute, asset_href(url))


def replay_html(body: bytes, charset: str | None, page_url: str,
                asset_href: Callable[[str], str], prefix: str) -> bytes:
    """The page pointed at its archived assets, then made inert but for URLs under `prefix`."""
    rewritten = rewrite_html(body, charset, page_url, asset_href)
    return sandbox.inert_html(rewritten, "utf-8", keep=lambda url: url.startswith(prefix))


def replay_css(css: str, url: str, asset_href: Callable[[str], str], prefix: str) -> str:
    """An archived stylesheet pointed at the archived assets, every other load removed."""
    return sandbox.inert_css(rewrite_css(css, url, asset_href),
                             keep=lambda found: found.startswith(prefix))
