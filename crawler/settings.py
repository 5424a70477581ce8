"""Scrapy settings for the seedcheck crawler (project defaults; `-s` and the CLI override).

seedcheck's own settings are namespaced `SEEDCHECK_*`; each component reads its own in
`from_crawler` and switches itself off (NotConfigured) when they are missing.
"""

BOT_NAME = "seedcheck"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = "seedcheck/0.1 (+https://github.com/seedcheck/seedcheck; archival crawler)"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
TELNETCONSOLE_ENABLED = False

# Politeness: robots.txt obeyed (its fetch is archived too), one request at a time per host,
# a delay that AutoThrottle stretches when a host answers slowly.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Archival fidelity: keep 4xx/5xx as evidence, only content-codings every replay tool reads,
# and keep what arrived of a body cut short (archived as WARC-Truncated, then retried).
HTTPERROR_ALLOW_ALL = True
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "en",
    "Accept-Encoding": "gzip, deflate",
}
DOWNLOAD_FAIL_ON_DATALOSS = False
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024  # articles are far smaller; a larger body is archived cut
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024

# An offline machine or a dead host must not stall a crawl for minutes.
DNS_TIMEOUT = 10
DOWNLOAD_TIMEOUT = 30
TWISTED_DNS_RESOLVER = "crawler.dns.MappedResolver"
SEEDCHECK_HOSTS: dict[str, str] = {}  # host -> IP, like curl --resolve (tests map *.test here)

# Retries with backoff; Retry-After is honoured on 429/503 up to SEEDCHECK_RETRY_MAX_WAIT.
RETRY_TIMES = 2
RETRY_GIVE_UP_LOG_LEVEL = "WARNING"  # an unreachable original is a result, not an error
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
SEEDCHECK_RETRY_BACKOFF = 2.0  # seconds before the first retry, doubled for each further one
SEEDCHECK_RETRY_MAX_WAIT = 60.0
SEEDCHECK_DNS_RETRY_TIMES = 1  # an unknown host rarely appears a second later
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    "crawler.middlewares.UrlBound": 50,  # before anything is sent: redirects come through too
    # Nearest the downloader: a response waits here until the writer process has its records.
    "crawler.warc_process.AwaitWarcRecord": 990,
}
SEEDCHECK_MAX_URL = 8192

# A live page's own stylesheets and images, archived for replay (crawler/assets.py).
SPIDER_MIDDLEWARES = {"crawler.assets.PageAssets": 800}
SEEDCHECK_ASSETS_ENABLED = True
SEEDCHECK_ASSETS_MAX = 30               # per page
SEEDCHECK_ASSETS_MAX_SIZE = 2 * 1024 * 1024
SEEDCHECK_ASSETS_SAME_SITE = True

# WARC writing; SEEDCHECK_WARC_DIR is set by `seedcheck crawl` (the extension is off without it).
EXTENSIONS = {"crawler.extensions.WarcExtension": 500,  # also the DOWNLOAD_MAXSIZE cut
              "crawler.heap.FrozenStartupHeap": 900}  # start-up objects out of full GC passes
SEEDCHECK_GC_FREEZE = True
SEEDCHECK_WARC_ENABLED = True
SEEDCHECK_WARC_PREFIX = "seedcheck"
SEEDCHECK_WARC_MAX_SIZE = 1_000_000_000
SEEDCHECK_WARC_OPERATOR = None
# Where records are digested, deflated and written: "process" (crawler/warc_child.py, on another
# core), "inline" (in the crawl's own process), or "auto": a process when the machine has a CPU
# to spare beside its crawl processes (a frontier's --workers each count as one).
SEEDCHECK_WARC_WRITER = "auto"

# Web archives asked for captures of every original URL (crawler/fallback.py): a list of
# {name, kind: cdx|memento, url[, replay]}; CLI: --archive, --memento, --no-wayback.
SEEDCHECK_ARCHIVES = [{"name": "wayback", "kind": "cdx",
                       "url": "https://web.archive.org/cdx/search/cdx",
                       "replay": "https://web.archive.org/web/"}]
SEEDCHECK_CAPTURES = "closest"  # or any of first,closest,latest
SEEDCHECK_AT = None  # target date (YYYY-MM-DD) instead of each seed's publication date
SEEDCHECK_ARCHIVE_RATE = 30.0  # requests per minute to each archive
