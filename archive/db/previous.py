"""The previous build's database as the next build sees it, before deciding to build at all."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from archive.db.schema import NOT_COMPARABLE, SCHEMA_VERSION


def unchanged_build(path: Path, inputs: str, extractor: str, engine: str) -> dict | None:
    """The `builds` row of the database at `path` (with its row counts and its problems) when
    it was built by this schema from the inputs with digest `inputs`, and every text and
    comparison in it was made by these extractor and engine versions; otherwise None."""
    if not Path(path).is_file():
        return None
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        conn.row_factory = sqlite3.Row
        row = conn.execute("SELECT * FROM builds ORDER BY id DESC LIMIT 1").fetchone()
        if row is None or row["schema_version"] != SCHEMA_VERSION or row["inputs"] != inputs:
            return None
        stale = conn.execute(
            "SELECT EXISTS (SELECT 1 FROM texts WHERE extractor_version != ?) OR EXISTS "
            "(SELECT 1 FROM comparisons WHERE extractor_version != ? OR compare_version != ?)",
            [extractor, extractor, engine]).fetchone()[0]
        if stale:
            return None
        found = dict(row)
        found["compared_rows"] = conn.execute(
            "SELECT count(*) FROM comparisons WHERE verdict != ?", [NOT_COMPARABLE]).fetchone()[0]
        for table in ("seeds", "captures", "texts", "comparisons", "changes"):
            found[f"{table}_rows"] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        found["problem_rows"] = [dict(r) for r in conn.execute(
            "SELECT file, problem, line, [offset] FROM build_problems ORDER BY id")]
        return found
    except sqlite3.Error:
        return None
    finally:
        conn.close()
