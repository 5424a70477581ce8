"""What one query may cost the server: bounds set on every connection Datasette opens.

Datasette's own settings bound a query's time (`sql_time_limit_ms`) and its row count
(`max_returned_rows`), but not its size: `select zeroblob(300000000)` or a recursive CTE
repeating a long text a thousand times builds gigabytes before any row limit applies. Here
SQLite refuses any string or blob longer than `MAX_VALUE` (the allocation never happens),
and a row factory counts the bytes each cursor has handed over and stops the query once
they pass `MAX_RESULT`, so one answer holds at most a few tens of MB whatever is asked.
"""

from __future__ import annotations

import sqlite3
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

MAX_VALUE = 16 * 1024 * 1024        # longest string or blob a query may make or read
MAX_RESULT = 32 * 1024 * 1024       # bytes of values one query may return
MAX_SQL = 100_000                   # characters of SQL text
# SQLite instructions between two looks at the clock (about 10 ms of work). Datasette looks
# every 1,000: each look takes the GIL, and two slow queries asking for it that often leave
# the thread that renders pages a sliver of it (a 10 ms page took a second).
CLOCK_EVERY = 100_000


@contextmanager
def time_limit(conn: sqlite3.Connection, ms: float) -> Iterator[None]:
    """Interrupt a query still running `ms` milliseconds from now (Datasette's time limit,
    looking at the clock less often)."""
    deadline = time.perf_counter() + ms / 1000
    conn.set_progress_handler(lambda: time.perf_counter() >= deadline, CLOCK_EVERY)
    try:
        yield
    finally:
        conn.set_progress_handler(None, CLOCK_EVERY)


class ResultTooLarge(sqlite3.DatabaseError):
    """A query whose rows add up to more than MAX_RESULT bytes (shown to the user as its error)."""


def bound(conn: sqlite3.Connection) -> None:
    """Set the bounds on a connection Datasette prepared (its row factory is sqlite3.Row)."""
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE)
    conn.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, MAX_SQL)
    conn.row_factory = _Budget(conn.row_factory or sqlite3.Row)


class _Budget:
    """A row factory that counts each cursor's bytes and stops it past MAX_RESULT."""

    def __init__(self, make_row):
        self.make_row = make_row
        self.spent: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def __call__(self, cursor: sqlite3.Cursor, values: tuple):
        size = sum(len(v) for v in values if isinstance(v, str | bytes)) + 8 * len(values)
        total = self.spent.get(cursor, 0) + size
        if total > MAX_RESULT:
            self.spent.pop(cursor, None)
            raise ResultTooLarge(
                f"query result over {MAX_RESULT // (1024 * 1024)} MB: ask for fewer rows "
                "or shorter values")
        self.spent[cursor] = total
        return self.make_row(cursor, values)
