"""`DataDir`: the one owner of the data folder's paths and of its lock.

```
DATA/
  warcs/            WARC files (the source of truth), `digests.jsonl` (the dedup index)
  crawls/           one `<crawl-id>.jsonl` crawl log (and Scrapy's `<crawl-id>.log`) per crawl
  jobs/<crawl-id>/  Scrapy's JOBDIR of an unfinished crawl (resume)
  imports/          WARC, ARC and WACZ files other tools wrote, kept unchanged
  reports/          one `<crawl-id>.json` per scheduled run
  resolve/<seed>/   the candidate seeds `seedcheck resolve` crawls
  seedcheck.db      the derived database
  .lock             held by the workflow at work here (crawl, run, a scheduled run, resolve, demo)
```

One lock policy: a workflow that writes WARCs or crawl logs holds `DATA/.lock` from start to
end, and a second one is refused at once (it never waits); the lock file says who holds it.
Builds and `serve` take no lock: a build reads only closed WARCs and swaps the database in
atomically, and Datasette only reads.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DATABASE_NAME = "seedcheck.db"
IMPORTS = "imports"   # also the prefix of an imported file's name in the database
LOCK_NAME = ".lock"


class LockedError(Exception):
    """Another workflow holds the data folder's lock."""


@dataclass(frozen=True)
class DataDir:
    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))

    @classmethod
    def configured(cls, config: dict | None) -> DataDir:
        """The data folder of the Datasette plugin's configuration (`plugins.seedcheck.data`)."""
        folder = (config or {}).get("data")
        if not folder:
            raise LookupError("the seedcheck plugin has no data folder: set plugins.seedcheck.data "
                              "in Datasette's metadata (`seedcheck serve` does)")
        return cls(Path(folder))

    @property
    def warcs(self) -> Path:
        return self.root / "warcs"

    @property
    def crawls(self) -> Path:
        return self.root / "crawls"

    @property
    def jobs(self) -> Path:
        return self.root / "jobs"

    @property
    def imports(self) -> Path:
        return self.root / IMPORTS

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def database(self) -> Path:
        return self.root / DATABASE_NAME

    @property
    def lock_file(self) -> Path:
        return self.root / LOCK_NAME

    def crawl_log(self, crawl_id: str) -> Path:
        return self.crawls / f"{crawl_id}.jsonl"

    def scrapy_log(self, crawl_id: str) -> Path:
        return self.crawls / f"{crawl_id}.log"

    def job(self, crawl_id: str) -> Path:
        return self.jobs / crawl_id

    def report(self, name: str) -> Path:
        return self.reports / f"{name}.json"

    def resolve_folder(self, seed_id: str) -> Path:
        return self.root / "resolve" / seed_id

    @contextmanager
    def lock(self, workflow: str) -> Iterator[None]:
        """Hold `DATA/.lock` for `workflow`; LockedError at once when another holds it."""
        self.root.mkdir(parents=True, exist_ok=True)
        with self.lock_file.open("a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another seedcheck workflow"
                raise LockedError(f"{self.root}: another seedcheck run is at work here "
                                  f"({holder}; {self.lock_file} is locked)") from None
            handle.seek(0)
            handle.truncate()
            handle.write(f"seedcheck {workflow} (pid {os.getpid()})\n")
            handle.flush()
            try:
                yield
            finally:
                handle.seek(0)
                handle.truncate()
