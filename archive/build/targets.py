"""Which captures each seed is compared with: the pages its original URLs end on.

A seed names original URLs; each URL may have been captured many times (live, from web
archives, on several dates) and may redirect. Every capture of an original URL is followed to
the page it ends on, through the crawl log (`record_id` of the final response) and the WARC
`Location` headers, so a 301 → 200 chain compares the 200 page. A final page whose text is an
article is compared with the seed; any other (an error status, a consent wall, a redirect whose
target was never captured) gets a `not comparable` row saying why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urldefrag, urljoin

from archive.compare.engine import COMPARE_VERSION
from archive.db.store import NOT_COMPARABLE, Store


@dataclass(frozen=True)
class SeedText:
    """What a comparison needs of a seed (read back from the `seeds` table, a page at a time)."""

    id: str
    sha256: str
    text: str


MAX_HOPS = 10


@dataclass
class Target:
    """One comparison to store: a seed and the final page of one capture of an original URL."""

    id: int
    seed: SeedText
    original: dict                     # the `originals` row
    final: dict                        # the `captures` row of the page compared
    redirects: list[str] = field(default_factory=list)
    text: dict | None = None           # its `texts` row (without the text itself)

    def row(self) -> dict:
        f = self.final
        return {
            "id": self.id, "seed_id": self.seed.id, "record_id": f["record_id"],
            "text_record_id": f["text_record_id"], "original_id": self.original["id"],
            "url": self.original["url"], "final_url": f["url"],
            "redirects": json.dumps(self.redirects), "role": self.original["role"],
            "source": f["source"], "archive": f["archive"], "captured_at": f["captured_at"],
            "status": f["status"], "kind": self.text["kind"] if self.text else None,
            "verdict": NOT_COMPARABLE, "reason": None, "coverage": None, "added": None,
            "changed": None, "findings": None, "additions": None, "normalisation": None,
            "blocks": None,
            "best": 0, "best_cause": None, "best_reason": None, "seed_sha256": self.seed.sha256,
            "extractor_version": self.text["extractor_version"] if self.text else None,
            "compare_version": COMPARE_VERSION,
        }

    def not_comparable(self) -> str | None:
        """Why this page cannot be compared with the seed, or None when it can."""
        f = self.final
        status = f["status"]
        if status is not None and 300 <= status < 400:
            where = urljoin(f["url"], f["location"]) if f["location"] else "nowhere"
            return f"HTTP {status} redirect to {where}, which was never captured"
        if status is not None and not 200 <= status < 300:
            return f"HTTP {status} {f['reason'] or ''}".strip() + ": no article at this capture"
        if self.text is None:
            if f["record_type"] == "revisit":
                return f"revisit of {f['refers_to']}, a record not in the WARCs: no text"
            return "no text extracted from this record (see build_problems)"
        if not self.text["is_article"]:
            return f"not an article ({self.text['kind']}): {self.text['kind_reason'] or ''}"
        return None


def _moment(row: dict) -> float:
    stamp = row["captured_at"]
    return datetime.fromisoformat(stamp).timestamp() if stamp else 0.0


def follow(store: Store, start: dict) -> tuple[dict, list[str]]:
    """The capture a redirect chain ends on, and the URLs on the way (WARC Location headers)."""
    chain, current, seen = [start["url"]], start, {start["record_id"]}
    while current["location"] and 300 <= (current["status"] or 0) < 400 and len(chain) <= MAX_HOPS:
        url = urldefrag(urljoin(current["url"], current["location"])).url
        candidates = [c for c in store.captures_of(url) if c["record_id"] not in seen]
        if not candidates:
            break
        moment = _moment(current)
        current = min(candidates, key=lambda c: (
            c["source"] != current["source"], c["crawl_id"] != current["crawl_id"],
            abs(_moment(c) - moment)))
        seen.add(current["record_id"])
        chain.append(current["url"])
    return current, chain


def targets(store: Store, seed: SeedText, originals: list[dict], next_id: int) -> list[Target]:
    """Every (original URL, final page) of one seed, in a stable order."""
    found: dict[tuple[int, str], Target] = {}
    for original in originals:
        url = original["url"]
        for start in store.captures_of(url):
            final, chain = follow(store, start)
            found.setdefault((original["id"], final["record_id"]),
                             Target(0, seed, original, final, chain))
        for line in store.crawl_finals(url):
            final = store.capture(line["record_id"])
            if final is None:
                continue
            chain = [url, *json.loads(line["redirects"] or "[]"), final["url"]]
            chain = [u for i, u in enumerate(chain) if i == 0 or u != chain[i - 1]]
            found.setdefault((original["id"], final["record_id"]),
                             Target(0, seed, original, final, chain))
    ordered = sorted(found.values(), key=lambda t: (
        t.original["position"], t.final["captured_at"] or "", t.final["record_id"]))
    for number, target in enumerate(ordered):
        target.id = next_id + number
        target.text = store.text_info(target.final["text_record_id"])
    return ordered
