"""crawler/assets.py: a live page's own stylesheets and images archived beside it, bounded,
same-site by default, off by a setting. Real `seedcheck crawl` subprocesses against the test web
server; what counts is what the WARCs hold and what the server was asked.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from archive.warc.writer import iter_captures, warc_files
from crawler.assets import site
from tests.test_crawl import crawl, write_seeds
from tests.webserver import WebServer

BIN = Path(sys.executable).parent
pytestmark = pytest.mark.timeout(120)
PAGE = """<!DOCTYPE html><html><head><title>Styled</title>
<link rel="stylesheet" href="/static/site.css"><link rel="icon" href="/favicon.ico">
</head><body><h1>A styled article</h1>
<img src="/img/1.png"><img srcset="/img/2.png 1x, /img/2-big.png 2x">
<img src="http://other.test:{port}/img/elsewhere.png"><img src="data:image/png;base64,AAAA">
<img src="/img/3.png"><img src="/img/4.png"><p>Words of the article.</p></body></html>"""
ASSETS = ("/static/site.css", "/img/1.png", "/img/2.png", "/img/3.png", "/img/4.png")


@pytest.fixture
def styled_site():
    with WebServer() as server:
        server.set_page("/styled", PAGE.format(port=server.port))
        server.set_page("/static/site.css", "body { color: rgb(1, 2, 3); }",
                        headers=[("Content-Type", "text/css")])
        for path in (*ASSETS[1:], "/img/elsewhere.png"):
            server.set_page(path, b"\x89PNG\r\n\x1a\nnot really", headers=[("Content-Type", "image/png")])
        yield server


def archived_urls(data: Path) -> set[str]:
    return {c.target_uri for f in warc_files(data / "warcs") for c in iter_captures(f)
            if c.record_type in ("response", "revisit")}


def run(tmp_path: Path, server: WebServer, name: str, **settings: str) -> set[str]:
    seeds, data = tmp_path / name / "seeds", tmp_path / name / "data"
    write_seeds(seeds, [[(server.url("/styled"), "original")]])
    result = crawl(seeds, data, "--resolve", "other.test:127.0.0.1", **settings)
    assert result.returncode == 0, result.stdout + result.stderr
    return archived_urls(data)


def test_stylesheets_and_images_are_archived_bounded_and_same_site(tmp_path, styled_site):
    urls = run(tmp_path, styled_site, "bounded", SEEDCHECK_ASSETS_MAX="4")
    wanted = {styled_site.url(p) for p in ASSETS[:4]}        # page order: stylesheet, then images
    assert wanted <= urls, urls
    assert styled_site.url("/img/4.png") not in urls          # over the bound of 4
    assert styled_site.count("/img/elsewhere.png") == 0        # another site: not asked
    assert styled_site.count("/favicon.ico") == 0              # not a stylesheet or an image
    assert styled_site.count("/img/2-big.png") == 0            # one candidate of a srcset


def test_other_sites_are_fetched_when_allowed_and_nothing_when_off(tmp_path, styled_site):
    urls = run(tmp_path, styled_site, "open", SEEDCHECK_ASSETS_SAME_SITE="False")
    assert f"http://other.test:{styled_site.port}/img/elsewhere.png" in urls
    styled_site.reset_counts()
    off = run(tmp_path, styled_site, "off", SEEDCHECK_ASSETS_ENABLED="False")
    assert off == {styled_site.url("/styled")} | {u for u in off if u.endswith("/robots.txt")}
    assert all(styled_site.count(p) == 0 for p in ASSETS)


@pytest.mark.parametrize(("host", "expected"), [
    ("www.example.com", "example.com"), ("cdn.example.com", "example.com"),
    ("news.test", "news.test"), ("127.0.0.1", "127.0.0.1"), (None, ""),
])
def test_site_of_a_host(host, expected):
    assert site(host) == expected
