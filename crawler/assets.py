"""Spider middleware `PageAssets`: archive a live page's own stylesheets and images too.

So that an archived page can later be shown as the reader saw it (the replay view serves these
from the WARCs, never from the live web), each live original that answers with HTML gets its
stylesheets (`<link rel=stylesheet>`) and images (`<img src>`, the first `srcset` candidate)
fetched beside it. Bounded: at most SEEDCHECK_ASSETS_MAX per page, each at most
SEEDCHECK_ASSETS_MAX_SIZE bytes, from the page's own site only unless SEEDCHECK_ASSETS_SAME_SITE
is false (same site: the same host, or hosts that share the last two labels of the name, so
`cdn.example.com` serves `www.example.com`). Off with SEEDCHECK_ASSETS_ENABLED=False.

The WARC extension archives the responses like any other; assets get no crawl-log line (the
log has one line per original URL). Counted in the stats under `seedcheck/assets/`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any, Self
from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Response
from scrapy.http.request import NO_CALLBACK

ASSET_META = "seedcheck_asset"          # request meta: the page URL an asset belongs to


def site(host: str | None) -> str:
    """The part of a host name that makes it one site: its last two labels (an IP: itself)."""
    host = (host or "").lower().rstrip(".")
    if host.replace(".", "").isdigit() or ":" in host:
        return host
    return ".".join(host.split(".")[-2:])


def asset_urls(response: HtmlResponse) -> list[str]:
    """Stylesheets then images of an HTML page, absolute, in page order, each once."""
    found = response.css('link[rel~="stylesheet"]::attr(href)').getall()
    for image in response.css("img"):
        src = image.attrib.get("src")
        srcset = image.attrib.get("srcset", "").strip()
        found.append(src or (srcset.split(",")[0].split()[0] if srcset else ""))
    urls: list[str] = []
    for href in found:
        href = (href or "").strip()
        if not href or href.startswith(("data:", "#", "javascript:")):
            continue
        url = urljoin(response.url, href)
        if urlsplit(url).scheme in ("http", "https") and url not in urls:
            urls.append(url)
    return urls


class PageAssets:
    def __init__(self, crawler: Crawler):
        settings = crawler.settings
        if not settings.getbool("SEEDCHECK_ASSETS_ENABLED", True):
            raise NotConfigured("SEEDCHECK_ASSETS_ENABLED is off")
        self.stats = crawler.stats
        self.most = settings.getint("SEEDCHECK_ASSETS_MAX", 30)
        self.max_size = settings.getint("SEEDCHECK_ASSETS_MAX_SIZE", 2 * 1024 * 1024)
        self.same_site = settings.getbool("SEEDCHECK_ASSETS_SAME_SITE", True)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    # No `spider` argument: Scrapy 2.19 deprecates passing it to spider middlewares.
    async def process_spider_output_async(self, response: Response,
                                          result: AsyncIterator) -> AsyncIterator[Any]:
        async for item in result:
            yield item
        for request in self.requests(response):
            yield request

    def process_spider_output(self, response: Response, result: Iterable) -> Iterable[Any]:
        yield from result
        yield from self.requests(response)

    def requests(self, response: Response) -> list[Request]:
        """Requests for the assets of a live original page; none for anything else."""
        meta = response.meta
        if (not isinstance(response, HtmlResponse) or not 200 <= response.status < 300
                or "seedcheck_target" not in meta or "seedcheck_archive" in meta
                or ASSET_META in meta):
            return []
        page_site = site(urlsplit(response.url).hostname)
        urls = asset_urls(response)
        chosen = [u for u in urls if not self.same_site or site(urlsplit(u).hostname) == page_site]
        self.stats.inc_value("seedcheck/assets/skipped_other_site", len(urls) - len(chosen))
        self.stats.inc_value("seedcheck/assets/skipped_over_max", max(0, len(chosen) - self.most))
        self.stats.inc_value("seedcheck/assets/requested", min(len(chosen), self.most))
        return [Request(url, callback=NO_CALLBACK, priority=-1,
                        meta={ASSET_META: response.url, "download_maxsize": self.max_size,
                              "dont_redirect": False})
                for url in chosen[: self.most]]
