"""Spider `originals`: fetch every original URL of the seed manifest once, log each outcome.

One request per distinct URL, whatever its role (original, repost, quoted); a URL shared by
several seeds carries all their ids. The WARC extension archives every hop as it is downloaded;
this spider only decides what each URL's outcome was and writes it to the crawl log, exactly
one line per URL per crawl. A URL that ends without a line (a request lost in a crash or by
Scrapy's duplicate filter) is asked again when the crawl goes idle.

Settings: SEEDCHECK_SEEDS_DIR, SEEDCHECK_CRAWL_ID, SEEDCHECK_CRAWL_LOG (set by `seedcheck crawl`);
SEEDCHECK_ARCHIVES, SEEDCHECK_CAPTURES, SEEDCHECK_AT for the archived captures fetched beside
each live page (crawler/fallback.py), which the URL's line waits for.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Self
from urllib.parse import urljoin, urlsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import (
    CannotResolveHostError,
    DontCloseSpider,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    NotSupported,
    ResponseDataLossError,
    UnsupportedURLSchemeError,
)
from scrapy.http import Response
from twisted.internet import error as tx_error
from twisted.python.failure import Failure
from twisted.web._newclient import ParseError, ResponseFailed

from archive.seeds.parse import Seed, load_seeds
from archive.warc.crawllog import CrawlLog, LogLine
from crawler.cdx import ArchiveError, parse_archives, parse_choices
from crawler.fallback import Fallback, Pending

URL_LOGGED = object()  # signal: a URL's outcome line was written (kwargs: line, counts, total)
HTTP_SCHEMES = ("http", "https")

# Failure types → error kind of the crawl log, most specific first.
FAILURE_KINDS: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((CannotResolveHostError, tx_error.DNSLookupError), "dns"),
    ((DownloadTimeoutError, tx_error.TimeoutError, tx_error.TCPTimedOutError), "timeout"),
    ((DownloadConnectionRefusedError, tx_error.ConnectionRefusedError), "refused"),
    ((ResponseDataLossError, DownloadFailedError, ResponseFailed, tx_error.ConnectionLost,
      tx_error.ConnectionDone, tx_error.ConnectError), "reset"),
    ((UnsupportedURLSchemeError, NotSupported), "scheme"),
)


# Twisted closes the connection itself when a header line passes 16 KB, so the two look alike.
CLOSED_BEFORE_RESPONSE = ("no complete response: the connection was closed before the response "
                          "headers ended (the server sent nothing, or a header over the 16 KB "
                          "a crawler reads)")


class CrawlSetupError(Exception):
    """The spider was started without what it needs (seeds folder, crawl id, crawl log)."""


@dataclass(frozen=True)
class Target:
    """One distinct URL to fetch, with every seed that names it and the roles it plays."""

    url: str
    seed_ids: tuple[str, ...]
    roles: tuple[str, ...]


def crawl_targets(seeds: Iterable[Seed]) -> list[Target]:
    """The distinct original URLs of `seeds`, in manifest order, each with all its seeds."""
    ids: dict[str, list[str]] = {}
    roles: dict[str, list[str]] = {}
    for seed in seeds:
        for original in seed.urls:
            for bucket, value in ((ids, seed.id), (roles, original.role)):
                values = bucket.setdefault(original.url, [])
                if value not in values:
                    values.append(value)
    return [Target(url, tuple(ids[url]), tuple(roles[url])) for url in ids]


def classify(failure: Failure) -> tuple[str, str]:
    """(error kind, human detail) for a failed request."""
    value = failure.value
    text = str(value).strip() or type(value).__name__
    if isinstance(value, IgnoreRequest) and "robots.txt" in text:
        return "robots", "robots.txt of the host disallows this URL for our user agent"
    failed = value if isinstance(value, ResponseFailed) else value.__cause__  # Scrapy wraps it
    if isinstance(failed, ResponseFailed):   # a reply that is no HTTP is not a reset
        bad = next((r.value for r in failed.reasons if r.check(ParseError)), None)
        if bad is not None:
            return "other", f"not a valid HTTP response: {' '.join(map(repr, bad.args))}"
        if all(r.check(tx_error.ConnectionDone) for r in failed.reasons):
            return "other", CLOSED_BEFORE_RESPONSE   # a clean close (FIN), not a reset (RST)
    for types, kind in FAILURE_KINDS:
        if isinstance(value, types):
            return kind, f"{_KIND_WORDS[kind]}: {text}"
    return "other", f"{type(value).__name__}: {text}"


_KIND_WORDS = {
    "dns": "host name could not be resolved (DNS)",
    "timeout": "no complete answer within the download timeout",
    "refused": "connection refused",
    "reset": "connection reset or closed before the response was complete",
    "scheme": "not an http(s) URL",
}


class OriginalsSpider(Spider):
    name = "originals"

    targets: list[Target]
    crawl_log: CrawlLog

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        needed = ("SEEDCHECK_SEEDS_DIR", "SEEDCHECK_CRAWL_ID", "SEEDCHECK_CRAWL_LOG")
        missing = [name for name in needed if not settings.get(name)]
        if missing:
            raise CrawlSetupError(f"spider originals needs {', '.join(missing)}: "
                                  "run it with `seedcheck crawl`")
        seeds = load_seeds(settings["SEEDCHECK_SEEDS_DIR"]).seeds
        spider.targets = crawl_targets(seeds)
        spider.dates = publication_dates(seeds)
        try:
            at = settings.get("SEEDCHECK_AT")
            spider.fallback = Fallback(parse_archives(settings.get("SEEDCHECK_ARCHIVES")),
                                       parse_choices(settings.get("SEEDCHECK_CAPTURES")),
                                       date.fromisoformat(str(at)[:10]) if at else None)
        except (ArchiveError, ValueError) as exc:
            raise CrawlSetupError(f"archive settings: {exc}") from None
        spider.crawl_log = CrawlLog.open(Path(settings["SEEDCHECK_CRAWL_LOG"]),
                                         settings["SEEDCHECK_CRAWL_ID"])
        spider._swept: set[str] = set()
        crawler.signals.connect(spider.idle, signal=signals.spider_idle)
        return spider

    async def start(self) -> AsyncIterator[Request]:
        for target in self.targets:
            if self.crawl_log.done(target.url):
                continue  # a resumed crawl: this URL has its line already
            if urlsplit(target.url).scheme.lower() not in HTTP_SCHEMES:
                self.record(target, "failed", error="scheme",
                            detail=f"not fetched: only http(s) URLs are crawled ({target.url})")
                continue
            yield self.request(target)
            for request in self.fallback.start(target.url, _meta(target),
                                               self.dates.get(target.url), self._callbacks()):
                yield request

    def request(self, target: Target, *, again: bool = False) -> Request:
        return Request(target.url, callback=self.parse, errback=self.failed, dont_filter=again,
                       meta=_meta(target))

    # Archive requests (crawler/fallback.py); spider methods, so a JOBDIR queue can keep them.
    def _callbacks(self) -> dict:
        return {"lookup": self.archive_lookup, "capture": self.archive_capture,
                "failed": self.archive_failed}

    def archive_lookup(self, response: Response) -> list[Request]:
        requests = self.fallback.on_lookup(response, self._callbacks())
        self._write_ready()
        return requests

    def archive_capture(self, response: Response) -> list[Request]:
        requests = self.fallback.on_capture(response, self._callbacks())
        self._write_ready()
        return requests

    def archive_failed(self, failure: Failure) -> list[Request]:
        request = failure.request  # type: ignore[attr-defined]
        kind, detail = classify(failure)
        requests = self.fallback.on_failed(request.meta["seedcheck_target"][0], request.meta,
                                           kind, detail)
        self._write_ready()
        return requests

    def _write_ready(self) -> None:
        for url in self.fallback.take_ready():
            outcome, facts = self.fallback.line(url)
            self._write(_target_of(self.targets, url), outcome, facts)

    def parse(self, response: Response) -> None:
        target = _target(response.meta)
        record = _record_of(response.meta, response.request.url)
        facts: dict[str, Any] = {
            "final_url": response.url,
            "status": response.status,
            "redirects": tuple(response.meta.get("redirect_urls", ())),
            "record_id": record.get("record_id"),
            "warc_file": record.get("warc_file"),
        }
        location = response.headers.get(b"Location")
        if record.get("retry"):
            return  # fetched but not archived (the WARC could not be written): no line, so
            # `--resume` asks for it again
        if record.get("error"):
            self.record(target, "failed", error="other", **facts,
                        detail=f"fetched but not archived: {record['error']}")
        elif record.get("truncated") == "length":
            self.record(target, "failed", error="too-large", **facts,
                        detail=f"body over DOWNLOAD_MAXSIZE ({record.get('cap')} bytes): "
                               "archived cut at the cap (WARC-Truncated: length)")
        elif "dataloss" in response.flags:
            self.record(target, "failed", error="reset", **facts,
                        detail=f"connection lost after {len(response.body)} bytes of the body, "
                               "on every attempt; what arrived is archived (WARC-Truncated)")
        elif 300 <= response.status < 400 and location:
            to = urljoin(response.url, location.decode("latin-1"))
            if urlsplit(to).scheme.lower() not in HTTP_SCHEMES:
                self.record(target, "failed", error="scheme", **facts,
                            detail=f"redirect to a non-http(s) URL not followed: {to}")
            else:
                self.record(target, "fetched", **facts)
        else:
            self.record(target, "fetched", **facts)

    def failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        target = _target(request.meta)
        record = _record_of(request.meta, request.url)
        attempts = request.meta.get("retry_times", 0) + 1
        if record.get("truncated") == "length":
            kind, detail = "too-large", f"body over DOWNLOAD_MAXSIZE ({record.get('cap')} bytes)"
        else:
            kind, detail = classify(failure)
        if attempts > 1:
            detail += f" (after {attempts} attempts)"
        self.record(target, "failed", error=kind, detail=detail,
                    final_url=request.url if request.url != target.url else None,
                    redirects=tuple(request.meta.get("redirect_urls", ())),
                    record_id=record.get("record_id"), warc_file=record.get("warc_file"))

    def record(self, target: Target, outcome: str, **facts: Any) -> None:
        """The live outcome of `target`: written at once, or when its archive requests end."""
        if target.url not in self.fallback.pending:  # archives never asked, or already done
            self.fallback.pending[target.url] = Pending(outstanding=1)
        if self.fallback.live_done(target.url, outcome, facts):
            outcome, facts = self.fallback.line(target.url)
            self._write(target, outcome, facts)

    def _write(self, target: Target, outcome: str, facts: dict) -> None:
        line = LogLine(crawl_id=self.crawl_log.crawl_id, url=target.url,
                       seed_ids=target.seed_ids, roles=target.roles, outcome=outcome, **facts)
        if not self.crawl_log.write(line):
            return
        stats = self.crawler.stats
        stats.inc_value("seedcheck/fetched" if outcome == "fetched" else "seedcheck/failed")
        if line.error:
            stats.inc_value(f"seedcheck/failed/{line.error}")
        stats.inc_value(f"seedcheck/used/{line.used or 'none'}")
        self.crawler.signals.send_catch_log(URL_LOGGED, line=line,
                                            counts=self.crawl_log.counts(),
                                            total=len(self.targets))

    def idle(self) -> None:
        """Ask again, once, for every URL that ended without an outcome line."""
        for url in self.fallback.lost():  # archive requests dropped: write what is known
            self._write(_target_of(self.targets, url), *self.fallback.line(url))
        missing = [t for t in self.targets
                   if not self.crawl_log.done(t.url) and t.url not in self._swept]
        if not missing:
            return
        for target in missing:
            self._swept.add(target.url)
            self.crawler.stats.inc_value("seedcheck/asked_again")
            self.crawler.engine.crawl(self.request(target, again=True))
        raise DontCloseSpider

    def closed(self, reason: str) -> None:
        if reason == "finished":
            for target in self.targets:
                if self.crawl_log.done(target.url):
                    continue
                pending = self.fallback.pending.get(target.url)
                if pending is not None and pending.live is not None:
                    self._write(target, *self.fallback.line(target.url))  # archives lost
                    continue
                if pending is not None:
                    pending.outstanding = 1
                self.record(target, "failed", error="other",
                            detail="no outcome: the request was dropped before completing")
        self.crawl_log.close()


def publication_dates(seeds: Iterable[Seed]) -> dict[str, date]:
    """Each URL's target date for archived captures: the earliest publication naming it."""
    dates: dict[str, date] = {}
    for seed in seeds:
        for original in seed.urls:
            if seed.published and (original.url not in dates
                                   or seed.published < dates[original.url]):
                dates[original.url] = seed.published
    return dates


def _meta(target: Target) -> dict:
    return {"seedcheck_target": [target.url, list(target.seed_ids), list(target.roles)]}


def _target_of(targets: list[Target], url: str) -> Target:
    return next(t for t in targets if t.url == url)


def _target(meta: dict) -> Target:
    url, seed_ids, roles = meta["seedcheck_target"]
    return Target(url, tuple(seed_ids), tuple(roles))


def _record_of(meta: dict, url: str) -> dict:
    """What the WARC extension wrote for this very hop (nothing if it is off or wrote another)."""
    record = meta.get("seedcheck_record") or {}
    return record if record.get("url") == url else {}
