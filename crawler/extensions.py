"""Scrapy extensions that archive every fetch: WARC writing and the size cap.

`WarcExtension` listens to `response_downloaded`, which fires in the downloader before any
downloader middleware's `process_response`: it sees every redirect hop, every retried attempt,
the robots.txt fetches, and bodies still content-encoded as they came off the wire.

It also takes over `DOWNLOAD_MAXSIZE` from Scrapy's HTTP handler, which would cancel an
over-size download and throw its bytes away: it stops the download at the cap instead
(`StopDownload(fail=False)`), so what arrived is archived with `WARC-Truncated: length`.

Request meta keys shared with the spider: `seedcheck_record` (what was written for the hop:
url, record_id, warc_file, truncated, cap, or error) and `seedcheck_cap` /
`seedcheck_truncated` (the size cap's).
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from http.client import responses
from pathlib import Path
from typing import Self

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured, StopDownload
from scrapy.http import Headers, Request, Response
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.python.failure import Failure

from archive.warc.writer import Exchange, WarcConfig, WarcError, WarcWriter, Written
from crawler.cdx import (
    archived_timestamp,
    from_timestamp,
    link_original,
    original_url,
    parse_http_date,
    restore_headers,
)
from crawler.warc_child import open_writer, write_pair
from crawler.warc_process import WriterProcess, writer_in_process

logger = logging.getLogger(__name__)
DEFAULT_PORTS = {"http": 80, "https": 443}
# FastWARC reads HTTP header blocks of up to 32 KiB; browsers send at most ~16 KiB of request
# headers and servers answer 8-16 KiB: a larger block is a server's mistake or an attack.
MAX_HEADER_BYTES = 24 * 1024


def header_pairs(headers: Headers) -> list[tuple[str, str]]:
    """Every value of every header, repeated ones (Set-Cookie) included, in Scrapy's order."""
    # Headers is a dict of normalised name -> list of values: read as one, it is what
    # `getlist` returns for each name, without its per-name key normalising.
    return [(key.decode("latin-1"), value.decode("latin-1"))
            for key, values in dict.items(headers) for value in values]


def host_header(request: Request) -> str:
    """The Host header Twisted sends (the port only when not the scheme's default)."""
    parts = urlparse_cached(request)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    if parts.port and parts.port != DEFAULT_PORTS.get(parts.scheme):
        return f"{host}:{parts.port}"
    return host


def truncation(response: Response, request: Request) -> str | None:
    """WARC-Truncated value for a response cut short, None for a complete one.

    `partial` (a body delimited by the connection's close, RFC 9112 §6.3) is a complete message,
    so it is not marked; `dataloss` means fewer bytes than Content-Length or chunking promised.
    """
    # response.meta is not there yet: the response is tied to its request after this signal.
    if request.meta.get("seedcheck_truncated"):
        return request.meta["seedcheck_truncated"]
    if "dataloss" in response.flags:
        return "disconnect"
    if "download_stopped" in response.flags:
        return "unspecified"
    return None


def to_exchange(response: Response, request: Request, started: float) -> Exchange:
    """The fetch as it happened, from Scrapy's response to one hop."""
    truncated = truncation(response, request)
    body = response.body
    cap = request.meta.get("seedcheck_cap")
    if truncated == "length" and cap:
        body = body[:cap]
    sent = header_pairs(request.headers)
    if not any(name.lower() == "host" for name, _ in sent):
        sent.insert(0, ("Host", host_header(request)))
    status = response.status
    reason = responses.get(status, "")  # Scrapy keeps no reason phrase: the standard one
    return Exchange(
        url=response.url,
        date=datetime.fromtimestamp(started, UTC),
        method=request.method,
        request_headers=sent,
        request_body=request.body,
        protocol=response.protocol or "HTTP/1.1",
        status=status,
        reason=reason,
        response_headers=header_pairs(response.headers),
        body=body,
        ip_address=str(response.ip_address) if response.ip_address else None,
        truncated=truncated,
    )


def memento_exchange(exchange: Exchange, fallback_url: str) -> tuple[Exchange, dict] | None:
    """An archive's answer as the capture it holds, pywb's way; None if it is not a memento.

    WARC-Target-URI: the original URL (the archive's Link rel="original", else the URL inside
    the archive URL); WARC-Date: the capture time (Memento-Datetime, else the URL's timestamp);
    WARC-Source-URI: the archive URL fetched; the original server's headers restored.
    """
    headers = {k.lower(): v for k, v in exchange.response_headers}
    when = parse_http_date(headers.get("memento-datetime"))
    stamp = archived_timestamp(exchange.url)
    if when is None and stamp is None:
        return None
    when = when or from_timestamp(stamp or "")
    original = (link_original(headers.get("link")) or original_url(exchange.url)
                or fallback_url)
    memento = Exchange(
        url=original, date=when, method=exchange.method,
        request_headers=exchange.request_headers, request_body=exchange.request_body,
        protocol=exchange.protocol, status=exchange.status, reason=exchange.reason,
        response_headers=restore_headers(exchange.response_headers, when),
        body=exchange.body,
        ip_address=exchange.ip_address, truncated=exchange.truncated, source_uri=exchange.url,
    )
    return memento, {"original": original, "timestamp": when.strftime("%Y%m%d%H%M%S"),
                     "memento": True}


def memento_fields(info: dict, facts: dict, source_uri: str) -> list[tuple[str, str]]:
    """The metadata record beside an archived capture: which archive, which lookup, why."""
    fields = [("archive", info["archive"]), ("archive-kind", info.get("kind") or ""),
              ("lookup", info.get("lookup") or ""), ("via", source_uri),
              ("capture-timestamp", facts["timestamp"]),
              ("choice", info.get("choice") or ""), ("reason", info.get("why") or "")]
    if info.get("target"):
        fields.append(("target-date", info["target"]))
    return [(k, v) for k, v in fields if v]


class WarcExtension:
    """Write a request + response (or revisit) record pair for every downloaded response, and
    cut a body at DOWNLOAD_MAXSIZE keeping what arrived (one extension: fewer signal receivers).

    The write is synchronous, in the reactor thread: by the time the response goes on to the
    downloader middlewares (redirects, retries) and the spider (the crawl log line), its record
    is in the file. (A writer thread was measured slower on this 2-core machine: the GIL
    hand-offs cost more than the compression it moved; see bench/README.md.)

    Settings: SEEDCHECK_WARC_ENABLED, SEEDCHECK_WARC_DIR (off when unset), SEEDCHECK_WARC_PREFIX,
    SEEDCHECK_WARC_MAX_SIZE, SEEDCHECK_WARC_OPERATOR, SEEDCHECK_WARC_GZIP_LEVEL (optional),
    SEEDCHECK_CRAWL_ID (WARC isPartOf), SEEDCHECK_WARC_SHARED_DIGESTS (the dedup index in the
    frontier's Redis, crawler/frontier.py, instead of the folder's `digests.jsonl`); USER_AGENT
    and ROBOTSTXT_OBEY go into warcinfo.
    """

    def __init__(self, crawler: Crawler, config: WarcConfig, maxsize: int = 0):
        self.crawler = crawler
        self.config = config
        self.maxsize = maxsize     # DOWNLOAD_MAXSIZE, enforced here rather than by Scrapy
        self.counting = 0          # downloads whose bytes are being counted against their cap
        self.writer: WarcWriter | None = None
        self.process: WriterProcess | None = None   # the writer in its own process, if used
        self.error: str | None = None  # why the archive cannot be written, once it cannot
        self.closed_files: list[Path] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("SEEDCHECK_WARC_ENABLED", True):
            raise NotConfigured("SEEDCHECK_WARC_ENABLED is off")
        if not settings.get("SEEDCHECK_WARC_DIR"):
            raise NotConfigured("WARC writing needs SEEDCHECK_WARC_DIR")
        options = {
            "directory": Path(settings["SEEDCHECK_WARC_DIR"]),
            "prefix": settings.get("SEEDCHECK_WARC_PREFIX") or "seedcheck",
            "max_size": settings.getint("SEEDCHECK_WARC_MAX_SIZE", 1_000_000_000),
            "operator": settings.get("SEEDCHECK_WARC_OPERATOR"),
            "user_agent": settings.get("USER_AGENT") or "",
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "is_part_of": settings.get("SEEDCHECK_CRAWL_ID"),
        }
        if settings.get("SEEDCHECK_WARC_GZIP_LEVEL") is not None:
            options["gzip_level"] = settings.getint("SEEDCHECK_WARC_GZIP_LEVEL")
        ext = cls(crawler, WarcConfig(**options), settings.getint("DOWNLOAD_MAXSIZE"))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.headers_received, signal=signals.headers_received)
        crawler.signals.connect(ext.response_downloaded, signal=signals.response_downloaded)
        return ext

    async def spider_opened(self, spider: Spider) -> None:
        """The writer opened (its process started and its file created) before any fetch."""
        settings = self.crawler.settings
        digests = None   # the WARC folder's own index, or the frontier's, shared by all workers
        if settings.getbool("SEEDCHECK_WARC_SHARED_DIGESTS"):
            digests = (settings["REDIS_URL"], settings.get("SEEDCHECK_FRONTIER_KEY") or "seedcheck")
        try:
            if writer_in_process(settings.get("SEEDCHECK_WARC_WRITER") or "auto",
                                 settings.getint("SEEDCHECK_LOCAL_WORKERS", 1)):
                from twisted.internet import reactor

                self.process = WriterProcess.start(reactor)
                await maybe_deferred_to_future(self.process.call("open", self.config, digests))
            else:
                self.writer = open_writer(self.config, digests)
        except (WarcError, OSError) as exc:
            self._fail(exc, str(self.config.directory))
            if self.process is not None:
                self.process.transport.closeStdin()   # the child ends at the end of its input
                self.process = None

    async def spider_closed(self, spider: Spider) -> None:
        if self.process is not None:
            try:
                self.closed_files = await maybe_deferred_to_future(self.process.call("close"))
                await maybe_deferred_to_future(self.process.done)
            except WarcError as exc:
                logger.error("WARC writer: %s", exc)
            self.process = None
        if self.writer is not None:
            self.closed_files = self.writer.close()
            self.writer = None
        self.crawler.stats.set_value("warc/files", [p.name for p in self.closed_files])

    def headers_received(self, request: Request, body_length: int | str) -> None:
        meta = request.meta
        # Capture start: when the request went out (latency = request sent -> headers back).
        meta["seedcheck_started"] = time.time() - meta.get("download_latency", 0.0)
        meta.pop("seedcheck_truncated", None)  # a retry or redirect starts afresh
        self._uncount(meta)  # (a retry of a failed download carries its meta)
        cap = meta.setdefault("seedcheck_cap", meta.get("download_maxsize", self.maxsize))
        # A body whose Content-Length fits the cap cannot outgrow it (Twisted delivers no byte
        # past it): only an unknown or over-size length is counted, chunk by chunk.
        if not cap or (isinstance(body_length, int) and 0 <= body_length <= cap):
            return
        meta["download_maxsize"] = 0  # Scrapy would cancel and discard: the cap is ours
        meta["seedcheck_received"] = 0
        if not self.counting:  # per-chunk receiver only while a download needs it
            self.crawler.signals.connect(self.bytes_received, signal=signals.bytes_received)
        self.counting += 1

    def bytes_received(self, data: bytes, request: Request) -> None:
        meta = request.meta
        if "seedcheck_received" not in meta:
            return
        meta["seedcheck_received"] += len(data)
        if meta["seedcheck_received"] > meta["seedcheck_cap"]:
            meta["seedcheck_truncated"] = "length"
            self.crawler.stats.inc_value("seedcheck/too_large")
            raise StopDownload(fail=False)

    def _uncount(self, meta: dict) -> None:
        """The download is over: the cap back in Scrapy's key, so decompression keeps it."""
        if meta.pop("seedcheck_received", None) is None:
            return
        meta["download_maxsize"] = meta["seedcheck_cap"]
        self.counting -= 1
        if self.counting <= 0:
            self.counting = 0
            self.crawler.signals.disconnect(self.bytes_received, signal=signals.bytes_received)

    def response_downloaded(self, response: Response, request: Request, spider: Spider) -> None:
        self._uncount(request.meta)
        if self.writer is None and self.process is None:
            request.meta["seedcheck_record"] = {"url": request.url, "retry": True,
                                                "error": self.error or "no WARC writer open"}
            return
        started = request.meta.pop("seedcheck_started", None)
        if started is None:
            started = time.time() - request.meta.get("download_latency", 0.0)
        exchange = to_exchange(response, request, started)
        record = {"url": request.url, "truncated": exchange.truncated,
                  "cap": request.meta.get("seedcheck_cap")}
        size = sum(len(k) + len(v) + 4 for k, v in exchange.response_headers)
        if size > MAX_HEADER_BYTES:        # a record FastWARC would refuse: logged, not kept
            self.crawler.stats.inc_value("warc/refused/headers")
            request.meta["seedcheck_record"] = {**record, "error": (
                f"response header block of {size:,} bytes is over the {MAX_HEADER_BYTES:,}-byte "
                "limit other WARC readers accept")}
            return
        info = request.meta.get("seedcheck_memento")
        memento = memento_exchange(exchange, request.meta["seedcheck_target"][0]) if info else None
        metadata = None
        if memento is not None:
            exchange, facts = memento
            record.update(facts)
            metadata = memento_fields(info, record, exchange.source_uri or "")
        if self.process is not None:   # AwaitWarcRecord holds the response until it is written
            request.meta["seedcheck_pending"] = self.process.call(
                "write", exchange, metadata).addBoth(self._written, request, record, exchange)
            return
        try:
            result = write_pair(self.writer, exchange, metadata)
        except (WarcError, OSError) as exc:
            result = exc
        self._written(result, request, record, exchange)

    def _written(self, result: tuple[Written, str | None] | Exception | Failure, request: Request,
                 record: dict, exchange: Exchange) -> None:
        """What was written for the hop (or why nothing was) into the request's meta."""
        if isinstance(result, Failure):   # the writer process answered with an error
            result = result.value
        if isinstance(result, Exception):
            self._fail(result, request.url)
            record.update(error=str(result), retry=True)  # not kept: the next crawl fetches it
        else:
            written, metadata_id = result
            record.update(record_id=written.record_id, warc_file=written.filename)
            if metadata_id is not None:
                record["metadata_id"] = metadata_id
            stats = self.crawler.stats
            stats.inc_value(f"warc/records/{written.record_type}")
            stats.inc_value("warc/bytes", written.length)
            if exchange.truncated:
                stats.inc_value(f"warc/truncated/{exchange.truncated}")
        request.meta["seedcheck_record"] = record

    def _fail(self, exc: Exception, where: str) -> None:
        """The archive cannot be written: stop the crawl rather than fetch without keeping."""
        logger.error("WARC writing failed (%s): %s; stopping the crawl", where, exc)
        self.crawler.stats.set_value("warc/error", str(exc))
        if self.error is None:
            self.error = str(exc)
            if self.crawler.engine:
                deferred_from_coro(self.crawler.engine.close_spider_async(reason="warc_error"))
