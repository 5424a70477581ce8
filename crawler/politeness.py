"""Politeness across workers: one request per host at a time and the delay, enforced in Redis.

Scrapy's own rules (CONCURRENT_REQUESTS_PER_DOMAIN, DOWNLOAD_DELAY) hold inside one process;
with several workers on one frontier, `HostLock` makes them hold across all of them. Before a
request goes to the downloader it takes its download slot's lock in Redis (the host, or the
archive's slot), waiting while another request anywhere holds it or until the slot's next
allowed start; when the download ends (response or error) it frees the lock and sets the next
allowed start to now + the delay. So the server sees two requests closer than the delay never.

A lock has the frontier's lease and is renewed while held: a worker killed mid-download frees
its hosts when the lease runs out. Downloader-middleware order 900: after robots.txt (a
disallowed request never takes a lock) and every other middleware's `process_request`.

Settings: SEEDCHECK_FRONTIER_DELAY (seconds between requests to one slot; DOWNLOAD_SLOTS'
own `delay` wins for that slot), the frontier's (crawler/frontier.py); off without REDIS_URL.
"""

from __future__ import annotations

import itertools
from typing import Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.task import LoopingCall, deferLater

from crawler.frontier import Frontier

POLL_SECONDS = 0.02  # how often a waiting request asks again while another holds the host
META = "seedcheck_host_lock"


class HostLock:
    def __init__(self, crawler: Crawler, frontier: Frontier, delay: float):
        self.crawler = crawler
        self.frontier = frontier
        self.delay = delay
        self.slots = crawler.settings.getdict("DOWNLOAD_SLOTS")
        self.held: dict[str, str] = {}  # slot -> token of the request holding it
        self._serial = itertools.count()
        self._renewal: LoopingCall | None = None  # made once the reactor runs

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.get("REDIS_URL") or not settings.get("SEEDCHECK_WORKER_ID"):
            raise NotConfigured("HostLock works on a shared frontier (REDIS_URL)")
        delay = settings.getfloat("SEEDCHECK_FRONTIER_DELAY", 1.0)
        lock = cls(crawler, Frontier.from_settings(settings), delay)
        crawler.signals.connect(lock.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(lock.spider_closed, signal=signals.spider_closed)
        return lock

    def spider_opened(self) -> None:
        self._renewal = LoopingCall(self._renew)
        self._renewal.start(self.frontier.lease_ms / 3000, now=False)

    def spider_closed(self) -> None:
        if self._renewal is not None and self._renewal.running:
            self._renewal.stop()
        for slot, token in list(self.held.items()):  # requests dropped by the closing engine
            self.frontier.release(slot, token, self.delay)
        self.held.clear()

    def _renew(self) -> None:
        self.frontier.renew(self.held)

    def slot(self, request: Request) -> str:
        return request.meta.get("download_slot") or urlparse_cached(request).hostname or ""

    async def process_request(self, request: Request) -> None:
        from twisted.internet import reactor

        slot = self.slot(request)
        token = f"{self.frontier.worker}:{self.frontier.token}:{next(self._serial)}"
        waited = 0.0
        while True:
            wait = self.frontier.acquire(slot, token)
            if wait == 0:
                break
            pause = POLL_SECONDS if wait < 0 else wait / 1000
            waited += pause
            await maybe_deferred_to_future(deferLater(reactor, pause))
        if waited:
            self.crawler.stats.inc_value("frontier/host_wait_seconds", waited)
        request.meta[META] = (slot, token)
        self.held[slot] = token

    def process_response(self, request: Request, response: Response) -> Response:
        self._release(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._release(request)

    def _release(self, request: Request) -> None:
        taken = request.meta.pop(META, None)
        if taken is None:
            return
        slot, token = taken
        if self.held.get(slot) == token:
            del self.held[slot]
        delay = self.slots.get(slot, {}).get("delay", self.delay)
        self.frontier.release(slot, token, max(float(delay), self.delay))
