"""The crawl log: one JSON line per URL per crawl, in `data/crawls/<crawl-id>.jsonl`.

Each line is flushed and fsynced as it is written, so a crawl killed at any moment keeps every
outcome it reached. A resumed crawl reopens its log, learns which URLs are done, cuts off a line
torn by the kill, and appends; a URL never gets a second line in the same crawl.
"""

from __future__ import annotations

import json
import logging
import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

ERRORS = ("dns", "timeout", "refused", "reset", "robots", "too-large", "scheme", "other")
CRAWL_ID_FORMAT = "%Y%m%dT%H%M%SZ"
LOG = logging.getLogger(__name__)
OnProblem = Callable[[Path, int, str], None]


class CrawlLogError(Exception):
    """A crawl log that cannot be written or continued; the message names the file."""


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class LogLine:
    """The outcome of one URL in one crawl (the format agreed in docs/interfaces.md)."""

    crawl_id: str
    url: str
    seed_ids: tuple[str, ...]
    roles: tuple[str, ...]
    outcome: str  # "fetched" | "failed"
    time: str = field(default_factory=utc_now)
    source: str = "live"
    archive: str | None = None
    reason: str | None = None
    final_url: str | None = None
    status: int | None = None
    record_id: str | None = None
    warc_file: str | None = None
    redirects: tuple[str, ...] = ()
    error: str | None = None
    detail: str | None = None
    # Archive fallback (crawler/fallback.py): every archived capture or failed lookup of the
    # URL ({archive, choice, timestamp, status, record_id, ...}) and the source the comparison
    # should use: "live", "archive", or None when neither is usable.
    archived: tuple[dict, ...] = ()
    used: str | None = None

    def __post_init__(self) -> None:
        if self.outcome not in ("fetched", "failed"):
            raise ValueError(f"outcome {self.outcome!r} is not fetched or failed")
        if (self.outcome == "failed") != (self.error is not None):
            raise ValueError(f"{self.url}: a failed outcome needs an error, a fetched one none")
        if self.error is not None and self.error not in ERRORS:
            raise ValueError(f"error {self.error!r} is not one of {', '.join(ERRORS)}")

    def to_json(self) -> str:
        data = asdict(self)
        order = ("crawl_id", "time", "url", "seed_ids", "roles", "outcome", "source", "archive",
                 "reason", "final_url", "status", "record_id", "warc_file", "redirects", "error",
                 "detail", "archived", "used")
        return json.dumps({k: _plain(data[k]) for k in order}, ensure_ascii=False)


def _plain(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def new_crawl_id(crawls_dir: Path, now: datetime | None = None) -> str:
    """A UTC timestamp id, with `-N` appended when a crawl log of that id already exists."""
    base = (now or datetime.now(UTC)).astimezone(UTC).strftime(CRAWL_ID_FORMAT)
    crawl_id, n = base, 1
    while (crawls_dir / f"{crawl_id}.jsonl").exists():
        n += 1
        crawl_id = f"{base}-{n}"
    return crawl_id


def read_crawl_log(path: Path, on_problem: OnProblem | None = None) -> Iterator[tuple[int, dict]]:
    """(line number, line) for every crawl-log line of `path`: the one reader of crawl logs.

    One rule for a line that is not a crawl-log line (torn by a kill mid-write, or damaged): it
    is reported to `on_problem(path, line number, problem)` (by default, logged as a warning),
    skipped, and the rest of the file is read.
    """
    report = on_problem or _warn
    if not path.exists():
        return
    with path.open("rb") as f:
        for number, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            torn = "" if raw.endswith(b"\n") else " (torn: the crawl stopped while writing it)"
            try:
                line = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                report(path, number, f"not a JSON line{torn}: {exc}; skipped")
                continue
            if not isinstance(line, dict) or not isinstance(line.get("url"), str):
                report(path, number, "not a crawl-log line (a JSON object with a url); skipped")
                continue
            yield number, line


def read_lines(path: Path, on_problem: OnProblem | None = None) -> list[dict]:
    """Every crawl-log line of `path`, in order (see `read_crawl_log` for bad lines)."""
    return [line for _, line in read_crawl_log(path, on_problem)]


def _warn(path: Path, number: int, problem: str) -> None:
    LOG.warning("%s:%d: %s", path, number, problem)


class CrawlLog:
    """Appends outcome lines to one crawl's log; remembers which URLs have theirs."""

    def __init__(self, path: Path, crawl_id: str):
        self.path = path
        self.crawl_id = crawl_id
        self.outcomes: dict[str, str] = {}  # url -> "fetched" or the error kind
        self._file: IO[bytes] | None = None

    @classmethod
    def open(cls, path: Path, crawl_id: str) -> CrawlLog:
        log = cls(path, crawl_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            _cut_torn_tail(path)
            for line in read_lines(path, lambda *_: None):  # the torn tail was cut above
                log.outcomes[line["url"]] = line.get("error") or line["outcome"]
            log._file = path.open("ab")
        except OSError as exc:
            raise CrawlLogError(f"{path}: cannot open the crawl log: {exc}") from exc
        return log

    def done(self, url: str) -> bool:
        return url in self.outcomes

    def write(self, line: LogLine) -> bool:
        """Append `line` durably; False (nothing written) when its URL already has a line."""
        if self._file is None:
            raise CrawlLogError(f"{self.path}: the crawl log is closed")
        if line.url in self.outcomes:
            return False
        self._file.write(line.to_json().encode() + b"\n")
        self._file.flush()
        os.fsync(self._file.fileno())
        self.outcomes[line.url] = line.error or line.outcome
        return True

    def counts(self) -> Counter:
        """How many URLs were fetched, and how many failed with each error kind."""
        return Counter(self.outcomes.values())

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def _cut_torn_tail(path: Path) -> None:
    """Drop a last line without its newline: the kill came while it was being written."""
    if not path.exists():
        return
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        with path.open("r+b") as f:
            f.truncate(data.rfind(b"\n") + 1)
