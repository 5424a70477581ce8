"""The plugin's own threads and read-only connections, so its pages keep their capacity.

Datasette runs every query (tables, arbitrary SQL) on a few shared threads; six visitors
repeating slow queries hold them all and the seedcheck pages would queue behind. The
plugin's pages instead run on `Readers`: threads of their own, each with its own
connection to the immutable database file. A build may replace the file while it is served:
the new file gets new readers, and the old ones close their connections (so the replaced
file's space is freed) once its `Database` is gone and their work in flight is done.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
THREADS = 2
_LOCK = threading.Lock()


class Readers:
    """Threads with one read-only connection each to `path`."""

    def __init__(self, path: Path | str, threads: int = THREADS):
        self.uri = f"{Path(path).resolve().as_uri()}?immutable=1"
        self.local = threading.local()
        self.opened: list[sqlite3.Connection] = []
        self.pool = ThreadPoolExecutor(threads, thread_name_prefix="seedcheck-pages")

    @classmethod
    def of(cls, db) -> Readers:
        """The readers of a database Datasette serves (its `Database`, which has a `path`):
        made at first use; closed when that `Database` goes (a build replaced its file)."""
        found = getattr(db, "seedcheck_readers", None)
        if found is None:
            with _LOCK:
                found = getattr(db, "seedcheck_readers", None)
                if found is None:
                    found = db.seedcheck_readers = cls(db.path)
                    weakref.finalize(db, found.close).atexit = False
        return found

    def close(self) -> None:
        """Take no more work; close the connections once the work in flight is done."""
        def finish() -> None:
            self.pool.shutdown(wait=True)
            for conn in self.opened:
                conn.close()
        threading.Thread(target=finish, daemon=True).start()

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.uri, uri=True, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.text_factory = lambda data: str(data, "utf-8", "replace")
            conn.execute("PRAGMA query_only = 1")
            self.local.conn = conn
            self.opened.append(conn)
        return conn

    async def run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """`fn(connection)` on one of these threads."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.pool, lambda: fn(self._connection()))
