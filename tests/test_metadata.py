"""metadata.yml against the schema of a real build, both ways, and its canned queries run.

Documented: every table, view and column of the database, and the two full-text tables
(`seeds_fts`, `texts_fts`). Not documented: SQLite's own tables (`sqlite_stat1`, …) and the
shadow tables FTS5 keeps for each full-text table (`<fts>_data`, `_idx`, `_docsize`,
`_config`, `_content`): they are storage, not data anyone reads.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
METADATA = yaml.safe_load((ROOT / "metadata.yml").read_text())
DATABASE = METADATA["databases"]["seedcheck"]
TABLES = DATABASE["tables"]
QUERIES = DATABASE["queries"]
SHADOW = re.compile(r"^(?P<fts>\w+_fts)_(data|idx|docsize|config|content)$")


@pytest.fixture(scope="module")
def db(seedcheck_data):
    path = seedcheck_data.data_dir / "seedcheck.db"
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


def schema(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """Tables and views anyone reads, with their columns (SQLite internals and FTS storage out)."""
    names = [r[0] for r in conn.execute(
        "select name from sqlite_master where type in ('table', 'view') order by name")]
    fts = {n for n in names if n.endswith("_fts")}
    out = {}
    for name in names:
        shadow = SHADOW.match(name)
        if name.startswith("sqlite_") or (shadow and shadow["fts"] in fts):
            continue
        out[name] = [r[1] for r in conn.execute(f"pragma table_info([{name}])")]
    return out


def test_every_table_and_column_of_the_build_is_documented(db):
    real = schema(db)
    assert {"seeds", "comparisons", "captures", "seeds_fts", "texts_fts"} <= set(real)
    for name, columns in real.items():
        assert name in TABLES, f"table {name} is not described in metadata.yml"
        assert TABLES[name]["description"].strip(), name
        documented = TABLES[name].get("columns", {})
        for column in columns:
            assert (documented.get(column) or "").strip(), f"{name}.{column} has no description"


def test_nothing_documented_is_missing_from_the_build(db):
    real = schema(db)
    for name, spec in TABLES.items():
        assert name in real, f"metadata.yml describes table {name}, which the build does not create"
        for column in spec.get("columns", {}):
            assert column in real[name], f"metadata.yml describes {name}.{column}, which does not exist"
        for key in ("sort", "sort_desc", "label_column"):
            if key in spec:
                assert spec[key] in real[name], f"{name}: {key} {spec[key]} is not a column"
        for facet in spec.get("facets", []):
            assert facet in real[name], f"{name}: facet {facet} is not a column"


def test_only_fts_storage_and_sqlite_internals_are_left_out(db):
    every = {r[0] for r in db.execute("select name from sqlite_master where type in ('table', 'view')")}
    left_out = every - set(schema(db))
    assert left_out, "the build has FTS tables, so it has their shadow tables"
    for name in left_out:
        shadow = SHADOW.match(name)
        assert name.startswith("sqlite_") or (shadow and shadow["fts"] in TABLES), name


def test_metadata_is_generated_from_the_current_schema():
    result = subprocess.run([sys.executable, "-m", "cogapp", "--check", "metadata.yml"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, "metadata.yml is out of date: run `make docs`\n" + result.stderr


def run(db: sqlite3.Connection, name: str, **params: str) -> list[dict]:
    return [dict(r) for r in db.execute(QUERIES[name]["sql"], params)]


def test_every_canned_query_has_a_title_and_runs(db):
    assert set(QUERIES) == {"least_faithful", "unreachable_originals", "changed_originals",
                            "captures_over_time", "changes_since"}
    for name, query in QUERIES.items():
        assert query["title"] and query["description"], name
        params = dict.fromkeys(re.findall(r":(\w+)", query["sql"]), "")
        db.execute(query["sql"], params).fetchall()


def test_least_faithful_puts_the_worst_verdicts_first(db, seedcheck_data):
    rows = run(db, "least_faithful")
    assert {r["seed_id"]: r["verdict"] for r in rows} == seedcheck_data.verdicts
    order = ["different", "altered", "padded", "excerpt", "faithful"]
    ranks = [order.index(r["verdict"]) for r in rows]
    assert ranks == sorted(ranks)


def test_unreachable_originals_names_the_failure(db):
    rows = run(db, "unreachable_originals")
    failed = [r for r in rows if r["last_error"] == "dns"]
    assert len(failed) == 1 and failed[0]["archived_copies"] == 0
    assert failed[0]["url"].startswith("https://patriotnews.test/")
    # An original fetched only from a web archive is listed, with its archived copy.
    assert any(r["archived_copies"] == 1 and r["last_error"] is None for r in rows)


def test_changed_originals_finds_the_corrected_page(db, seedcheck_data):
    rows = run(db, "changed_originals")
    altered_url = db.execute("select url from originals where seed_id = ?",
                             [seedcheck_data.altered]).fetchone()[0]
    assert [r["url"] for r in rows] == [altered_url]
    assert rows[0]["payload_versions"] == 2 and rows[0]["text_versions"] == 2
    assert seedcheck_data.altered in rows[0]["seed_ids"]


def test_captures_over_time_lists_one_url_oldest_first(db, seedcheck_data):
    url = db.execute("select url from originals where seed_id = ?",
                     [seedcheck_data.altered]).fetchone()[0]
    rows = run(db, "captures_over_time", url=url)
    assert [r["source"] for r in rows] == ["archive", "live"]
    assert rows[0]["captured_at"] < rows[1]["captured_at"]
    assert len(run(db, "captures_over_time", url="")) > len(rows)
