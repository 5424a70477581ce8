"""`seedcheck export --wacz FILE`: the archive and the finding in one WACZ 1.1.1 package.

py-wacz does the web-archive part, as ReplayWeb.page and `wacz validate` expect it: its
`WACZIndexer` (cdxj-indexer underneath) writes the CDXJ index (`indexes/index.cdx.gz` with its
`index.idx`), hashes every file into `datapackage.json` (sha256) and writes
`datapackage-digest.json`. seedcheck adds what only it knows: `pages/pages.jsonl`, one page per
capture a seed was compared with, with the title and text trafilatura extracted (ReplayWeb.page
searches it), and its evidence beside the archive: `seedcheck/seeds.json` (the seeds with every
comparison, verdict and difference, as `seedcheck check --json` prints them) and
`seedcheck/export.json` (what was exported, from where). The WARCs go in unchanged and
uncompressed by ZIP (they are gzip already; replay reads them by offset).
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any  # the open database (sqlite-utils is imported by archive.db only)

from wacz.waczindexer import WACZIndexer

from archive import __version__
from archive.db.store import DatabaseError, open_database, seed_report
from archive.layout import DataDir

INDEX_LINES = 1024     # CDXJ lines per compressed block, as ArchiveWeb.page and py-wacz use
WARC_SUFFIXES = (".warc.gz", ".warc")


class ExportError(Exception):
    """Nothing could be exported: no database, an unknown seed, no WARC to package."""


@dataclass(frozen=True)
class ExportOptions:
    data_dir: Path
    output: Path
    seed_ids: tuple[str, ...] = ()      # none: every seed and every WARC file


@dataclass
class ExportSummary:
    output: Path
    seeds: int = 0
    pages: int = 0
    warc_files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def export_wacz(options: ExportOptions) -> ExportSummary:
    """Write the WACZ to a temporary file beside `output`, then put it in place."""
    data_dir = Path(options.data_dir)
    database = DataDir(data_dir).database
    try:
        seeds = seed_report(database)
        db = open_database(database)
    except DatabaseError as exc:
        raise ExportError(str(exc)) from exc
    seeds = _chosen(seeds, options.seed_ids)
    summary = ExportSummary(Path(options.output), seeds=len(seeds))
    try:
        pages = _pages(db, seeds)
        files = _warc_files(db, data_dir, seeds, options.seed_ids, summary)
    finally:
        db.close()
    if not files:
        raise ExportError(
            f"{data_dir}: no WARC file holds a capture of {', '.join(options.seed_ids)}'s "
            "originals" if options.seed_ids else
            f"{data_dir}: no WARC file to export (run `seedcheck crawl` first)")
    summary.pages = len(pages)
    summary.warc_files = [f.name for f in files]
    temporary = summary.output.with_name(f".{summary.output.name}.part")
    try:
        _write(temporary, files, pages, seeds, options)
        os.replace(temporary, summary.output)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise ExportError(f"{summary.output}: cannot write the WACZ ({exc})") from exc
    return summary


def _chosen(seeds: list[dict], wanted: tuple[str, ...]) -> list[dict]:
    if not wanted:
        return seeds
    known = {s["id"]: s for s in seeds}
    unknown = [w for w in wanted if w not in known]
    if unknown:
        raise ExportError(f"no seed {', '.join(unknown)} in the database "
                          f"(known: {', '.join(sorted(known)) or 'none'})")
    return [known[w] for w in dict.fromkeys(wanted)]


def _pages(db: Any, seeds: list[dict]) -> list[dict]:
    """One page per capture compared with a seed: URL, time, title and extracted text."""
    ids = list(dict.fromkeys(c["record_id"] for s in seeds for c in s["comparisons"]))
    pages = []
    for row in _in(db, "SELECT c.record_id, c.url, c.captured_at, t.title, t.text "
                       "FROM captures c LEFT JOIN texts t ON t.record_id = c.text_record_id "
                       "WHERE c.record_id IN ({}) ORDER BY c.captured_at, c.url", ids):
        page = {"id": row["record_id"].strip("<>").removeprefix("urn:uuid:"),
                "url": row["url"], "ts": row["captured_at"], "title": row["title"] or row["url"]}
        if row["text"]:
            page["text"] = row["text"]
        pages.append(page)
    return pages


def _in(db: Any, sql: str, values: list[str]) -> list[dict]:
    """`sql` with its one `IN ({})` filled for `values`, in batches SQLite accepts."""
    rows: list[dict] = []
    for start in range(0, len(values), 500):
        batch = values[start:start + 500]
        rows += db.query(sql.format(", ".join("?" * len(batch))), batch)
    return rows


def _warc_files(db: Any, data_dir: Path, seeds: list[dict], wanted: tuple[str, ...],
                summary: ExportSummary) -> list[Path]:
    """Every WARC file (none chosen), or those holding what the chosen seeds were compared
    with: the pages, the records their revisits refer to and their redirect hops."""
    if not wanted:
        names = [r["warc_file"] for r in db.query("SELECT DISTINCT warc_file FROM captures")]
    else:
        ids = [c["record_id"] for s in seeds for c in s["comparisons"]]
        urls = [u for s in seeds for c in s["comparisons"] for u in (c["redirects"] or [])]
        names = [r["warc_file"] for sql, values in (
            ("SELECT warc_file FROM captures WHERE record_id IN ({})", ids),
            ("SELECT warc_file FROM captures WHERE record_id IN "
             "(SELECT refers_to FROM captures WHERE record_id IN ({}))", ids),
            ("SELECT warc_file FROM captures WHERE url IN ({})", urls),
        ) for r in _in(db, sql, values)]
    return _existing(data_dir, sorted(set(names)), summary)


def _existing(data_dir: Path, names: Iterable[str], summary: ExportSummary) -> list[Path]:
    found, data = [], DataDir(data_dir)
    for name in names:
        imported = name.removeprefix(f"{data.imports.name}/")
        path = data.imports / imported if imported != name else data.warcs / name
        if not name.lower().endswith(WARC_SUFFIXES):
            summary.notes.append(f"{name}: not a WARC file (an ARC or a WACZ): left out")
        elif not path.is_file():
            summary.notes.append(f"{path}: in the database but not on disk: left out")
        else:
            found.append(path)
    return found


def _write(target: Path, files: list[Path], pages: list[dict], seeds: list[dict],
           options: ExportOptions) -> None:
    now = datetime.now(UTC).timetuple()[:6]
    with zipfile.ZipFile(target, "w") as package:
        for path in files:
            package.write(path, f"archive/{path.name}", compress_type=zipfile.ZIP_STORED)
        indexer = _index(package, files, now)
        _text(package, "pages/pages.jsonl", "".join(
            json.dumps(line, ensure_ascii=False) + "\n" for line in _page_lines(pages)), now)
        _text(package, "seedcheck/seeds.json", json.dumps(seeds, indent=1, ensure_ascii=False),
              now)
        _text(package, "seedcheck/export.json", json.dumps({
            "software": f"seedcheck {__version__}", "seeds": [s["id"] for s in seeds],
            "seeds_chosen": list(options.seed_ids), "warc_files": [f.name for f in files],
            "pages": len(pages)}, indent=1), now)
        described = SimpleNamespace(title=f"seedcheck: {len(seeds)} seed(s) and their originals",
                                    desc="Archived originals of the seeds, with seedcheck's "
                                         "verdicts and comparisons in seedcheck/",
                                    date=None)
        datapackage = json.loads(indexer.generate_datapackage(described, package))
        if pages:
            datapackage.update(mainPageURL=pages[0]["url"], mainPageDate=pages[0]["ts"])
        body = json.dumps(datapackage, indent=2).encode()
        _text(package, "datapackage.json", body, now)
        _text(package, "datapackage-digest.json",
              indexer.generate_datapackage_digest(body), now)


def _index(package: zipfile.ZipFile, files: list[Path], now: tuple) -> WACZIndexer:
    """indexes/index.cdx.gz (stored: it is gzip blocks) and its index.idx, by py-wacz."""
    idx = io.BytesIO()
    lines = io.TextIOWrapper(idx, "utf-8", write_through=True)
    with package.open(zipfile.ZipInfo("indexes/index.cdx.gz", now), "w") as blocks:
        indexer = WACZIndexer(
            lines, [str(f) for f in files], sort=True, post_append=True, compress=blocks,
            lines=INDEX_LINES, digest_records=True, fields="referrer",
            data_out_name="index.cdx.gz", hash_type="sha256", main_url=None,
            detect_pages=False, extract_text=False, passed_pages_dict={})
        indexer.process_all()
    _text(package, "indexes/index.idx", idx.getvalue(), now)
    return indexer


def _page_lines(pages: list[dict]) -> Iterable[dict]:
    yield {"format": "json-pages-1.0", "id": "pages", "title": "Originals of the seeds",
           "hasText": any("text" in p for p in pages)}
    yield from pages


def _text(package: zipfile.ZipFile, name: str, data: str | bytes, now: tuple) -> None:
    entry = zipfile.ZipInfo(name, now)
    entry.compress_type = zipfile.ZIP_DEFLATED
    package.writestr(entry, data)
