"""Replay that looks like the page, in a real Chromium against a real `seedcheck serve`: the
archived page framed with its own archived stylesheet (and the stylesheet it imports) and image,
served from the WARCs; what the crawl did not archive stays missing; nothing runs.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from archive.web.replay import rewrite_css, rewrite_html

pytestmark = pytest.mark.timeout(120)


def test_the_archived_page_is_shown_with_its_own_styles_and_images(site, page, console):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{site.url}/-/seedcheck/seed/faithful")
    page.wait_for_load_state("load")
    frame = next(f for f in page.frames if "/-/seedcheck/replay/" in f.url)
    frame.wait_for_load_state("load")
    # The archived stylesheet applies, inline in the page and through its @import.
    assert frame.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(1, 2, 3)"
    assert frame.evaluate("getComputedStyle(document.querySelector('h1')).letterSpacing") == "3px"
    assert "/-/seedcheck/asset/" in frame.evaluate(
        "getComputedStyle(document.querySelector('h1')).backgroundImage")
    photo = frame.locator("#sc-photo")
    assert photo.evaluate("img => img.complete && img.naturalWidth") == 8
    # Every request stayed on this server: even the stylesheet the crawl never got was asked of
    # the archive (which has none), never of its site.
    assert requests and all(r.startswith(site.url + "/") for r in requests), requests
    assert any("elsewhere.test" in r and "/-/seedcheck/asset/" in r for r in requests)


def test_assets_come_from_the_warcs_and_only_assets(site):
    replay = f"{site.url}/-/seedcheck/seed/faithful"
    with urllib.request.urlopen(replay) as response:
        html = response.read().decode()
    start = html.index('src="/-/seedcheck/replay/') + len('src="')
    frame = site.url + html[start:html.index('"', start)]
    with urllib.request.urlopen(frame) as response:
        policy = response.headers["Content-Security-Policy"]
        body = response.read().decode()
    assert policy.startswith("sandbox;") and "script-src" not in policy
    assert "default-src 'none'" in policy and "img-src 'self' data:" in policy
    asset = body[body.index('href="/-/seedcheck/asset/') + 6:]
    asset = site.url + asset[:asset.index('"')].replace("&amp;", "&")
    with urllib.request.urlopen(asset) as response:
        assert response.headers["Content-Type"].startswith("text/css")
        assert "rgb(1, 2, 3)" in response.read().decode()
    # The page itself is not an asset, and an unarchived URL is a 404.
    page_url = quote("https://www.themoscowtimes.test/", safe="")
    for url in (asset.split("?url=")[0] + "?url=" + page_url,
                asset.split("?url=")[0] + "?url=" + quote("https://x.test/a.css", safe="")):
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(url)
        assert caught.value.code == 404


def test_rewriting_points_every_load_at_the_archive():
    page = (b'<html><head><link rel="stylesheet" href="/a.css"><style>p{background:url(b.png)}'
            b'</style></head><body><img src="c.png" srcset="d.png 2x"><picture><source '
            b'srcset="e.png"></picture><p style="background:url(\'f.gif\')">x</p>'
            b'<script>alert(1)</script></body></html>')
    out = rewrite_html(page, "utf-8", "https://s.test/dir/page", lambda u: f"/A?u={u}").decode()
    for url in ("https://s.test/a.css", "https://s.test/dir/b.png", "https://s.test/dir/c.png",
                "https://s.test/dir/f.gif"):
        assert f"/A?u={url}" in out
    assert "srcset" not in out
    assert "<script>alert(1)</script>" in out          # kept as it was: the sandbox stops it
    css = rewrite_css('@import "x.css"; a{b:url(data:x)}', "https://s.test/c/m.css", lambda u: u)
    assert css == '@import "https://s.test/c/x.css"; a{b:url(data:x)}'


def test_the_warc_folder_comes_from_the_plugin_configuration(seedcheck_data, tmp_path):
    import asyncio
    import shutil
    import sqlite3
    from concurrent.futures import ThreadPoolExecutor

    from datasette.app import Datasette

    shutil.copy(seedcheck_data.data_dir / "seedcheck.db", tmp_path / "seedcheck.db")  # no warcs/
    shutil.copytree(seedcheck_data.data_dir / "warcs", tmp_path / "elsewhere" / "warcs")
    with sqlite3.connect(tmp_path / "seedcheck.db") as conn:
        record = conn.execute("select record_id from captures where record_type = 'response' "
                              "and content_type = 'text/html' limit 1").fetchone()[0]

    def get(data: Path) -> int:
        ds = Datasette(immutables=[str(tmp_path / "seedcheck.db")],
                       metadata={"plugins": {"seedcheck": {"data": str(data)}}})
        path = f"/-/seedcheck/replay/{record.strip('<>')}"
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, ds.client.get(path)).result().status_code

    assert get(tmp_path) == 500                            # no WARCs beside the database
    assert get(tmp_path / "elsewhere") == 200


def test_replayed_html_keeps_only_this_archives_assets():
    from archive.web.replay import replay_html

    page = (b'<html><head><link rel="stylesheet" href="/a.css"><link rel="prefetch" href="/p">'
            b'<style>@import url(http://evil.test/i.css); p{background:url(b.png)}</style></head>'
            b'<body><img src="c.png" onerror="alert(1)"><iframe src="http://evil.test/f"></iframe>'
            b'<p style="background:url(http://evil.test/x.gif)">x</p><script>alert(1)</script>'
            b'<video poster="http://evil.test/v.png"></video></body></html>')
    out = replay_html(page, "utf-8", "https://s.test/dir/page", lambda u: f"/-/seedcheck/asset/"
                      f"r?url={u.replace(':', '%3A').replace('/', '%2F')}", "/-/seedcheck/asset/")
    text = out.decode()
    # a.css, i.css, b.png, c.png and x.gif: asked of this archive (which has only what the crawl
    # archived), never of their sites; everything else is gone.
    assert text.count("/-/seedcheck/asset/") == 5 and "http://" not in text
    for gone in ("<script", "<iframe", "onerror", "prefetch", "poster"):
        assert gone not in text
