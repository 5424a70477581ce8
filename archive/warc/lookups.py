"""What a fetch was for: a page, a web archive's look-up, or a robots.txt.

A crawl archives everything it fetches, including its questions to web archives (CDX queries,
Memento TimeGates) and robots.txt files; they are fetched live, but they are not captures of
a page. `purpose` tells them apart from the URL alone, so the database and the pages can list
captures and look-ups apart.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

PURPOSES = ("page", "lookup", "robots")
# CDX endpoints: the Wayback Machine's /cdx/search/cdx, pywb's /<collection>/cdx, /timemap/.
CDX_PATH = re.compile(r"/(cdx(/search/cdx)?|timemap(/\w+)?)/?$", re.I)
# A TimeGate or replay URL carries the original URL in its path: /web/http://…, /timegate/http…
EMBEDDED_URL = re.compile(r"/(timegate/|web/(\d{1,14}[a-z_]*/)?)https?:/", re.I)


def purpose(url: str, source: str | None = "live") -> str:
    """"page", "lookup" (a question to a web archive) or "robots" (a robots.txt file)."""
    if source == "archive":
        return "page"                    # an archived capture is stored under the page's URL
    parts = urlsplit(url)
    if parts.path == "/robots.txt":
        return "robots"
    if CDX_PATH.search(parts.path) and "url" in parse_qs(parts.query):
        return "lookup"
    if EMBEDDED_URL.search(parts.path):
        return "lookup"
    return "page"
