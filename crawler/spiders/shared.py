"""Spider `frontier`: the `originals` spider as one of many workers on a shared Redis frontier.

scrapy-redis's `RedisMixin` feeds it: instead of yielding every seed URL itself, it takes
(leases) a batch of target URLs from the frontier (crawler/frontier.py), builds each one's
requests (the live fetch and its archive lookups, all kept in this worker so the URL's one
crawl-log line can wait for them), and takes more as lines are written, keeping a batch in
flight. A URL's lease ends when its line is written. Every worker seeds the frontier with the
manifest's URLs (idempotent: the frontier's seen-set), so any can start first.

When idle it asks for more; when the frontier has nothing queued and nothing leased by any
worker, the crawl is complete and the spider closes; while other workers still hold leases it
waits, since a worker that dies hands its leases back after the lease timeout.
"""

from __future__ import annotations

from typing import Any, Self
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.spiders import RedisMixin
from twisted.internet.task import LoopingCall

from archive.warc.crawllog import LogLine
from crawler.frontier import Frontier, FrontierError
from crawler.spiders.originals import HTTP_SCHEMES, URL_LOGGED, OriginalsSpider, Target, _meta


class FrontierSpider(RedisMixin, OriginalsSpider):
    name = "frontier"

    frontier: Frontier

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.frontier = Frontier.from_settings(crawler.settings)
        spider.by_url = {t.url: t for t in spider.targets}
        spider.leased: set[str] = set()  # taken, no line yet
        spider.unacked: set[str] = set()  # with a line, lease not yet ended in Redis
        spider._topping = False
        spider.setup_redis(crawler)
        spider.fetch_data = spider.take  # setup_redis picked one of its own queue readers
        spider.heartbeat = None  # a LoopingCall once the reactor runs
        crawler.signals.connect(spider.logged, signal=URL_LOGGED)
        return spider

    async def start(self) -> Any:
        # Scrapy >= 2.13 calls `start()`; scrapy-redis 0.9.1's mixin only has the removed
        # `start_requests()` (rmax/scrapy-redis#305), so the spider starts itself, then uses the
        # mixin's `next_requests`.
        added = self.frontier.seed([t.url for t in self.targets])
        self.crawler.stats.set_value("frontier/seeded", added)
        self.heartbeat = LoopingCall(self.beat)
        self.heartbeat.start(self.frontier.lease_ms / 3000, now=False)
        for request in self.next_requests():
            yield request

    def take(self, key: object, n: int) -> list[str]:
        """RedisMixin's `fetch_data`: lease up to `n` target URLs."""
        urls, back = self.frontier.take(n)
        stats = self.crawler.stats
        stats.inc_value("frontier/taken", len(urls))
        if back:
            stats.inc_value("frontier/reclaimed", back)
            self.logger.warning("frontier: %d URL(s) of a dead worker put back in the queue", back)
        return urls

    def make_request_from_data(self, data: str | bytes) -> list[Request]:
        url = data.decode() if isinstance(data, bytes) else data
        target = self.by_url.get(url)
        if target is None:  # this machine's seeds lack it: crawl it, with no seed to name
            self.logger.warning("frontier URL %s is in none of this worker's seeds", url)
            target = self.by_url[url] = Target(url, (), ())
        if self.crawl_log.done(url):  # this worker wrote its line before it was killed
            self.frontier.done(url)
            return []
        self.leased.add(url)
        if urlsplit(url).scheme.lower() not in HTTP_SCHEMES:
            self.record(target, "failed", error="scheme",
                        detail=f"not fetched: only http(s) URLs are crawled ({url})")
            return []
        return [self.request(target, again=True),
                *self.fallback.start(url, _meta(target), self.dates.get(url), self._callbacks())]

    def logged(self, line: LogLine, **kwargs: Any) -> None:
        """A URL's line is written: its lease ends; keep a batch of URLs in flight."""
        self.leased.discard(line.url)
        self.unacked.add(line.url)
        self._ack()
        if self._topping or len(self.leased) > self.redis_batch_size // 2:
            return
        self._topping = True
        try:
            for data in self.take(None, self.redis_batch_size - len(self.leased)):
                for request in self.make_request_from_data(data):
                    self.crawler.engine.crawl(request)
        finally:
            self._topping = False

    def _ack(self) -> None:
        """End the leases of the URLs with a line (again later if Redis is away meanwhile)."""
        for url in sorted(self.unacked):
            self.frontier.done(url)
            self.unacked.discard(url)

    def beat(self) -> None:
        try:
            alive = self.frontier.beat()
        except FrontierError as exc:
            self.logger.error("frontier unreachable: %s; stopping this worker", exc)
            alive = False
        if not alive:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="frontier_lost"))

    def idle(self) -> None:
        """The `originals` spider's idle sweep is per process; `spider_idle` decides here."""

    def spider_idle(self) -> None:
        try:
            self._idle()
        except FrontierError as exc:  # Redis away for longer than the client waits
            self.logger.error("frontier unreachable: %s", exc)
            raise DontCloseSpider from None  # the heartbeat stops the worker if it stays away

    def _idle(self) -> None:
        self._ack()
        for url in self.fallback.lost():  # archive requests dropped: write what is known
            self._write(self.by_url[url], *self.fallback.line(url))
        for url in sorted(self.leased):  # nothing in flight, yet no line: give it one
            self.record(self.by_url[url], "failed", error="other",
                        detail="no outcome: the request was dropped before completing")
        found = False
        for request in self.next_requests():
            self.crawler.engine.crawl(request)
            found = True
        if found or not self.frontier.status().complete:
            raise DontCloseSpider

    def closed(self, reason: str) -> None:
        if self.heartbeat is not None and self.heartbeat.running:
            self.heartbeat.stop()
        self.crawl_log.close()  # URLs still leased go back to the queue when the worker leaves
