"""The derived database, `data/seedcheck.db`: creating it, and every read and write of it.

This is the only module that imports sqlite-utils. The tables, their columns and what each
column means are declared in `archive.db.schema` (re-exported here: `from archive.db.store import
TABLES` works). The database is derived: `seedcheck build` writes it from the seeds, the WARCs
and the crawl logs into a temporary file (`Store`) and swaps it in; nothing edits it
afterwards. `seed_report` reads a built database for `seedcheck check`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import sqlite_utils

from archive.db.schema import (
    BY_NAME,
    CAPTURES,
    LATE_FOREIGN_KEYS,
    NOT_COMPARABLE,
    SCHEMA_VERSION,
    TABLES,
    TEXTS,
    WARC_METADATA,
    Column,
    Table,
    metadata,
)
from archive.warc.urlkey import url_key

__all__ = ["BY_NAME", "NOT_COMPARABLE", "SCHEMA_VERSION", "TABLES", "Column", "DatabaseError",
           "Store", "Table", "metadata", "open_database", "seed_report"]

BATCH = 500
# A record copied into two WARC files has one row, the first read (the build reports it).
KEEP_FIRST = frozenset({"captures", "texts", "warc_metadata"})
# What the build fills in once every record and crawl-log line is in (see Store.link_captures).
LINKS = (
    # a response's text is its own; a revisit's is that of the record it refers to, or of a
    # response with the same payload when that record is not in the WARCs
    "UPDATE captures SET text_record_id = record_id WHERE record_type = 'response' "
    "AND record_id IN (SELECT record_id FROM texts)",
    "UPDATE captures SET text_record_id = refers_to WHERE record_type = 'revisit' "
    "AND refers_to IN (SELECT record_id FROM texts)",
    *(
        "UPDATE captures AS r SET text_record_id = (SELECT c.record_id FROM captures c "
        "JOIN texts t ON t.record_id = c.record_id WHERE c.record_type = 'response' "
        f"AND c.payload_digest = r.payload_digest {same_url} ORDER BY c.captured_at LIMIT 1) "
        "WHERE r.record_type = 'revisit' AND r.text_record_id IS NULL "
        "AND r.payload_digest IS NOT NULL"
        for same_url in ("AND c.url = r.refers_to_url", "")
    ),
    # the crawl that fetched it: from its crawl-log line, else from the crawl that wrote its file
    "UPDATE captures SET crawl_id = (SELECT crawl_id FROM crawls "
    "WHERE crawls.record_id = captures.record_id ORDER BY id LIMIT 1)",
    "UPDATE captures SET crawl_id = (SELECT min(crawl_id) FROM crawls "
    "WHERE crawls.warc_file = captures.warc_file HAVING count(DISTINCT crawl_id) = 1) "
    "WHERE crawl_id IS NULL",
    # the archive named by the crawl log, when no metadata record named it
    "UPDATE captures SET archive = (SELECT archive FROM crawls "
    "WHERE crawls.record_id = captures.record_id AND archive IS NOT NULL LIMIT 1) "
    "WHERE source = 'archive' AND archive IS NULL",
)


class DatabaseError(Exception):
    """The database is missing, unreadable or not a seedcheck database."""


class Store:
    """A database being built: buffered inserts, and reads of the previous build (`prev`)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        conn = sqlite3.connect(self.path.resolve().as_uri(), uri=True)
        self.db = sqlite_utils.Database(conn)
        self.previous: Path | None = None
        self._buffers: dict[str, list[dict]] = {}

    @classmethod
    def create(cls, path: Path) -> Store:
        """A new database with every table of the schema (fast pragmas: it is a temp file)."""
        store = cls(path)
        store.db.execute("PRAGMA journal_mode = MEMORY")
        store.db.execute("PRAGMA synchronous = OFF")
        for table in TABLES:
            store.db[table.name].create(
                {c.name: c.type for c in table.columns},
                pk=table.pk,
                foreign_keys=[fk for fk in table.foreign_keys],
            )
        store.db.add_foreign_keys(LATE_FOREIGN_KEYS)
        for table in TABLES:    # before any row: every query of the build finds its index
            for columns in table.indexes:
                store.db[table.name].create_index(columns)
        return store

    # -- writing -------------------------------------------------------------------------------
    def add(self, table: str, row: dict) -> None:
        buffer = self._buffers.setdefault(table, [])
        buffer.append(row)
        if len(buffer) >= BATCH:
            self.flush(table)

    def flush(self, table: str | None = None) -> None:
        for name in [table] if table else list(self._buffers):
            rows = self._buffers.pop(name, [])
            if rows:
                self._insert(BY_NAME[name], rows)

    def _insert(self, spec: Table, rows: list[dict]) -> None:
        """One executemany per batch (sqlite-utils' insert_all costs more than the build's
        own work here); a column missing from a row is NULL, lists and dicts become JSON."""
        names = spec.names
        unknown = set().union(*rows) - set(names)
        if unknown:
            raise ValueError(f"{spec.name}: no column(s) {sorted(unknown)}")
        verb = "INSERT OR IGNORE" if spec.name in KEEP_FIRST else "INSERT"
        sql = (f"{verb} INTO [{spec.name}] ({', '.join(f'[{n}]' for n in names)}) "
               f"VALUES ({', '.join('?' * len(names))})")
        with self.db.conn:
            self.db.conn.executemany(sql, [[_cell(row.get(n)) for n in names] for row in rows])

    def execute(self, sql: str, params: Iterable | dict = ()) -> int:
        with self.db.conn:
            return self.db.execute(sql, params).rowcount

    def query(self, sql: str, params: Iterable | dict = ()) -> Iterator[dict]:
        self.flush()
        return self.db.query(sql, params)

    def count(self, table: str) -> int:
        self.flush(table)
        return self.db[table].count

    def finish(self) -> None:
        """Full-text search, then close: the file is ready to be swapped in."""
        self.flush()
        self.detach_previous()
        for table in TABLES:
            if table.fts:
                self.db[table.name].enable_fts(list(table.fts), tokenize="porter")
        self.db.execute("PRAGMA journal_mode = DELETE")
        self.db.conn.commit()
        self.db.execute("ANALYZE")
        self.db.close()

    # -- reading what this build wrote ---------------------------------------------------------
    def _rows(self, sql: str, params: Iterable | dict = ()) -> list[dict]:
        cursor = self.db.conn.execute(sql, params)    # sqlite3 itself: these run per seed
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def captures_of(self, url: str) -> list[dict]:
        """Responses and revisits of `url` (matched in SURT form), oldest first."""
        return self._rows("SELECT * FROM captures WHERE url_key = ? "
                          "ORDER BY captured_at, record_id", [url_key(url)])

    def capture(self, record_id: str) -> dict | None:
        rows = self._rows("SELECT * FROM captures WHERE record_id = ?", [record_id])
        return rows[0] if rows else None

    def crawl_finals(self, url: str) -> list[dict]:
        """Crawl-log lines of `url` that name the record their fetch ended on."""
        return self._rows("SELECT * FROM crawls WHERE url = ? AND outcome = 'fetched' "
                          "AND record_id IS NOT NULL ORDER BY id", [url])

    def originals_of(self, seed_id: str) -> list[dict]:
        return self._rows("SELECT * FROM originals WHERE seed_id = ? ORDER BY position",
                          [seed_id])

    def text_info(self, record_id: str | None) -> dict | None:
        """A `texts` row without its text."""
        rows = self._rows(
            "SELECT record_id, kind, kind_reason, is_article, word_count, extractor_version "
            "FROM texts WHERE record_id = ?", [record_id])
        return rows[0] if rows else None

    def texts_of(self, record_ids: list[str], column: str = "text") -> dict[str, str]:
        """Texts (or `page_text`s) by record id, in one query."""
        assert column in ("text", "page_text")
        marks = ", ".join("?" * len(record_ids))
        return dict(self.db.execute(
            f"SELECT record_id, {column} FROM texts WHERE record_id IN ({marks})", record_ids))

    def seed_texts(self) -> Iterator[tuple[str, str, str]]:
        """(id, sha256, body) of every seed in the order stored, a page at a time."""
        after = 0
        while True:
            self.flush("seeds")
            page = self.db.execute("SELECT rowid, id, sha256, body FROM seeds WHERE rowid > ? "
                                   "ORDER BY rowid LIMIT ?", [after, BATCH]).fetchall()
            yield from (row[1:] for row in page)
            if len(page) < BATCH:
                return
            after = page[-1][0]

    def records_without_text(self, warc_file: str) -> Iterator[dict]:
        """Captures of one WARC file that have no `texts` row yet, a page at a time."""
        offset = -1
        while True:
            self.flush()
            page = self._rows(
                "SELECT * FROM captures WHERE warc_file = ? AND warc_offset > ? AND record_id "
                "NOT IN (SELECT record_id FROM texts) ORDER BY warc_offset LIMIT ?",
                [warc_file, offset, BATCH])
            yield from page
            if len(page) < BATCH:
                return
            offset = page[-1]["warc_offset"]

    def verdict_counts(self) -> dict[str, int]:
        """Seeds per verdict of their best match ("unchecked": no best match), for the home page."""
        self.flush()
        return dict(self.db.execute(
            "SELECT coalesce(c.verdict, 'unchecked'), count(*) FROM seeds s LEFT JOIN comparisons "
            "c ON c.seed_id = s.id AND c.best = 1 GROUP BY 1 ORDER BY 1").fetchall())

    def link_captures(self, archive_name: Callable[[list], str | None]) -> None:
        """Fill what a capture learns from other records: its text, archive and crawl."""
        self.flush()
        after = 0
        while True:   # the archive a metadata record names, a page of records at a time
            page = self.db.conn.execute(
                "SELECT rowid, concurrent_to, fields FROM warc_metadata WHERE rowid > ? "
                "ORDER BY rowid LIMIT ?", [after, BATCH]).fetchall()
            named = [(archive_name(json.loads(fields or "[]")), record_id)
                     for _, record_id, fields in page]
            with self.db.conn:
                self.db.conn.executemany("UPDATE captures SET archive = ? WHERE record_id = ?",
                                         [pair for pair in named if pair[0]])
            if len(page) < BATCH:
                break
            after = page[-1][0]
        for sql in LINKS:
            self.execute(sql)

    # -- the previous build ----------------------------------------------------------------------
    def attach_previous(self, path: Path) -> str | None:
        """Read-only access to the previous database as `prev`; None, or why it is not used."""
        path = Path(path)
        if not path.exists():
            return "no previous database"
        try:
            self.db.execute(f"ATTACH DATABASE '{path.resolve().as_uri()}?mode=ro' AS prev")
        except sqlite3.DatabaseError as exc:
            return f"{path}: previous database unreadable ({exc}); building from scratch"
        try:
            row = self.db.execute("SELECT max(schema_version) FROM prev.builds").fetchone()
        except sqlite3.DatabaseError as exc:
            row = None
            why = f"{path}: not a seedcheck database ({exc}); building from scratch"
        else:
            why = f"{path}: schema {row[0]} is not {SCHEMA_VERSION}; building from scratch"
        if not row or row[0] != SCHEMA_VERSION:
            self.db.execute("DETACH DATABASE prev")
            return why
        self.previous = path
        return None

    def detach_previous(self) -> None:
        if self.previous is not None:
            self.db.conn.commit()
            self.db.execute("DETACH DATABASE prev")
            self.previous = None

    def previous_warc_file(self, name: str, fingerprint: str) -> dict | None:
        """The previous build's row of an unchanged WARC file."""
        if self.previous is None:
            return None
        rows = self.db.execute(
            "SELECT * FROM prev.warc_files WHERE name = ? AND fingerprint = ?", (name, fingerprint)
        )
        found = [dict(zip([d[0] for d in rows.description], r, strict=True)) for r in rows]
        return found[0] if found else None

    def reuse_warc_file(self, name: str) -> int:
        """Copy the captures and metadata records of an unchanged WARC file; returns captures."""
        self.flush()
        self._copy(WARC_METADATA, "warc_file = ?", (name,))
        return self._copy(CAPTURES, "warc_file = ?", (name,))

    def reuse_texts(self, warc_file: str, extractor_version: str) -> int:
        """Copy the texts of one WARC file's records made by the same extractor version."""
        self.flush()
        return self._copy(
            TEXTS,
            "extractor_version = ? AND record_id IN "
            "(SELECT record_id FROM prev.captures WHERE warc_file = ?)",
            (extractor_version, warc_file),
        )

    def reuse_text(self, record_id: str, extractor_version: str) -> bool:
        """Copy one record's text from the previous build, if it has it from this extractor."""
        if self.previous is None:
            return False
        return self._copy(TEXTS, "record_id = ? AND extractor_version = ?",
                          (record_id, extractor_version)) > 0

    def _copy(self, spec: Table, where: str, params: tuple) -> int:
        names = ", ".join(f"[{n}]" for n in spec.names)
        sql = (f"INSERT OR IGNORE INTO main.[{spec.name}] ({names}) "
               f"SELECT {names} FROM prev.[{spec.name}] WHERE {where}")
        return self.execute(sql, params)

    def previous_outcome(self, seed_id: str, body: str, rows: list[dict]
                         ) -> tuple[dict[int, tuple[dict, list[dict]]], tuple] | None:
        """The previous build's comparisons of exactly these versions of a seed (same seed bytes
        and parsed body, texts, extractor and engine), each with its differences, by the id of
        the row in `rows` it stands for; and its best match (id in `rows`, cause, reason)."""
        if self.previous is None or not rows:
            return None
        same = self.db.execute("SELECT body = ? FROM prev.seeds WHERE id = ?",
                               [body, seed_id]).fetchone()
        if not same or not same[0]:
            return None
        before = {_version_key(r): r for r in self._rows(
            "SELECT * FROM prev.comparisons WHERE seed_id = ? AND verdict != ?",
            [seed_id, NOT_COMPARABLE])}
        now = {_version_key(r): r["id"] for r in rows}
        best = next((r for r in before.values() if r["best"]), None)
        if set(before) != set(now) or best is None:
            return None
        ids = [r["id"] for r in before.values()]
        differences: dict[int, list[dict]] = {i: [] for i in ids}
        marks = ", ".join("?" * len(ids))
        for difference in self._rows(f"SELECT * FROM prev.differences WHERE comparison_id IN "
                                     f"({marks}) ORDER BY comparison_id, position", ids):
            differences[difference["comparison_id"]].append(difference)
        found = {row["id"]: (before[_version_key(row)],
                             differences[before[_version_key(row)]["id"]]) for row in rows}
        return found, (now[_version_key(best)], best["best_cause"], best["best_reason"])


def _cell(value: object) -> object:
    return json.dumps(value) if isinstance(value, list | dict | tuple) else value


def _version_key(row: dict) -> tuple:
    return tuple(row[k] for k in ("text_record_id", "url", "captured_at", "role", "source",
                                  "seed_sha256", "extractor_version", "compare_version"))


def open_database(path: Path) -> sqlite_utils.Database:
    """The built database, read-only; DatabaseError when there is none yet."""
    path = Path(path)
    if not path.is_file():
        raise DatabaseError(f"{path}: no database yet; run `seedcheck build` first")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        conn.execute("SELECT count(*) FROM comparisons").fetchone()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{path}: not a seedcheck database ({exc}); rebuild it") from None
    return sqlite_utils.Database(conn)


def seed_report(path: Path) -> list[dict]:
    """Per seed: its row, its best comparison's id and every comparison with its differences."""
    db = open_database(path)
    comparisons: dict[str, list[dict]] = {}
    for row in db.query("SELECT * FROM comparisons ORDER BY seed_id, best DESC, captured_at, id"):
        for column in ("findings", "additions", "normalisation", "blocks", "redirects"):
            row[column] = json.loads(row[column]) if row[column] else None
        row["differences"] = list(db.query(
            "SELECT kind, severity, category, seed_words, original_words, detail "
            "FROM differences WHERE comparison_id = ? ORDER BY position", [row["id"]]))
        for difference in row["differences"]:
            difference["detail"] = json.loads(difference["detail"] or "null")
        comparisons.setdefault(row["seed_id"], []).append(row)
    seeds = []
    for seed in db.query(
        "SELECT id, file, sha256, title, author, publication, published, word_count "
        "FROM seeds ORDER BY id"
    ):
        rows = comparisons.get(seed["id"], [])
        seed["best"] = next((r["id"] for r in rows if r["best"]), None)
        seed["comparisons"] = rows
        seeds.append(seed)
    db.close()
    return seeds
