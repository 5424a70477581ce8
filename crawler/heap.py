"""Extension `FrozenStartupHeap`: the objects that live as long as the crawl kept out of the
garbage collector's full passes.

After start-up a crawl process holds ~90,000 objects that never die (modules, classes, settings,
the spider). Every full collection walks all of them, and a crawl triggers full collections
often: each response's objects live through a few young collections and are promoted. Measured
on bench/crawl.py, the full passes were most of what the WARC writer process's hand-over cost the
crawl (a response waits for its record in `AwaitWarcRecord`, so more of its objects are promoted).
`gc.freeze()` once the spider is open moves the start-up objects to the permanent generation, so
a full pass walks only the crawl's own objects. Settings: SEEDCHECK_GC_FREEZE (default on).
"""

from __future__ import annotations

import gc
from typing import Self

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured


class FrozenStartupHeap:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("SEEDCHECK_GC_FREEZE", True):
            raise NotConfigured("SEEDCHECK_GC_FREEZE is off")
        extension = cls()
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        gc.collect()    # what start-up left as garbage is freed, not frozen
        gc.freeze()

    def spider_closed(self, spider: Spider) -> None:
        gc.unfreeze()   # a later crawl in this process starts from a whole heap again
