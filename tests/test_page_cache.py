"""The page cache of the plugin's own pages (archive/web/cache.py): the same bytes as a page
rendered afresh, forgotten when a build replaces the database, bounded by bytes, and never
holding Datasette's own pages or a page rendered for someone logged in.

Requests go through Datasette's real ASGI app on a real build (tests/browser.py), the rebuild
through a real `seedcheck serve`.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import urllib.request
from urllib.parse import quote

import pytest

from archive.web.cache import HEADER, Page, PageCache
from tests.browser import start_server, stop_server
from tests.published import datasette_of, get

pytestmark = pytest.mark.timeout(120)


def datasette(seedcheck_data, megabytes: float | None = None):
    ds = datasette_of(seedcheck_data.data_dir)
    if megabytes is not None:
        ds.seedcheck_pages = PageCache(int(megabytes * 2**20))
    return ds



def plugin_pages(data) -> list[str]:
    seed = quote(data.altered, safe="")
    return ["/-/seedcheck", f"/-/seedcheck/seed/{seed}", f"/-/seedcheck/seed/{seed}?view=all",
            f"/-/seedcheck/seed/{seed}.json", f"/-/seedcheck/seed/{seed}.md",
            "/-/seedcheck/search?q=the", "/-/seedcheck/changes",
            "/-/seedcheck/url?url=http%3A%2F%2Fnowhere.test%2F"]


def test_a_cached_page_is_the_same_bytes_as_one_rendered_afresh(seedcheck_data):
    cached, fresh = datasette(seedcheck_data), datasette(seedcheck_data, megabytes=0)
    for path in plugin_pages(seedcheck_data):
        first, second = get(cached, path), get(cached, path)
        uncached = get(fresh, path)
        assert (first.headers[HEADER], second.headers[HEADER]) == ("miss", "hit"), path
        assert HEADER not in uncached.headers
        assert second.status_code == first.status_code == uncached.status_code, path
        assert second.content == first.content == uncached.content, path
        assert second.headers["content-type"] == uncached.headers["content-type"]
    pages = cached.seedcheck_pages
    assert sorted(pages.pages) == sorted(plugin_pages(seedcheck_data))
    assert pages.bytes == sum(page.size for page in pages.pages.values())


def test_datasettes_own_pages_and_personal_pages_are_never_cached(seedcheck_data):
    ds = datasette(seedcheck_data)
    own = ["/", "/seedcheck", "/seedcheck/seeds", "/seedcheck/seeds.json?_shape=array",
           "/seedcheck/seeds?_search=the", "/-/metadata.json", "/-/seedcheck/static/seedcheck.css"]
    for path in own * 2:
        response = get(ds, path)
        assert response.status_code == 200, path
        assert HEADER not in response.headers, path
    actor = ds.sign({"a": {"id": "reporter"}}, "actor")
    for _ in range(2):
        response = get(ds, "/-/seedcheck", cookies={"ds_actor": actor})
        assert response.status_code == 200 and HEADER not in response.headers
    assert not ds.seedcheck_pages.pages
    assert get(ds, "/-/seedcheck").headers[HEADER] == "miss"
    assert list(ds.seedcheck_pages.pages) == ["/-/seedcheck"]


def test_the_cache_stays_under_its_byte_bound_dropping_the_least_recently_used():
    cache = PageCache(10_000)
    file = (1, 2, 3, 4)

    def page(size: int) -> Page:
        return Page(b"x" * size, 200, "text/html; charset=utf-8", (("Link", "<a>"),))

    for n in range(40):
        cache.put(file, f"/p{n}", page(900))
        assert cache.get(file, "/p0") is not None, n     # used every time: kept
        assert cache.bytes <= cache.max_bytes
    assert cache.bytes == sum(p.size for p in cache.pages.values())
    assert len(cache.pages) == cache.max_bytes // page(900).size
    assert "/p1" not in cache.pages and "/p39" in cache.pages
    cache.put(file, "/huge", page(5_000))                 # over an eighth of the bound: not kept
    assert "/huge" not in cache.pages
    assert cache.get((1, 2, 3, 5), "/p0") is None         # another file: everything forgotten
    assert not cache.pages and cache.bytes == 0


def test_a_rebuilt_database_drops_the_cached_pages(seedcheck_data, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(seedcheck_data.data_dir / "seedcheck.db", data / "seedcheck.db")
    base, process = start_server(data)
    seed = quote(seedcheck_data.altered, safe="")
    try:
        def fetch(path: str) -> tuple[str, str]:
            with urllib.request.urlopen(base + path, timeout=10) as response:
                return response.headers[HEADER], response.read().decode()

        for path in ("/-/seedcheck", f"/-/seedcheck/seed/{seed}"):
            fetch(path)                                     # start_server asked for home
            state, body = fetch(path)
            assert state == "hit" and "Renamed by a rebuild" not in body
        fresh = tmp_path / "new.db"
        shutil.copy(data / "seedcheck.db", fresh)
        with sqlite3.connect(fresh) as conn:
            conn.execute("update seeds set title = 'Renamed by a rebuild' where id = ?",
                         [seedcheck_data.altered])
        os.replace(fresh, data / "seedcheck.db")            # as `seedcheck build` swaps it in
        for path in ("/-/seedcheck", f"/-/seedcheck/seed/{seed}"):
            state, body = fetch(path)
            assert state == "miss" and "Renamed by a rebuild" in body, path
            assert fetch(path) == ("hit", body)
    finally:
        stop_server(process)
