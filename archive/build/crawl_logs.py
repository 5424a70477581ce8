"""Crawl logs (`data/crawls/<crawl-id>.jsonl`) read into the `crawls` and `fetch_errors` tables.

Read with the one crawl-log reader (`archive.warc.crawllog.read_crawl_log`): a line that is not
a crawl-log line is reported with its file and line, skipped, and the rest is read.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from archive.db.store import Store
from archive.warc.crawllog import read_crawl_log


def load_crawl_logs(store: Store, crawls_dir: Path,
                    report: Callable[[Path, int, str], None]) -> None:
    """Every line into `crawls`; failed fetches also into `fetch_errors` (and the seeds that
    wanted each into `fetch_error_seeds`)."""
    row_id = error_id = link_id = 0
    for path in sorted(crawls_dir.glob("*.jsonl")) if crawls_dir.is_dir() else []:
        for number, line in read_crawl_log(path, report):
            row_id += 1
            row = _crawl_row(line, path, number)
            store.add("crawls", {"id": row_id, **row})
            if line.get("outcome") == "failed":
                error_id += 1
                store.add("fetch_errors", {"id": error_id, **{
                    k: row[k] for k in ("crawl_id", "time", "url", "seed_ids", "source",
                                        "archive", "error", "detail", "status", "log_file",
                                        "log_line")}})
                wanted = line.get("seed_ids")
                for seed_id in dict.fromkeys(wanted if isinstance(wanted, list) else []):
                    link_id += 1
                    store.add("fetch_error_seeds", {"id": link_id, "fetch_error_id": error_id,
                                                    "seed_id": str(seed_id)})


def _crawl_row(line: dict, path: Path, number: int) -> dict:
    def text(key: str) -> str | None:
        value = line.get(key)
        return None if value is None else str(value)

    status = line.get("status")
    return {
        "crawl_id": text("crawl_id") or path.stem, "log_file": path.name, "log_line": number,
        "time": text("time"), "url": line["url"],
        "seed_ids": json.dumps(line.get("seed_ids") or []),
        "roles": json.dumps(line.get("roles") or []), "outcome": text("outcome"),
        "source": text("source"), "archive": text("archive"), "reason": text("reason"),
        "final_url": text("final_url"), "status": status if isinstance(status, int) else None,
        "record_id": text("record_id"), "warc_file": text("warc_file"),
        "redirects": json.dumps(line.get("redirects") or []), "error": text("error"),
        "detail": text("detail"),
    }
