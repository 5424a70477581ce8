"""Full-text search over the seeds and the archived pages' texts, with snippets.

`/-/seedcheck/search?q=…` lists matching seeds and archived texts, each with the passage that
matched and a link to the compare page (a text links to the seeds compared with its capture).
The words a visitor types are searched as plain words: FTS5 operators are not interpreted, so
no query is an error. Snippets come back as segments; the template escapes and marks them.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from archive.web.pages import Links, verdict_class

LIMIT = 20           # results per section: each one costs a snippet (a pass over its text)
START, END = "\x02", "\x03"              # marks around matched words in FTS5 snippets
WORD = re.compile(r"\w+", re.UNICODE)

# The best LIMIT matches by rank first, then snippets of those only: a snippet costs a pass over
# its document, and a common word matches tens of thousands of them.
SEEDS_SQL = f"""
with top as (select rowid as id, rank from seeds_fts where seeds_fts match ?1
  order by rank limit {LIMIT})
select s.id, s.title, snippet(seeds_fts, 1, '{START}', '{END}', '…', 24) as snippet,
  c.verdict
from top cross join seeds_fts on seeds_fts.rowid = top.id and seeds_fts match ?1
join seeds s on s.rowid = top.id
left join comparisons c on c.seed_id = s.id and c.best = 1
order by top.rank
"""
TEXTS_SQL = f"""
with top as (select rowid as id, rank from texts_fts where texts_fts match ?1
  order by rank limit {LIMIT})
select t.record_id, t.title, snippet(texts_fts, 1, '{START}', '{END}', '…', 24) as snippet,
  (select url from captures k where k.text_record_id = t.record_id limit 1) as url,
  (select captured_at from captures k where k.text_record_id = t.record_id
    order by captured_at limit 1) as captured_at
from top cross join texts_fts on texts_fts.rowid = top.id and texts_fts match ?1
join texts t on t.rowid = top.id
order by top.rank
"""


def fts_query(text: str) -> str | None:
    """The visitor's words as an FTS5 query of quoted terms (all must match); None if none."""
    words = WORD.findall(text)[:20]
    return " ".join(f'"{w}"' for w in words) or None


def segments(snippet: str | None) -> list[tuple[str, bool]]:
    """A snippet as (text, matched) pieces."""
    out: list[tuple[str, bool]] = []
    for piece in re.split(f"({START}[^{END}]*{END})", snippet or ""):
        if piece.startswith(START):
            out.append((piece[1:-1], True))
        elif piece:
            out.append((piece, False))
    return out


def search(conn: sqlite3.Connection, text: str, links: Links) -> dict[str, Any]:
    query = fts_query(text)
    page: dict[str, Any] = {"q": text, "seeds": [], "texts": [], "links": links}
    if query is None:
        return page
    for row in _rows(conn, SEEDS_SQL, query):
        row.update(href=links.compare(row["id"]), pieces=segments(row["snippet"]),
                   verdict_class=verdict_class(row["verdict"]))
        page["seeds"].append(row)
    for row in _rows(conn, TEXTS_SQL, query):
        compared = _rows(conn, "select seed_id, record_id, verdict from comparisons "
                               "where text_record_id = ? order by seed_id", row["record_id"])
        row["compared"] = [{**c, "href": links.compare(c["seed_id"], c["record_id"]),
                            "verdict_class": verdict_class(c["verdict"])} for c in compared]
        row["pieces"] = segments(row["snippet"])
        page["texts"].append(row)
    return page


def _rows(conn: sqlite3.Connection, sql: str, *params: Any) -> list[dict]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]
