"""The database schema (archive.db.store): the agreed tables and columns, documented, and its Store."""

import sqlite3

import pytest

from archive.db import store as db

# The tables and columns agreed in docs/interfaces.md: they may grow, never be renamed.
AGREED = {
    "seeds": "id file sha256 title subtitle byline author publication published word_count body raw",
    "originals": "id seed_id url role confidence score note",
    "captures": "record_id record_type url fetched_url source archive crawl_id captured_at status "
                "content_type payload_digest refers_to warc_file warc_offset warc_length truncated "
                "ip_address location",
    "texts": "record_id kind kind_reason title author date sitename language canonical_url text "
             "word_count extractor extractor_version",
    "comparisons": "id seed_id record_id url role source captured_at verdict reason coverage added "
                   "changed findings normalisation blocks best compare_version",
    "differences": "id comparison_id position kind severity category seed_words original_words",
    "fetch_errors": "id crawl_id time url seed_ids error detail status",
}


@pytest.fixture
def built(tmp_path):
    store = db.Store.create(tmp_path / "new.db")
    store.add("seeds", {"id": "s1", "title": "Putin and Venezuela", "body": "Lavrov met Pompeo in Helsinki."})
    store.add("captures", {"record_id": "<urn:uuid:1>", "record_type": "response", "url": "http://a.test/",
                           "warc_file": "a.warc.gz", "warc_offset": 0})
    store.add("texts", {"record_id": "<urn:uuid:1>", "kind": "article", "is_article": 1,
                        "title": "Helsinki talks", "text": "The ministers met in Helsinki.",
                        "extractor_version": "x 1"})
    store.add("warc_files", {"name": "a.warc.gz", "size": 10, "fingerprint": "f", "records": 1, "status": "ok"})
    store.add("builds", {"id": 1, "schema_version": db.SCHEMA_VERSION})
    store.finish()
    return tmp_path / "new.db"


def test_every_agreed_column_exists_with_its_primary_key(built):
    conn = sqlite3.connect(built)
    for table, columns in AGREED.items():
        info = conn.execute(f"PRAGMA table_info([{table}])").fetchall()
        names = {row[1] for row in info}
        assert set(columns.split()) <= names, (table, set(columns.split()) - names)
        assert [row[1] for row in info if row[5]] == [db.BY_NAME[table].pk]


def test_every_table_and_column_is_described():
    meta = db.metadata()["tables"]
    assert set(meta) == {t.name for t in db.TABLES}
    for table in db.TABLES:
        assert meta[table.name]["description"]
        assert set(meta[table.name]["columns"]) == set(table.names)
        assert all(len(doc) > 5 for doc in meta[table.name]["columns"].values()), table.name
    # a meaning that runs over two lines of the docstring is one description
    assert db.BY_NAME["texts"].columns[1].doc.endswith("home-page, pdf, image, binary, broken, too-large")


def test_full_text_search_on_seeds_and_texts(built):
    conn = sqlite3.connect(built)
    assert conn.execute("SELECT rowid FROM seeds_fts WHERE seeds_fts MATCH 'helsinki'").fetchall()
    hit = conn.execute(
        "SELECT texts.record_id FROM texts JOIN texts_fts ON texts.rowid = texts_fts.rowid "
        "WHERE texts_fts MATCH 'minister'").fetchall()  # porter stemming: ministers
    assert hit == [("<urn:uuid:1>",)]


def test_foreign_keys_link_captures_and_texts_both_ways(built):
    conn = sqlite3.connect(built)
    fks = {(r[2], r[3], r[4]) for r in conn.execute("PRAGMA foreign_key_list(captures)")}
    assert ("texts", "text_record_id", "record_id") in fks
    fks = {(r[2], r[3], r[4]) for r in conn.execute("PRAGMA foreign_key_list(texts)")}
    assert ("captures", "record_id", "record_id") in fks


def test_previous_database_is_reused_only_when_its_schema_matches(built, tmp_path):
    store = db.Store.create(tmp_path / "next.db")
    assert store.attach_previous(built) is None
    assert store.previous_warc_file("a.warc.gz", "f")["records"] == 1
    assert store.previous_warc_file("a.warc.gz", "changed") is None
    assert store.reuse_warc_file("a.warc.gz") == 1
    assert store.reuse_texts("a.warc.gz", "x 2") == 0           # another extractor version
    assert store.reuse_texts("a.warc.gz", "x 1") == 1
    store.finish()
    rows = sqlite3.connect(tmp_path / "next.db").execute("SELECT record_id, text FROM texts").fetchall()
    assert rows == [("<urn:uuid:1>", "The ministers met in Helsinki.")]

    conn = sqlite3.connect(built)
    conn.execute("UPDATE builds SET schema_version = 0")
    conn.commit()
    conn.close()
    again = db.Store.create(tmp_path / "again.db")
    assert "schema 0 is not" in again.attach_previous(built)
    assert again.previous_warc_file("a.warc.gz", "f") is None


def test_a_file_that_is_not_a_database_is_not_reused(tmp_path):
    junk = tmp_path / "seedcheck.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    store = db.Store.create(tmp_path / "new.db")
    assert "building from scratch" in store.attach_previous(junk)
    assert store.attach_previous(tmp_path / "missing.db") == "no previous database"


def test_report_names_the_missing_database(tmp_path):
    with pytest.raises(db.DatabaseError, match="run `seedcheck build` first"):
        db.seed_report(tmp_path / "seedcheck.db")
    (tmp_path / "junk.db").write_text("not a database")
    with pytest.raises(db.DatabaseError, match="not a seedcheck database"):
        db.seed_report(tmp_path / "junk.db")
