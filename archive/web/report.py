"""A seed's report to share: the compare page's facts as JSON, Markdown or standalone HTML.

`seed_report` reads one seed's page (`archive.web.pages.compare`) and keeps what a reader needs
to check the verdict: the seed, what it says about itself, the verdict with its findings and
changes, every capture with its verdict, failed fetches in words, and the evidence with its
citation line. `/-/seedcheck/seed/ID.json` and `.md` serve it, `seedcheck report` prints it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from archive.web import pages

SEED_KEYS = ("id", "title", "publication", "author", "published", "word_count", "file", "sha256")
COMPARISON_KEYS = ("verdict", "reason", "coverage", "added", "changed", "url", "final_url",
                   "role", "source", "archive", "captured_at", "status", "best_cause",
                   "best_reason", "compare_version")
CAPTURE_KEYS = ("record_id", "record_type", "url", "fetched_url", "source", "archive",
                "captured_at", "status", "content_type", "payload_digest", "warc_file",
                "warc_offset", "warc_length", "ip_address")
CHOICE_KEYS = ("url", "final_url", "role", "source", "archive", "captured_at", "status",
               "verdict", "coverage", "best", "record_id")
CHANGE_KEYS = ("position", "kind", "severity", "category", "seed_words", "original_words")
SEVERITY = {"high": 0, "medium": 1, "low": 2}
TEMPLATES = Path(__file__).resolve().parent / "templates"


def seed_report(conn: sqlite3.Connection, seed_id: str, links: pages.Links,
                record_id: str | None = None) -> dict | None:
    """The report of a seed (against one capture: the best unless `record_id`), or None."""
    page = pages.compare(conn, seed_id, record_id, links)
    if page is None:
        return None
    comparison, capture = page["comparison"], page["capture"]
    return {
        "seed": {k: page["seed"].get(k) for k in SEED_KEYS},
        "page": links.compare(seed_id),
        "in_the_seed": page["own"],
        "comparison": _pick(comparison, COMPARISON_KEYS) if comparison else None,
        "findings": (comparison or {}).get("findings") or [],
        "additions": (comparison or {}).get("additions") or [],
        "changes": sorted((_pick(d, CHANGE_KEYS) for d in page["differences"]),
                          key=lambda d: (SEVERITY.get(d["severity"], 3), d["position"] or 0)),
        "captures": [_pick(c, CHOICE_KEYS) for c in page["choices"]],
        "failed_fetches": [{k: e.get(k) for k in ("time", "url", "error", "meaning")}
                           for e in page["errors"]],
        "why_unchecked": page["failure"],
        "evidence": ({**_pick(capture, CAPTURE_KEYS), "memento": page["memento"],
                      "archived_page": page.get("raw_href")} if capture else None),
        "citation": page["citation"],
    }


def _pick(row: dict, keys: tuple[str, ...]) -> dict:
    return {k: row.get(k) for k in keys}


def _percent(value: float | None) -> str:
    return pages.percent(value)


def to_markdown(report: dict) -> str:
    """The report as Markdown: headings, lists and a table of changes, for notes and tickets."""
    seed, cmp = report["seed"], report["comparison"]
    out = [f"# {seed['title'] or seed['id']}", "",
           f"Seed `{seed['id']}` · {seed['publication'] or 'publication unknown'} · "
           f"{seed['published'] or 'date unknown'} · {seed['word_count']} words", ""]
    if cmp:
        reason = pages.reason_text(cmp["verdict"], cmp["reason"])
        out += [f"**Verdict: {cmp['verdict']}.** {reason}", "",
                f"- {_percent(cmp['coverage'])} of the original's words are in the seed",
                f"- {_percent(cmp['added'])} of the seed's words are not in the original",
                f"- compared with {cmp['final_url'] or cmp['url']} ({cmp['source']}"
                f"{', ' + cmp['archive'] if cmp['archive'] else ''}, {cmp['captured_at']})", ""]
        out += [f"- {f.get('verdict') or f.get('kind')}: {f.get('detail') or f.get('reason')}"
                for f in report["findings"] if isinstance(f, dict) and len(report["findings"]) > 1]
    else:
        out += ["**Unchecked:** no capture of an original could be compared.", ""]
        out += (report["why_unchecked"] or {}).get("lines", [])
    if report["in_the_seed"]:
        out += ["", "## In the seed itself", ""]
        out += [f"- {f['summary']} ({f['where']}: “{f['evidence']}”)"
                for f in report["in_the_seed"]]
    if report["additions"]:
        out += ["", "## Added by the seed (not on the original page)", ""]
        out += [f"- {'inside the body' if a['inside'] else a['where'] + ' the article'}"
                f"{', ' + a['label'] if a.get('label') else ''}, {a['words']} words: "
                f"“{_cell(a['text'])[:240]}”" for a in report["additions"]]
    if report["changes"]:
        out += ["", "## Changes, most serious first", "",
                "| severity | category | original | seed |", "| --- | --- | --- | --- |"]
        out += [f"| {c['severity']} | {c['category']} | {_cell(c['original_words'])} | "
                f"{_cell(c['seed_words'])} |" for c in report["changes"]]
    if report["failed_fetches"]:
        out += ["", "## Failed fetches", ""]
        out += [f"- {e['time']} {e['url']}: {e['meaning']}" for e in report["failed_fetches"]]
    if report["citation"]:
        out += ["", "## Evidence", "", f"> {report['citation']}", ""]
    return "\n".join(out).rstrip() + "\n"


def _cell(text: str | None) -> str:
    return (text or "∅").replace("|", "\\|").replace("\n", " ")


def to_html(report: dict) -> str:
    """The report as one standalone HTML page (no script, no external loads)."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape())
    return env.get_template("seedcheck_report.html").render(report=report,
                                                            percent=_percent)


class ReportError(Exception):
    """No report: the database or the seed is missing; the message says which."""


FORMATS = ("md", "json", "html")


def report_file(db_path: Path, seed_id: str, format: str = "md",
                record_id: str | None = None) -> str:
    """A seed's report from a built database file, as Markdown, JSON or HTML text."""
    import json

    if not db_path.is_file():
        raise ReportError(f"{db_path}: database not found; build it with `seedcheck build`")
    conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        found = seed_report(conn, seed_id, CLI_LINKS, record_id)
    except sqlite3.DatabaseError as exc:
        raise ReportError(f"{db_path}: cannot read the database: {exc}") from exc
    finally:
        conn.close()
    if found is None:
        raise ReportError(f"{db_path}: no seed {seed_id!r} (`seedcheck check` lists them)")
    if format == "json":
        return json.dumps(found, indent=2, ensure_ascii=False)
    return to_html(found) if format == "html" else to_markdown(found)


# Paths of the pages as `seedcheck serve` publishes them, for reports made in a terminal.
CLI_LINKS = pages.Links(
    home="/-/seedcheck",
    compare=lambda seed_id, record_id=None: f"/-/seedcheck/seed/{seed_id}",
    raw=lambda record_id: f"/-/seedcheck/raw/{pages.bare_id(record_id)}",
    table=lambda name: f"/seedcheck/{name}",
)
