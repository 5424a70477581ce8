"""Retries with exponential backoff that honour `Retry-After`, and retry bodies cut short.

Scrapy's RetryMiddleware re-queues at once; a server that answers 429 or 503 asks us to wait,
and a politely-crawled host deserves a pause after a 5xx or a reset. Waits are bounded by
`SEEDCHECK_RETRY_MAX_WAIT` so a hostile `Retry-After: 86400` cannot hold a crawl.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Self

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.exceptions import CannotResolveHostError, IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import response_status_message
from twisted.internet.task import deferLater

RETRY_AFTER_STATUSES = (429, 503)


def retry_after(value: bytes | None, now: datetime | None = None) -> float | None:
    """Seconds asked for by a `Retry-After` header (delta-seconds or an HTTP-date), else None."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    """RetryMiddleware that waits before each retry and also retries bodies cut by a disconnect.

    Settings: SEEDCHECK_RETRY_BACKOFF (first wait, doubled per retry), SEEDCHECK_RETRY_MAX_WAIT
    (cap on any wait, Retry-After included), SEEDCHECK_DNS_RETRY_TIMES (retries for an unknown
    host, fewer than RETRY_TIMES so an offline crawl ends quickly).

    A host whose name still did not resolve after its retries is remembered for the rest of the
    crawl: its other URLs fail at once, without a lookup that may take DNS_TIMEOUT each.
    """

    unresolvable: set[str]

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        mw = super().from_crawler(crawler)
        settings = crawler.settings
        mw.backoff = settings.getfloat("SEEDCHECK_RETRY_BACKOFF", 2.0)
        mw.max_wait = settings.getfloat("SEEDCHECK_RETRY_MAX_WAIT", 60.0)
        mw.dns_retry_times = settings.getint("SEEDCHECK_DNS_RETRY_TIMES", 1)
        mw.unresolvable = set()
        return mw

    def process_request(self, request: Request) -> None:
        host = urlparse_cached(request).hostname
        if host in self.unresolvable:
            self.crawler.stats.inc_value("retry/known_unresolvable")
            raise CannotResolveHostError(
                f"DNS lookup failed: {host} did not resolve earlier in this crawl"
            )

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False):
            return response
        if response.status in self.retry_http_codes:
            reason = response_status_message(response.status)
        elif "dataloss" in response.flags:
            reason = "body cut short (connection lost)"
        else:
            return response
        retry = self._retry(request, reason)
        if retry is None:
            return response
        asked = None
        if response.status in RETRY_AFTER_STATUSES:
            asked = retry_after(response.headers.get(b"Retry-After"))
        await self._wait(retry, asked)
        return retry

    async def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry"):
            return None
        limit = None
        if isinstance(exception, CannotResolveHostError):
            host = urlparse_cached(request).hostname
            if host in self.unresolvable:
                return None  # raised by process_request: nothing to retry
            limit = self.dns_retry_times
        retry = self._retry(request, exception, limit)
        if retry is not None:
            await self._wait(retry, None)
        elif limit is not None:
            self.unresolvable.add(urlparse_cached(request).hostname)
        return retry

    def _retry(self, request: Request, reason: object, limit: int | None = None) -> Request | None:
        max_times = request.meta.get("max_retry_times", self.max_retry_times)
        if limit is not None:
            max_times = min(max_times, limit)
        assert self.crawler.spider
        return get_retry_request(
            request,
            reason=reason,
            spider=self.crawler.spider,
            max_retry_times=max_times,
            priority_adjust=request.meta.get("priority_adjust", self.priority_adjust),
            give_up_log_level=request.meta.get("give_up_log_level", self.give_up_log_level),
        )

    async def _wait(self, retry: Request, asked: float | None) -> None:
        """Sleep before handing back `retry`: what the server asked, else exponential backoff."""
        attempt = retry.meta.get("retry_times", 1)
        wait = asked if asked is not None else self.backoff * 2 ** (attempt - 1)
        wait = min(wait, self.max_wait)
        if wait <= 0:
            return
        self.crawler.stats.inc_value("retry/wait_seconds", wait)
        from twisted.internet import reactor

        await maybe_deferred_to_future(deferLater(reactor, wait))



class UrlBound:
    """Refuses a request whose URL is over SEEDCHECK_MAX_URL characters (a redirect may
    point anywhere): such a record would be too long for other WARC readers (FastWARC reads
    header blocks of up to 32 KiB), and no article lives at a 100 KB address."""

    def __init__(self, limit: int):
        self.limit = limit

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler.settings.getint("SEEDCHECK_MAX_URL", 8192))

    def process_request(self, request: Request) -> None:
        if len(request.url) > self.limit:
            raise IgnoreRequest(f"URL of {len(request.url):,} characters is over the "
                                f"{self.limit:,}-character limit (SEEDCHECK_MAX_URL): not fetched")
