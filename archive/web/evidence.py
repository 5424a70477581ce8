"""Evidence a reporter can cite: a citation line, the memento link, failures in plain words.

Plain functions over rows of the database (dicts), used by the compare page, the per-seed
reports (`archive.web.report`) and `seedcheck report`.
"""

from __future__ import annotations

import re
from collections import Counter

from archive.seeds.findings import seed_findings
from archive.warc.failures import MEANINGS, NETWORK, NEXT_STEP, meaning

MOVE_ROLES = ("original", "repost")      # roles whose URL dates say when the seed's text ran


def memento(capture: dict | None) -> str | None:
    """The archive's own URL of an archived capture (where a reader can check it)."""
    if not capture or capture.get("source") != "archive":
        return None
    fetched = capture.get("fetched_url")
    return fetched if fetched and fetched != capture.get("url") else None


def citation(seed: dict, comparison: dict | None, capture: dict | None) -> str | None:
    """One line to paste into a story or a note: what was compared with what, and where."""
    if not comparison or not capture:
        return None
    who = (f"{capture['archive']} capture" if capture.get("source") == "archive"
           else "live capture by seedcheck")
    parts = [f"Seed {seed['id']} ({_quoted(seed.get('title'))}) compared with "
             f"{comparison.get('url')}: {comparison.get('verdict')}",
             f"{who} of {capture.get('url')} at {capture.get('captured_at')}"]
    link = memento(capture)
    if link:
        parts.append(f"memento {link}")
    parts.append(f"WARC {capture.get('warc_file')} offset {capture.get('warc_offset')}, "
                 f"record {capture.get('record_id')}, payload {capture.get('payload_digest')}")
    return "; ".join(parts) + "."


def _quoted(title: str | None) -> str:
    return f"“{title}”" if title else "untitled"


def own_findings(seed: dict, originals: list[dict]) -> list[dict]:
    """The seed's findings about itself (`archive.seeds.findings`), as dicts for pages."""
    urls = [o["url"] for o in originals if o.get("role") in MOVE_ROLES]
    return [f.to_dict() for f in seed_findings(seed.get("raw") or seed.get("body") or "",
                                               seed.get("published"), urls)]


def failures(errors: list[dict], captured: int,
             subject: str = "this seed's original pages") -> dict | None:
    """Why a seed has nothing to compare, in words, with the next step; None if it has."""
    if captured or not errors:
        return None
    kinds = Counter(e.get("error") or "other" for e in errors)
    offline = set(kinds) <= NETWORK
    lines = [f"None of {subject} could be fetched, live or from a web "
             f"archive ({len(errors)} failed fetch{'es' if len(errors) != 1 else ''})."]
    if offline:
        lines.append("Every fetch failed on the network (" + ", ".join(sorted(kinds))
                     + "): the computer that ran the crawl most likely had no internet "
                     "connection. Unchecked means not checked yet, not unfaithful.")
    else:
        lines += [f"{kind}: {MEANINGS.get(kind, MEANINGS['other'])}" for kind in sorted(kinds)]
    return {"offline": offline, "lines": lines, "next": NEXT_STEP}


def plain_errors(errors: list[dict]) -> list[dict]:
    """Failed fetches with their meaning in words (`meaning`), internal phrasing left out."""
    out = []
    for error in errors:
        detail = _internal(error.get("detail"))
        out.append({**error, "meaning": meaning(error.get("error"), detail)})
    return out


INTERNAL = re.compile(r"\s*\(see `reason`\)|did not resolve earlier in this crawl")


def _internal(detail: str | None) -> str | None:
    """The crawler's detail without the crawl's internal words."""
    if not detail:
        return None
    return INTERNAL.sub("did not resolve", detail).strip() or None
