"""A crawl of the seeds' originals: its id, its folders, its settings, one run of Scrapy.

`run_crawl` is what `archive.app.crawl` runs in a child process, under the data folder's lock.
It closes WARC files a killed crawl left `.open`, picks a crawl id (or the latest unfinished
one with `resume`), runs the `originals` spider with the project settings, returns a summary.

Resume: every crawl runs with a Scrapy JOBDIR in `data/jobs/<crawl-id>/`. A crawl that finishes
removes it; one stopped gracefully (Ctrl-C, a WARC error) leaves it marked `clean`; one killed
leaves it unmarked, and its request queue, which Scrapy only saves on a clean stop, is dropped.
Either way the crawl log says which URLs are done, and the spider asks for the rest.
"""

from __future__ import annotations

import shutil
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from archive.layout import DataDir
from archive.seeds.parse import load_seeds
from archive.warc import writer as warc
from archive.warc.crawllog import LogLine, new_crawl_id, read_lines
from crawler.cdx import ArchiveError, ArchiveSource, parse_archives, parse_choices
from crawler.dns import parse_hosts
from crawler.fallback import DEFAULT_RATE, slot_settings

CLEAN_MARK = "stopped-cleanly"
OnLine = Callable[[LogLine, Counter, int], None]


class CrawlError(Exception):
    """The crawl could not run at all (no seeds, data folder locked or unwritable...)."""


@dataclass(frozen=True)
class CrawlOptions:
    seeds_dir: Path
    data_dir: Path
    hosts: tuple[str, ...] = ()  # "HOST:IP" mappings, like curl --resolve
    resume: bool = False
    settings: tuple[tuple[str, str], ...] = ()  # -s NAME=VALUE overrides, applied last
    archives: tuple[ArchiveSource, ...] | None = None  # None: SEEDCHECK_ARCHIVES as set
    captures: str | None = None  # SEEDCHECK_CAPTURES, e.g. "first,closest,latest"
    at: str | None = None  # SEEDCHECK_AT: target date of archived captures (YYYY-MM-DD)
    frontier: str | None = None  # redis://HOST:PORT/DB: a worker of a shared crawl (workers.py)
    workers: int = 1  # worker processes on this machine (with a frontier)


@dataclass(frozen=True)
class CrawlSummary:
    crawl_id: str
    crawl_log: Path
    scrapy_log: Path | None
    total: int
    counts: dict[str, int]  # "fetched" and each error kind
    warc_files: tuple[str, ...]
    recovered: tuple[Path, ...]
    finish_reason: str
    seconds: float
    resumed: bool = False
    stats: dict = field(default_factory=dict, repr=False)
    crawl_logs: tuple[Path, ...] = ()  # with a frontier: this machine's workers' logs
    frontier: str | None = None  # with a frontier: where the whole crawl stands

    @property
    def fetched(self) -> int:
        return self.counts.get("fetched", 0)

    @property
    def failed(self) -> int:
        return sum(n for kind, n in self.counts.items() if kind != "fetched")

    @property
    def remaining(self) -> int:
        return self.total - self.fetched - self.failed


def recover_warcs(data_dir: Path) -> list[Path]:
    """Close the `.open` WARC files a killed crawl left, at their last complete record."""
    directory = DataDir(data_dir).warcs
    try:
        return warc.recover(directory) if directory.is_dir() else []
    except (warc.WarcError, OSError) as exc:
        raise CrawlError(f"cannot close the WARC files an earlier crawl left open: {exc}") from exc


def latest_unfinished(jobs_dir: Path) -> str | None:
    """The id of the most recent crawl whose job folder is still there (not finished)."""
    def key(name: str) -> tuple[str, int]:
        base, _, n = name.partition("-")
        return base, int(n) if n.isdigit() else 1

    ids = [p.name for p in jobs_dir.iterdir() if p.is_dir()] if jobs_dir.is_dir() else []
    return max(ids, key=key) if ids else None


def prepare_job(jobdir: Path) -> None:
    """Keep Scrapy's saved queue only if it was saved by a clean stop; a killed one is junk."""
    mark = jobdir / CLEAN_MARK
    if jobdir.is_dir() and not mark.exists():
        shutil.rmtree(jobdir)
    mark.unlink(missing_ok=True)
    jobdir.mkdir(parents=True, exist_ok=True)


def crawl_settings(options: CrawlOptions, crawl_id: str) -> object:
    """Project settings, then this crawl's folders and ids, then `-s` overrides."""
    from scrapy.settings import Settings

    data = DataDir(options.data_dir)
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.setdict({
        "SEEDCHECK_SEEDS_DIR": str(options.seeds_dir),
        "SEEDCHECK_CRAWL_ID": crawl_id,
        "SEEDCHECK_CRAWL_LOG": str(data.crawl_log(crawl_id)),
        "SEEDCHECK_WARC_DIR": str(data.warcs),
        "JOBDIR": str(data.job(crawl_id)),
        "LOG_FILE": str(data.scrapy_log(crawl_id)),
        "LOG_LEVEL": "INFO",
    }, priority="project")
    if options.hosts:
        try:
            settings.set("SEEDCHECK_HOSTS", parse_hosts(options.hosts), priority="cmdline")
        except ValueError as exc:
            raise CrawlError(f"--resolve: {exc}") from None
    if options.archives is not None:
        settings.set("SEEDCHECK_ARCHIVES", [vars(a) for a in options.archives], "cmdline")
    for name, value in (("SEEDCHECK_CAPTURES", options.captures), ("SEEDCHECK_AT", options.at)):
        if value is not None:
            settings.set(name, value, priority="cmdline")
    for name, value in options.settings:
        settings.set(name, value, priority="cmdline")
    try:  # each archive gets its own download slot, spaced by its rate limit
        archives = parse_archives(settings.get("SEEDCHECK_ARCHIVES"))
        parse_choices(settings.get("SEEDCHECK_CAPTURES"))
    except ArchiveError as exc:
        raise CrawlError(str(exc)) from None
    rate = settings.getfloat("SEEDCHECK_ARCHIVE_RATE", DEFAULT_RATE)
    slots = {**settings.getdict("DOWNLOAD_SLOTS"), **slot_settings(archives, rate)}
    settings.set("DOWNLOAD_SLOTS", slots, priority="cmdline")
    return settings


def run_crawl(options: CrawlOptions, on_line: OnLine | None = None,
              on_id: Callable[[str], None] | None = None) -> CrawlSummary:
    """Crawl every original URL of the seeds once, in this process; see the module docstring.

    The caller holds the data folder's lock (`archive.layout.DataDir.lock`) and runs this in a
    process of its own: Twisted's reactor starts once per process.
    """
    seeds = load_seeds(options.seeds_dir)
    if not seeds.seeds:
        raise CrawlError(f"{options.seeds_dir}: no usable seed to crawl"
                         + "".join(f"\n  {problem}" for problem in seeds.problems))
    data = DataDir(options.data_dir)
    recovered = recover_warcs(options.data_dir)
    crawl_id = latest_unfinished(data.jobs) if options.resume else None
    if options.resume and crawl_id is None:
        raise CrawlError(f"{data.jobs}: no unfinished crawl to resume")
    data.crawls.mkdir(parents=True, exist_ok=True)
    crawl_id = crawl_id or new_crawl_id(data.crawls)
    if on_id is not None:
        on_id(crawl_id)
    prepare_job(data.job(crawl_id))
    settings = crawl_settings(options, crawl_id)
    started = time.monotonic()
    stats, total = _run_scrapy(settings, on_line)
    reason = stats.get("finish_reason") or "not started"
    _finish_job(data.job(crawl_id), reason)
    return CrawlSummary(
        crawl_id=crawl_id,
        crawl_log=data.crawl_log(crawl_id),
        scrapy_log=Path(settings["LOG_FILE"]) if settings.get("LOG_FILE") else None,
        total=total,
        counts=_counts(data.crawl_log(crawl_id)),
        warc_files=tuple(stats.get("warc/files", ())),
        recovered=tuple(recovered),
        finish_reason=reason,
        seconds=time.monotonic() - started,
        resumed=options.resume,
        stats=_plain_stats(stats),
    )


def _plain_stats(stats: dict) -> dict:
    """Scrapy's stats without values that cannot leave this process (they are pickled)."""
    plain = (int, float, str, bool, list, tuple, datetime, type(None))
    return {key: value for key, value in stats.items() if isinstance(value, plain)}


def _run_scrapy(settings: object, on_line: OnLine | None,
                spider: type | None = None) -> tuple[dict, int]:
    from scrapy.crawler import CrawlerProcess

    from crawler.spiders.originals import URL_LOGGED, OriginalsSpider

    process = CrawlerProcess(settings)
    crawler = process.create_crawler(spider or OriginalsSpider)
    if on_line is not None:
        crawler.signals.connect(on_line, signal=URL_LOGGED)
    errors: list[str] = []
    done = process.crawl(crawler)
    done.addErrback(lambda failure: errors.append(f"{failure.type.__name__}: {failure.value}"))
    process.start()
    if errors:
        raise CrawlError("the crawl could not start: " + "; ".join(errors))
    spider = crawler.spider
    total = len(spider.targets) if spider is not None else 0
    return crawler.stats.get_stats(), total


def _finish_job(jobdir: Path, reason: str) -> None:
    if reason == "finished":
        shutil.rmtree(jobdir, ignore_errors=True)
    elif reason == "warc_error":
        # Scrapy's saved state counts the fetches that could not be archived as seen; unmarked,
        # it is dropped on resume and every URL without a crawl-log line is asked for again.
        (jobdir / CLEAN_MARK).unlink(missing_ok=True)
    elif jobdir.is_dir():
        (jobdir / CLEAN_MARK).write_text(reason + "\n")


def _counts(log: Path) -> dict[str, int]:
    return dict(Counter(line.get("error") or line["outcome"] for line in read_lines(log)))
