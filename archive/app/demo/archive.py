"""The demo archive's holdings: earlier captures of the demo articles, served by a local pywb.

The captures are written with seedcheck's own WARC writer, dated the morning after each
article appeared, holding the page as first published (before the demo site edited or removed
it). `start_archive` indexes them into a pywb collection and starts pywb over it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from archive.app.demo.articles import ARTICLES, Article
from archive.app.demo.site import article_page
from archive.app.pywb import Wayback, make_collection
from archive.warc.writer import DigestIndex, Exchange, WarcConfig, WarcWriter

COLLECTION = "demo-archive"
CAPTURE_TIME = time(9, 0, tzinfo=UTC)


def captured_at(article: Article) -> datetime:
    return datetime.combine(article.published + timedelta(days=1), CAPTURE_TIME)


def capture(url: str, article: Article) -> Exchange:
    """The archive's earlier fetch of `url`, as first published."""
    body = article_page(article, url).encode()
    return Exchange(
        url=url, date=captured_at(article), method="GET",
        request_headers=(("Host", urlsplit(url).netloc), ("User-Agent", "demo-archive-bot/1"),
                         ("Accept", "text/html")),
        request_body=b"", protocol="HTTP/1.1", status=200, reason="OK",
        response_headers=(("Server", "demo-news/1"),
                          ("Content-Type", "text/html; charset=utf-8"),
                          ("Content-Length", str(len(body)))),
        body=body, ip_address="127.0.0.1", dedup=False,
    )


def write_history(folder: Path, url_of: Callable[[Article], str]) -> list[Path]:
    """WARC files in `folder` holding one earlier capture of every demo article."""
    folder.mkdir(parents=True, exist_ok=True)
    config = WarcConfig(directory=folder, prefix="demo-archive", is_part_of="demo-archive",
                        software="seedcheck demo archive")
    with WarcWriter(config, DigestIndex.open(folder)) as writer:
        for article in ARTICLES:
            writer.write(capture(url_of(article), article))
        return writer.close()


def start_archive(root: Path, warcs: list[Path], port: int = 0) -> Wayback:
    """pywb over a collection of `warcs` under `root`; the caller stops it."""
    make_collection(root, COLLECTION, warcs)
    return Wayback(root, port, COLLECTION).start()
