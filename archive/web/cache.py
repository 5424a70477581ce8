"""Rendered seedcheck pages kept in memory while the database file they came from is served.

The served database is immutable between builds, so one of the plugin's pages (home, compare,
search, reports, URL history, changes) is the same bytes for the same path and query string
until a build replaces the file. Rendering is most of a page's cost (Datasette's async Jinja:
~15-35 ms against 1-3 ms of SQL), so a page asked for again is answered from here. Only the
plugin's own routes go through `PageCache.serve`; Datasette's table and SQL pages never do.
Nothing that depends on who asks is kept: a request with an actor, or with Datasette's login
or message cookies, is rendered every time.

The cache holds at most `max_bytes` of pages (least recently used first out) and forgets
everything when the database file's identity changes (a build replaced it). The bound is
`SEEDCHECK_PAGE_CACHE_MB` (default 64; 0 turns the cache off) when the server starts.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

DEFAULT_MB = 64
# One page may take at most this share of the bound, so one huge page cannot empty the cache.
LARGEST_SHARE = 8
# Cookies that change what Datasette's page frame shows (login, flash messages).
PERSONAL_COOKIES = ("ds_actor", "ds_messages")
HEADER = "X-Seedcheck-Cache"


@dataclass(frozen=True)
class Page:
    body: bytes
    status: int
    content_type: str
    headers: tuple[tuple[str, str], ...]

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + 64

    def response(self, respond: Callable[..., Any], state: str) -> Any:
        """The page as a response again: `respond` is Datasette's `Response` (the plugin owns
        the Datasette import)."""
        return respond(self.body, status=self.status, content_type=self.content_type,
                        headers={**dict(self.headers), HEADER: state})


class PageCache:
    """A least-recently-used map of (path and query) -> Page, bounded by bytes, for one file."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.identity: tuple | None = None
        self.pages: OrderedDict[str, Page] = OrderedDict()
        self.bytes = 0
        self.hits = self.misses = 0
        self._lock = threading.Lock()

    @classmethod
    def configured(cls) -> PageCache:
        megabytes = float(os.environ.get("SEEDCHECK_PAGE_CACHE_MB") or DEFAULT_MB)
        return cls(int(megabytes * 2**20))

    @classmethod
    def of(cls, datasette) -> PageCache:
        """The cache of one Datasette instance, made at first use."""
        found = getattr(datasette, "seedcheck_pages", None)
        if found is None:
            found = datasette.seedcheck_pages = cls.configured()
        return found

    def get(self, identity: tuple, key: str) -> Page | None:
        with self._lock:
            if identity != self.identity:
                self._forget(identity)
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, identity: tuple, key: str, page: Page) -> None:
        if page.size * LARGEST_SHARE > self.max_bytes:
            return
        with self._lock:
            if identity != self.identity:
                self._forget(identity)
            old = self.pages.pop(key, None)
            if old is not None:
                self.bytes -= old.size
            self.pages[key] = page
            self.bytes += page.size
            while self.bytes > self.max_bytes:
                _, dropped = self.pages.popitem(last=False)
                self.bytes -= dropped.size

    def _forget(self, identity: tuple) -> None:
        self.pages.clear()
        self.bytes = 0
        self.identity = identity

    async def serve(self, identity: tuple | None, request, render: Callable[[], Awaitable[Any]],
                    still: Callable[[], bool], respond: Callable[..., Any]) -> Any:
        """The page for `request`: from the cache, or `render()`ed and kept if `still()` holds
        afterwards (the database it was read from is still the one served)."""
        if identity is None or self.max_bytes <= 0 or not cacheable(request):
            return await render()
        key = request.full_path if request.method == "GET" else None
        page = self.get(identity, key) if key else None
        if page is not None:
            self.hits += 1
            return page.response(respond, "hit")
        self.misses += 1
        response = await render()
        if key and response.status in (200, 404) and still():
            found = _page(response)
            if found is not None:
                self.put(identity, key, found)
        response.headers[HEADER] = "miss"
        return response


def cacheable(request) -> bool:
    return request.actor is None and not any(c in request.cookies for c in PERSONAL_COOKIES)


def _page(response) -> Page | None:
    body = getattr(response, "body", None)
    if isinstance(body, str):
        body = body.encode("utf-8")
    if not isinstance(body, bytes) or getattr(response, "_set_cookie_headers", None):
        return None                                  # streamed, or sets cookies: not kept
    return Page(body, response.status, response.content_type,
                tuple((str(k), str(v)) for k, v in response.headers.items()))
