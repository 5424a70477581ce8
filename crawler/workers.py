"""`seedcheck crawl --frontier redis://HOST:PORT/DB [--workers N]`: this machine's workers.

Each worker is one Scrapy process running the `frontier` spider (crawler/spiders/shared.py)
with its own id (`<hostname>-<n>`, or `SEEDCHECK_WORKER_ID[-<n>]`), its own WARC files
(prefix `seedcheck-<worker id>`) and its own crawl log (`crawls/<crawl-id>-<worker id>.jsonl`)
in the shared data folder; the frontier in Redis gives them the crawl id, the URLs, politeness
and the dedup index. With `--workers 1` the worker runs in this process (live progress); with
more, each runs in a spawned child, and a child killed mid-crawl has its `.open` WARC files
closed here at once (the other workers fetch its URLs once its lease runs out).
"""

from __future__ import annotations

import multiprocessing
import re
import socket
import sys
import time
from collections import Counter
from pathlib import Path

from archive.layout import DataDir
from archive.warc import writer as warc
from archive.warc.crawllog import new_crawl_id, read_lines
from crawler.frontier import Frontier, FrontierError, redis_settings
from crawler.runner import (
    CrawlError,
    CrawlOptions,
    CrawlSummary,
    OnLine,
    _plain_stats,
    _run_scrapy,
    crawl_settings,
    recover_warcs,
)

DEFAULT_LEASE = 30.0
POLITENESS_ORDER = 900


def worker_ids(options: CrawlOptions) -> list[str]:
    """This machine's worker ids: host name (or SEEDCHECK_WORKER_ID) and a number."""
    given = dict(options.settings).get("SEEDCHECK_WORKER_ID")
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", given or socket.gethostname()) or "worker"
    if given and options.workers == 1:
        return [base]
    return [f"{base}-{n}" for n in range(1, options.workers + 1)]


def frontier_of(options: CrawlOptions, worker: str) -> Frontier:
    overrides = dict(options.settings)
    try:
        return Frontier.connect(options.frontier or "",
                                overrides.get("SEEDCHECK_FRONTIER_KEY") or "seedcheck", worker,
                                float(overrides.get("SEEDCHECK_FRONTIER_LEASE") or DEFAULT_LEASE))
    except (FrontierError, ValueError) as exc:
        raise CrawlError(str(exc)) from None


def worker_settings(options: CrawlOptions, crawl_id: str, frontier: Frontier) -> object:
    """The crawl's settings (`-s` included), then what makes this process one worker."""
    settings = crawl_settings(options, crawl_id)
    worker, data = frontier.worker, DataDir(options.data_dir)
    settings.setdict({
        "SEEDCHECK_CRAWL_LOG": str(data.crawl_log(f"{crawl_id}-{worker}")),
        "LOG_FILE": str(data.scrapy_log(f"{crawl_id}-{worker}")),
        "JOBDIR": None,  # the frontier is the job's state
        "SEEDCHECK_WARC_PREFIX": f"seedcheck-{worker}",
        "SEEDCHECK_WARC_SHARED_DIGESTS": True,
        "SEEDCHECK_WORKER_ID": worker,
        "SEEDCHECK_LOCAL_WORKERS": options.workers,   # they share this machine's CPUs
        "SEEDCHECK_WORKER_TOKEN": frontier.token,
        "SEEDCHECK_FRONTIER_KEY": frontier.prefix,
        "SEEDCHECK_FRONTIER_LEASE": frontier.lease_ms / 1000,
        **redis_settings(options.frontier or ""),
    }, priority=50)  # above -s: these make the worker
    # Politeness moves into Redis (crawler/politeness.py): the delay between any two requests
    # to a host, from any worker; a local delay on top would only slow each worker.
    settings.set("SEEDCHECK_FRONTIER_DELAY", settings.getfloat("DOWNLOAD_DELAY"), "project")
    settings.set("DOWNLOAD_DELAY", 0, priority=50)
    settings.set("AUTOTHROTTLE_ENABLED", False, priority=50)
    middlewares = {**settings.getdict("DOWNLOADER_MIDDLEWARES"),
                   "crawler.politeness.HostLock": POLITENESS_ORDER}
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority=50)
    return settings


def run_worker(options: CrawlOptions, crawl_id: str, worker: str,
               on_line: OnLine | None = None) -> dict:
    """One worker's crawl, in this process; its Scrapy stats."""
    from crawler.spiders.shared import FrontierSpider

    frontier = frontier_of(options, worker)
    try:
        frontier.join()
    except FrontierError as exc:
        raise CrawlError(str(exc)) from None
    try:
        stats, _ = _run_scrapy(worker_settings(options, crawl_id, frontier), on_line,
                               FrontierSpider)
    finally:
        try:
            frontier.leave()
        except FrontierError as exc:
            print(f"worker {worker}: {exc}", file=sys.stderr)
    return stats


def _child(options: CrawlOptions, crawl_id: str, worker: str) -> None:
    try:
        run_worker(options, crawl_id, worker)
    except CrawlError as exc:
        print(f"worker {worker}: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def run_frontier(options: CrawlOptions, on_line: OnLine | None = None) -> CrawlSummary:
    """This machine's share of the crawl on the frontier; see the module docstring.

    The caller holds the data folder's lock (`archive.app.crawl` runs this in a child process)."""
    ids = worker_ids(options)
    recovered = recover_warcs(options.data_dir)
    data = DataDir(options.data_dir)
    crawls = data.crawls
    crawls.mkdir(parents=True, exist_ok=True)
    frontier = frontier_of(options, ids[0])
    try:
        crawl_id = frontier.begin(new_crawl_id(crawls))
    except FrontierError as exc:
        raise CrawlError(str(exc)) from None
    started = time.monotonic()
    if len(ids) == 1:
        stats = run_worker(options, crawl_id, ids[0], on_line)
        reason = stats.get("finish_reason") or "not started"
    else:
        reason, recovered = _run_children(options, crawl_id, ids, recovered)
        stats = {}
    logs = tuple(data.crawl_log(f"{crawl_id}-{worker}") for worker in ids)
    counts: Counter = Counter()
    for log in logs:
        counts.update(line.get("error") or line["outcome"] for line in read_lines(log))
    try:
        status = frontier.status()
    except FrontierError as exc:
        raise CrawlError(f"the crawl ran, but where it stands is unknown: {exc}") from None
    return CrawlSummary(
        crawl_id=crawl_id, crawl_log=logs[0], crawl_logs=logs,
        scrapy_log=data.scrapy_log(f"{crawl_id}-{ids[0]}"), total=sum(counts.values()),
        counts=dict(counts), warc_files=tuple(stats.get("warc/files", ())),
        recovered=tuple(recovered), finish_reason=reason,
        seconds=time.monotonic() - started, stats=_plain_stats(stats),
        frontier=f"{status.done} of {status.seen} URLs done, {status.queued} queued, "
                 f"{status.leased} leased" + (" (crawl complete)" if status.complete else ""))


def _run_children(options: CrawlOptions, crawl_id: str, ids: list[str],
                  recovered: list[Path]) -> tuple[str, list[Path]]:
    """Start a process per worker, wait for all; close a killed one's `.open` WARC files."""
    context = multiprocessing.get_context("spawn")  # a fresh Twisted reactor in each
    children = {worker: context.Process(target=_child, args=(options, crawl_id, worker),
                                        name=f"seedcheck-worker-{worker}") for worker in ids}
    for child in children.values():
        child.start()
    failed = []
    for worker, child in children.items():
        while child.is_alive():
            try:
                child.join()
            except KeyboardInterrupt:  # the children got it too and stop cleanly
                continue
        if child.exitcode:
            failed.append(f"{worker} (exit {child.exitcode})")
        if child.exitcode and child.exitcode < 0:
            recovered = [*recovered, *warc.recover(DataDir(options.data_dir).warcs,
                                                   f"seedcheck-{worker}-")]
    return ("finished" if not failed else "workers failed: " + ", ".join(failed)), recovered
